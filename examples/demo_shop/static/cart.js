// The cart: the quantity changes the total, and the instalment message follows
// (the messaging script redraws when data-amount changes). No inline script.
(function () {
  "use strict";
  var form = document.querySelector(".shop-cart");
  var input = document.getElementById("quantity");
  var message = document.getElementById("cart-message");
  var total = document.getElementById("cart-total");
  var unit = Number(form.dataset.unitPrice);

  input.addEventListener("input", function () {
    var count = Math.min(Math.max(parseInt(input.value, 10) || 1, 1), Number(input.max));
    var amount = (Math.round(unit * count * 100) / 100).toFixed(2);
    total.textContent = "¥" + Number(amount).toLocaleString("en", { minimumFractionDigits: 2 });
    message.setAttribute("data-amount", amount);
  });
})();
