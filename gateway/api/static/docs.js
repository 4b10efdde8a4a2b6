// The API reference's search and copy buttons. Served by the gateway (CSP: script-src 'self').
"use strict";
(function () {
  function ready(fn) {
    if (document.readyState !== "loading") fn(); else document.addEventListener("DOMContentLoaded", fn);
  }
  ready(function () {
    var input = document.getElementById("search");
    var none = document.getElementById("no-match");
    var ops = Array.prototype.slice.call(document.querySelectorAll("article.op"));
    var links = Array.prototype.slice.call(document.querySelectorAll("nav a[data-op]"));
    function filter() {
      var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
      var shown = 0;
      ops.forEach(function (op) {
        var text = op.getAttribute("data-search") || "";
        var match = words.every(function (w) { return text.indexOf(w) >= 0; });
        op.classList.toggle("hidden", !match);
        if (match && !op.classList.contains("schema")) shown += 1;
      });
      links.forEach(function (link) {
        var op = document.getElementById(link.getAttribute("data-op"));
        link.classList.toggle("hidden", op.classList.contains("hidden"));
      });
      document.querySelectorAll("[data-group]").forEach(function (group) {
        var visible = group.querySelector("article.op:not(.hidden), a[data-op]:not(.hidden)");
        group.classList.toggle("hidden", !visible);
      });
      none.hidden = shown > 0 || words.length === 0;
    }
    input.addEventListener("input", filter);
    document.addEventListener("keydown", function (event) {
      if (event.key === "/" && document.activeElement !== input) {
        event.preventDefault();
        input.focus();
      }
    });
    document.querySelectorAll("figure.sample").forEach(function (figure) {
      var button = document.createElement("button");
      button.type = "button";
      button.className = "copy";
      button.textContent = "Copy";
      button.addEventListener("click", function () {
        var text = figure.querySelector("code").textContent;
        if (navigator.clipboard) navigator.clipboard.writeText(text);
        button.textContent = "Copied";
        setTimeout(function () { button.textContent = "Copy"; }, 1500);
      });
      figure.querySelector("figcaption").appendChild(button);
    });
  });
})();
