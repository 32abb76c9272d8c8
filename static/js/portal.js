/* The portal's script (no inline script or style: the Content-Security-Policy refuses them).
   Every part works on the elements it finds and does nothing on pages without them. */
(function () {
  "use strict";

  /* After a failed submit, focus moves to the first error: the first field marked invalid,
     or the form's error box when the error is not a field's. */
  function focusFirstError() {
    var first = document.querySelector('main [aria-invalid="true"], main .errorbox');
    if (!first) { return; }
    if (first.classList.contains("errorbox")) { first.setAttribute("tabindex", "-1"); }
    first.focus();
  }

  /* Copy to clipboard (the customer invitation's link and draft email); where the
     Clipboard API is missing, the text is selected for the user to copy. */
  function copyButtons() {
    var status = document.querySelector(".copy-status");
    document.querySelectorAll("[data-copy]").forEach(function (button) {
      button.hidden = false;
      button.addEventListener("click", function () {
        var source = document.getElementById(button.dataset.copy);
        var selectIt = function () { source.focus(); source.select(); status.textContent = status.dataset.select; };
        if (navigator.clipboard && window.isSecureContext) {
          navigator.clipboard.writeText(source.value).then(function () { status.textContent = status.dataset.copied; }, selectIt);
        } else {
          selectIt();
        }
      });
    });
    document.querySelectorAll("input[data-select-on-focus]").forEach(function (input) {
      input.addEventListener("focus", function () { input.select(); });
    });
  }

  /* A new customer's domain: the availability check asks GET /api/v1/domains/{prefix}/;
     the server checks again on submit. */
  function domainCheck() {
    var button = document.getElementById("check-domain");
    var input = document.getElementById("id_domain_prefix");
    var answer = document.getElementById("domain-answer");
    if (!button || !input || !answer || !window.fetch) { return; }
    button.hidden = false;
    button.addEventListener("click", function () {
      var prefix = input.value.trim().toLowerCase();
      answer.className = "help";
      if (!prefix) { answer.textContent = button.dataset.empty; return; }
      fetch(button.dataset.url.replace("PREFIX", encodeURIComponent(prefix)), {
        credentials: "same-origin", headers: { "Accept": "application/json" }
      }).then(function (response) {
        return response.json().then(function (data) { return { ok: response.ok, data: data }; });
      }).then(function (result) {
        if (result.ok) {
          /* Whole sentences from the catalog, the domain in its place ({domain}). */
          answer.textContent = (result.data.available ? button.dataset.available : button.dataset.taken).replace("{domain}", result.data.domain);
          answer.className = result.data.available ? "help" : "error";
        } else {
          answer.textContent = (result.data.prefix || [button.dataset.failed]).join(" ");
          answer.className = "error";
        }
      }).catch(function () { answer.textContent = button.dataset.failed; });
    });
  }

  /* The review queue's bar chart: each bar as wide as its data-percent (set through the
     DOM, which the Content-Security-Policy allows, where an inline style= is refused). */
  function barWidths() {
    document.querySelectorAll(".bar[data-percent]").forEach(function (bar) {
      bar.style.width = Math.max(0, Math.min(100, Number(bar.dataset.percent) || 0)) + "%";
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    barWidths();
    focusFirstError();
    copyButtons();
    domainCheck();
  });
})();
