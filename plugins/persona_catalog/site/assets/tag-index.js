/* Persona Catalog: the tag index's order, by name or by count, chosen with its buttons. Needs catalog.js. */
(function () {
  "use strict";

  /* A list in `[data-pc-sortable]` sorts by name (A to Z) or by count (most first, then by name) through its
     buttons, which stay hidden without scripts; `aria-pressed` tells which order is shown. */
  function setUpSortableLists(root) {
    root.querySelectorAll("[data-pc-sortable]").forEach(function (box) {
      if (box.dataset.pcReady) { return; }
      box.dataset.pcReady = "1";
      var list = box.querySelector("ul");
      var buttons = box.querySelectorAll("[data-pc-sort]");
      buttons.forEach(function (button) {
        button.addEventListener("click", function () {
          var byCount = button.dataset.pcSort === "count";
          var items = Array.prototype.slice.call(list.children);
          items.sort(function (a, b) {
            var order = byCount ? Number(b.dataset.pcCount) - Number(a.dataset.pcCount) : 0;
            var x = a.dataset.pcName, y = b.dataset.pcName;  /* code point order, as the build's */
            return order || (x < y ? -1 : x > y ? 1 : 0);
          });
          items.forEach(function (item) { list.appendChild(item); });
          buttons.forEach(function (other) { other.setAttribute("aria-pressed", String(other === button)); });
        });
      });
      box.querySelector("[data-pc-sort-controls]").hidden = false;
    });
  }

  PersonaCatalog.onEveryPage(function () { setUpSortableLists(document); });
})();
