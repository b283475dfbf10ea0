/* Persona Catalog: copy-to-clipboard for prompt blocks. No dependencies. */
(function () {
  "use strict";

  /* Copy text: the async Clipboard API where the page is a secure context, a selected textarea elsewhere. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    return new Promise(function (resolve, reject) {
      var area = document.createElement("textarea");
      area.value = text;
      area.setAttribute("readonly", "");
      area.style.position = "fixed";
      area.style.opacity = "0";
      document.body.appendChild(area);
      area.select();
      var ok = false;
      try { ok = document.execCommand("copy"); } catch (e) { ok = false; }
      document.body.removeChild(area);
      if (ok) { resolve(); } else { reject(new Error("copy failed")); }
    });
  }

  function setUpCopyButtons(root) {
    root.querySelectorAll("[data-pc-copy]").forEach(function (button) {
      var source = document.getElementById(button.getAttribute("data-pc-copy"));
      if (!source || button.dataset.pcReady) { return; }
      button.dataset.pcReady = "1";
      button.hidden = false;
      var status = button.parentElement.querySelector(".pc-copy-status");
      button.addEventListener("click", function () {
        copyText(JSON.parse(source.textContent)).then(
          function () { if (status) { status.textContent = "Prompt copied to clipboard"; } },
          function () { if (status) { status.textContent = "Copy failed: select the prompt and copy it by hand"; } }
        );
      });
    });
  }

  window.PersonaCatalog = window.PersonaCatalog || {};
  window.PersonaCatalog.setUpCopyButtons = setUpCopyButtons;

  /* Material's instant navigation swaps pages without reloading: subscribe to its document$ when present. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(function () { setUpCopyButtons(document); });
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { setUpCopyButtons(document); });
  } else {
    setUpCopyButtons(document);
  }
})();
