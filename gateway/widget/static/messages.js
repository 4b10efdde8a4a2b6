/*! Instalments on-site messaging v1 (/widget/v1/messages.js): "from ¥x/month" on product and
 * cart pages. No customer data; DOM from text only, no inline styles. Usage (docs/widget.md):
 *   <div data-instalments-message data-partner="demo-mall" data-amount="3999.00"></div>
 * The text follows data-amount: change the attribute and it is drawn again. */
(global => {
  "use strict";
  var doc = global.document;
  var script = doc.currentScript;
  var GATEWAY = script && script.src ? new URL(script.src).origin : global.location.origin;
  var TEXT = {
    en: { apr: "From {monthly}/month · annualised from {apr}", free: "From {monthly}/month · interest-free plans available" },
    "zh-CN": { apr: "分期低至 {monthly}/月 · 年化利率低至 {apr}", free: "分期低至 {monthly}/月 · 可享免息" }
  };
  var quotes = {};

  function money(locale, currency, amount) {
    try {
      return new Intl.NumberFormat(locale, { style: "currency", currency: currency, currencyDisplay: "narrowSymbol" }).format(Number(amount));
    } catch (e) {
      return currency + " " + amount;
    }
  }

  // One request per partner and amount (the gateway's answer is public and cacheable).
  function quote(partner, amount) {
    var url = GATEWAY + "/widget/v1/messages?partner=" + encodeURIComponent(partner) + "&amount=" + encodeURIComponent(amount);
    quotes[url] = quotes[url] || global.fetch(url, { mode: "cors", credentials: "omit" }).then(r => {
      if (!r.ok) throw new Error("messages: " + r.status);
      return r.json();
    }).catch(error => {
      delete quotes[url];
      throw error;
    });
    return quotes[url];
  }

  function draw(node) {
    var partner = node.getAttribute("data-partner") || (script && script.getAttribute("data-partner"));
    var amount = node.getAttribute("data-amount") || "";
    var lang = node.getAttribute("data-locale") || node.closest("[lang]")?.getAttribute("lang") || "";
    var text = TEXT[/^zh/i.test(lang) ? "zh-CN" : "en"];
    if (!partner || !/^\d+(\.\d{1,2})?$/.test(amount)) {
      node.textContent = "";
      return Promise.resolve();
    }
    node.setAttribute("aria-busy", "true");
    return quote(partner, amount).then(found => {
      if (node.getAttribute("data-amount") !== amount) return; // a newer amount is on its way
      var monthly = money(lang || "en", found.currency, found.monthly_payment_from);
      var apr = (Math.round(Number(found.apr_from) * 10000) / 100).toFixed(2) + "%";
      node.textContent = found.available ? (found.interest_free_available ? text.free : text.apr)
        .replace("{monthly}", monthly).replace("{apr}", apr) : "";
      node.setAttribute("data-monthly-from", found.available ? found.monthly_payment_from : "");
    }).catch(() => {
      node.textContent = "";
    }).finally(() => {
      if (node.getAttribute("data-amount") === amount) node.removeAttribute("aria-busy");
    });
  }

  // Draws every element under root and redraws one whenever its data-amount changes.
  function refresh(root) {
    var nodes = (root || doc).querySelectorAll("[data-instalments-message]");
    return Promise.all(Array.prototype.map.call(nodes, node => {
      if (!node.instalmentsWatched && global.MutationObserver) {
        node.instalmentsWatched = true;
        new global.MutationObserver(() => draw(node)).observe(node, { attributes: true, attributeFilter: ["data-amount", "data-partner"] });
      }
      node.setAttribute("aria-live", "polite");
      return draw(node);
    }));
  }

  global.InstalmentsMessages = { refresh: refresh, version: "1" };
  if (doc.readyState === "loading") doc.addEventListener("DOMContentLoaded", () => refresh());
  else refresh();
})(window);
