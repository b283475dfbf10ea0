/* Persona Catalog: copy buttons, catalog filters and sortable tables. Progressive enhancement, no dependencies. */
(function () {
  "use strict";

  /* ---- Copy prompt ------------------------------------------------------------------------------------ */

  /* The async Clipboard API in a secure context; a selected textarea on plain-HTTP hosts. */
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

  /* ---- Copy an export file ---------------------------------------------------------------------------- */

  /* The Copy button of an export panel copies the very file its Download link serves, fetched on demand. */
  function fetchText(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    });
  }

  /* A ClipboardItem takes the pending text, so the copy keeps the click's user activation (Safari needs it). */
  function copyFetched(url) {
    if (navigator.clipboard && window.isSecureContext && window.ClipboardItem && navigator.clipboard.write) {
      var blob = fetchText(url).then(function (text) { return new Blob([text], { type: "text/plain" }); });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    }
    return fetchText(url).then(copyText);
  }

  /* Each copy button gets its action from `action(button)` (nothing to copy: the button stays hidden) and says
     what happened in the status line of its scope. Sources are found next to their button, never by a global
     id, so persona content cannot shadow them. */
  function wireCopyButtons(root, selector, action, failure) {
    root.querySelectorAll(selector).forEach(function (button) {
      var copy = action(button);
      if (!copy || button.dataset.pcReady) { return; }
      button.dataset.pcReady = "1";
      button.hidden = false;
      var status = button.closest("[data-pc-copy-scope], .pc-export").querySelector(".pc-copy-status");
      button.addEventListener("click", function () {
        copy().then(
          function () { if (status) { status.textContent = "Copied to clipboard"; } },
          function () { if (status) { status.textContent = failure; } }
        );
      });
    });
  }

  function setUpCopyButtons(root) {
    wireCopyButtons(root, "[data-pc-copy]", function (button) {
      var scope = button.closest("[data-pc-copy-scope]");
      var source = scope && scope.querySelector("script[data-pc-source]");
      return source && function () { return copyText(JSON.parse(source.textContent)); };
    }, "Copy failed: select the text and copy it by hand");
    wireCopyButtons(root, ".pc-copy-export", function (button) {
      var panel = button.closest(".pc-export");
      var link = panel && panel.querySelector("a[data-pc-export]");
      return link && function () { return copyFetched(link.href); };
    }, "Copy failed: use the download link instead");
  }

  /* ---- Catalog filters -------------------------------------------------------------------------------- */

  var FACETS = ["category", "model", "context"];

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    return {
      q: params.get("q") || "",
      category: params.get("category") || "",
      model: params.get("model") || "",
      context: params.get("context") || "",
      tags: params.getAll("tag").filter(Boolean)
    };
  }

  function stateQuery(state) {
    var params = new URLSearchParams();
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (facet) { if (state[facet]) { params.set(facet, state[facet]); } });
    state.tags.forEach(function (tag) { params.append("tag", tag); });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  /* Does a persona match the state, ignoring the facet named `except` (for that facet's counts)? */
  function matches(item, state, except) {
    var terms = words(fold(state.q));
    if (terms.some(function (term) { return item.text.indexOf(term) === -1; })) { return false; }
    if (except !== "category" && state.category && item.category !== state.category) { return false; }
    if (except !== "model" && state.model && item.models.indexOf(state.model) === -1) { return false; }
    if (except !== "context" && state.context && item.context !== state.context) { return false; }
    return state.tags.every(function (tag) { return item.tags.indexOf(tag) !== -1; });
  }

  function facetValues(item, facet) {
    return facet === "model" ? item.models : [item[facet]];
  }

  function setUpFilters(root) {
    var form = root.querySelector("[data-pc-filters]");
    if (!form || form.dataset.pcReady) { return; }
    form.dataset.pcReady = "1";
    var section = form.closest(".pc-browse");
    var count = form.querySelector("[data-pc-count]");
    var empty = section.querySelector("[data-pc-empty]");
    var items = Array.prototype.map.call(section.querySelectorAll(".pc-card"), function (card) {
      var title = card.querySelector(".pc-card__title");
      var description = card.querySelector(".pc-card__description");
      return {
        card: card,
        category: card.dataset.category,
        models: words(card.dataset.models),
        context: card.dataset.context,
        tags: words(card.dataset.tags),
        text: fold([title && title.textContent, description && description.textContent, card.dataset.tags].join(" "))
      };
    });
    var state = readState(window.location.search);

    function showState() {
      form.elements.q.value = state.q;
      FACETS.forEach(function (facet) {
        var select = form.elements[facet];
        if (state[facet] && !select.querySelector('option[value="' + CSS.escape(state[facet]) + '"]')) {
          var option = new Option(state[facet], state[facet]);
          option.dataset.label = state[facet];
          select.add(option);
        }
        select.value = state[facet];
      });
      form.querySelectorAll('input[name="tag"]').forEach(function (box) {
        box.checked = state.tags.indexOf(box.value) !== -1;
      });
    }

    function update() {
      var shown = 0;
      var tagCounts = {};  /* tags combine with AND: a tag's count is how many visible personas carry it */
      items.forEach(function (item) {
        var visible = matches(item, state);
        item.card.hidden = !visible;
        if (visible) {
          shown += 1;
          item.tags.forEach(function (tag) { tagCounts[tag] = (tagCounts[tag] || 0) + 1; });
        }
      });
      count.textContent = shown === items.length
        ? items.length + " personas"
        : "Showing " + shown + " of " + items.length + " personas";
      empty.hidden = shown !== 0;
      FACETS.forEach(function (facet) {
        var counts = {};
        items.forEach(function (item) {
          if (matches(item, state, facet)) {
            facetValues(item, facet).forEach(function (value) { counts[value] = (counts[value] || 0) + 1; });
          }
        });
        Array.prototype.forEach.call(form.elements[facet].options, function (option) {
          if (!option.value) { return; }
          var n = counts[option.value] || 0;
          option.textContent = option.dataset.label + " (" + n + ")";
          option.disabled = n === 0 && option.value !== state[facet];
        });
      });
      form.querySelectorAll('input[name="tag"]').forEach(function (box) {
        var n = tagCounts[box.value] || 0;
        var label = box.parentElement.querySelector("[data-label]");
        label.textContent = label.dataset.label + " (" + n + ")";
        box.parentElement.hidden = n === 0 && !box.checked;
      });
    }

    function readForm() {
      state = {
        q: form.elements.q.value.trim(),
        category: form.elements.category.value,
        model: form.elements.model.value,
        context: form.elements.context.value,
        tags: Array.prototype.filter.call(form.querySelectorAll('input[name="tag"]'), function (box) {
          return box.checked;
        }).map(function (box) { return box.value; })
      };
      window.history.replaceState(null, "", window.location.pathname + stateQuery(state) + window.location.hash);
      update();
    }

    form.addEventListener("input", readForm);
    form.addEventListener("change", readForm);
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(readForm, 0); });
    empty.querySelector("a").addEventListener("click", function (event) {
      event.preventDefault();
      form.reset();
    });
    window.addEventListener("popstate", function () { state = readState(window.location.search); showState(); update(); });
    showState();
    update();
    form.hidden = false;
  }

  /* ---- Sortable tables -------------------------------------------------------------------------------- */

  function setUpSortableTables(root) {
    root.querySelectorAll("table[data-pc-sortable]").forEach(function (table) {
      if (table.dataset.pcReady) { return; }
      table.dataset.pcReady = "1";
      var headers = table.querySelectorAll("thead th");
      headers.forEach(function (th, column) {
        var button = document.createElement("button");
        button.type = "button";
        button.className = "pc-sort";
        button.textContent = th.textContent;
        th.textContent = "";
        th.appendChild(button);
        button.addEventListener("click", function () {
          var ascending = th.getAttribute("aria-sort") !== "ascending";
          var numeric = th.dataset.type === "number";
          var body = table.tBodies[0];
          var rows = Array.prototype.slice.call(body.rows);
          rows.sort(function (a, b) {
            var x = a.cells[column].textContent.trim(), y = b.cells[column].textContent.trim();
            var order = numeric ? Number(x) - Number(y) : x.localeCompare(y);
            if (order === 0) { order = a.cells[0].textContent.localeCompare(b.cells[0].textContent); }
            return ascending ? order : -order;
          });
          rows.forEach(function (row) { body.appendChild(row); });
          headers.forEach(function (other) { other.removeAttribute("aria-sort"); });
          th.setAttribute("aria-sort", ascending ? "ascending" : "descending");
        });
      });
    });
  }

  /* ---- Start ------------------------------------------------------------------------------------------ */

  function setUp() {
    setUpCopyButtons(document);
    setUpFilters(document);
    setUpSortableTables(document);
  }

  /* Material's instant navigation swaps pages without reloading: follow its document$ when present. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
