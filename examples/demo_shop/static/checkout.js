// The demo shop's checkout page: mount the widget, accept the chosen offer on
// the shop's server, then show what the bank says, in the page's language,
// until the application is settled. No inline script: the page runs under
// `script-src 'self' <gateway>`.
(function () {
  "use strict";
  var host = document.getElementById("instalments");
  var outcome = document.getElementById("order-outcome");
  var POLL_MS = 1000;
  var MAX_POLLS = 180; // three minutes, then the customer can reload
  var polls = 0;
  var timer = null;

  function show(order) {
    if (!order.application_id) return;
    outcome.hidden = false;
    document.getElementById("application-id").textContent = order.application_id;
    document.getElementById("application-status").textContent = order.status_text || "";
    var list = document.getElementById("webhooks");
    list.textContent = "";
    order.webhooks.forEach(function (hook) {
      var item = document.createElement("li");
      item.className = "shop-webhook";
      item.setAttribute("data-type", hook.type);
      item.textContent = hook.text;
      list.appendChild(item);
    });
    outcome.setAttribute("data-status", order.application_status || "");
    outcome.setAttribute("data-settled", order.settled ? "true" : "false");
  }

  // Polls the shop's own server until the order is settled (then stops for good).
  function poll() {
    timer = null;
    fetch(host.dataset.statusUrl).then(function (r) { return r.json(); }).then(function (order) {
      show(order);
      polls += 1;
      if (order.application_id && !order.settled && polls < MAX_POLLS) timer = setTimeout(poll, POLL_MS);
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
      if (timer === null) poll();
    });
  }

  host.addEventListener("instalments:pay-another-way", function () {
    var other = document.getElementById("pay-another-way");
    other.hidden = false;
    other.scrollIntoView({ block: "nearest" });
  });

  window.Instalments.mount(host, {
    clientToken: host.dataset.clientToken,
    locale: host.dataset.locale,
    onOfferSelected: accept
  });
  poll(); // a reload after choosing: the order already has its application
})();
