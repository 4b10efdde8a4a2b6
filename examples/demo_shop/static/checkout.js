// The demo shop's checkout page: mount the widget, accept the chosen offer on
// the shop's server, then show what the bank's webhooks say. No inline script:
// the page runs under `script-src 'self' <gateway>`.
(function () {
  "use strict";
  var host = document.getElementById("instalments");
  var outcome = document.getElementById("order-outcome");

  function show(order) {
    outcome.hidden = false;
    document.getElementById("application-id").textContent = order.application_id || "";
    document.getElementById("application-status").textContent = order.application_status || "";
    var list = document.getElementById("webhooks");
    list.textContent = "";
    order.webhooks.forEach(function (hook) {
      var item = document.createElement("li");
      item.className = "shop-webhook";
      item.setAttribute("data-type", hook.type);
      item.textContent = "webhook " + hook.type + " (#" + hook.sequence + ")";
      list.appendChild(item);
    });
    outcome.setAttribute("data-status", order.application_status || "");
  }

  function poll() {
    fetch(host.dataset.statusUrl).then(function (r) { return r.json(); }).then(function (order) {
      show(order);
      var final = ["declined", "funded", "cancelled"];
      if (final.indexOf(order.application_status) === -1) setTimeout(poll, 700);
    });
  }

  function accept(offerId, detail) {
    return fetch(host.dataset.acceptUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ offer_id: offerId, credit_inquiry_consent_id: detail.creditInquiryConsentId })
    }).then(function (r) { return r.json(); }).then(function (order) {
      if (order.error) throw new Error(order.error);
      show(order);
      poll();
    });
  }

  window.Instalments.mount(host, {
    clientToken: host.dataset.clientToken,
    locale: host.dataset.locale,
    onOfferSelected: accept
  });
})();
