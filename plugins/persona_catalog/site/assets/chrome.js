/* Persona Catalog: accessibility fixes to Material's chrome that the catalog's pages need in any site (found by
   the axe audits and keyboard tests in tests/test_browser_*.py). No dependencies. */
(function () {
  "use strict";

  /* Material's palette toggle is hidden radio buttons under one visible button (the shown scheme's label), and
     Material switches on Enter only (it clicks and focuses the next scheme's radio button); Space re-selected a
     radio button, so nothing happened. Space now does what Material does for Enter, through the radio buttons'
     own click: no made-up key events. */
  document.addEventListener("keydown", function (event) {
    var option = event.target;
    if (event.key !== " " || !option.matches || !option.matches(".md-option")) { return; }
    var options = Array.prototype.slice.call(document.querySelectorAll(".md-option[name='" + option.name + "']"));
    var shown = options.filter(function (each) {  /* the scheme shown: its label (the visible button) is not hidden */
      return each.nextElementSibling && !each.nextElementSibling.hidden;
    })[0] || option;
    var next = options[(options.indexOf(shown) + 1) % options.length];
    event.preventDefault();
    next.click();
    next.focus();
  });

  function fixChrome() {
    /* Material's search overlay has role="dialog" but no accessible name: it takes its search box's. */
    document.querySelectorAll(".md-search[role=dialog]:not([aria-label])").forEach(function (dialog) {
      var input = dialog.querySelector(".md-search__input");
      dialog.setAttribute("aria-label", (input && input.getAttribute("aria-label")) || "Search");
    });
    /* Material wraps each code block's copy button in an unnamed <nav>: two code blocks make two landmarks of one
       name (axe: landmark-unique), and a button group is no navigation. */
    document.querySelectorAll("nav.md-code__nav:not([role])").forEach(function (nav) {
      nav.setAttribute("role", "none");
    });
  }

  /* After Material has drawn the page (document$), on every page of instant navigation too. */
  PersonaCatalog.onEveryPage(fixChrome);
})();
