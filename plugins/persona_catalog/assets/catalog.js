/* Persona Catalog: copy buttons, the prompt's Rendered/Raw view, catalog filters and sortable tables.
   Progressive enhancement, no dependencies. */
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

  /* The exact prompt of a persona page's copy scope (null without one), read from the page's one source: the
     scope's only <script> (a prompt cannot add one). Found by place, not by its attributes: Material's instant
     navigation re-creates inline scripts with their text alone, dropping `type` and `data-pc-source`. */
  function promptText(scope) {
    var source = scope && scope.querySelector("script");
    return source ? JSON.parse(source.textContent) : null;
  }

  function setUpCopyButtons(root) {
    wireCopyButtons(root, "[data-pc-copy]", function (button) {
      var text = promptText(button.closest("[data-pc-copy-scope]"));
      return text !== null && function () { return copyText(text); };
    }, "Copy failed: select the text and copy it by hand");
    wireCopyButtons(root, ".pc-copy-export", function (button) {
      var panel = button.closest(".pc-export");
      var link = panel && panel.querySelector("a[data-pc-export]");
      return link && function () { return copyFetched(link.href); };
    }, "Copy failed: use the download link instead");
  }

  /* ---- Prompt view: Rendered or Raw ------------------------------------------------------------------- */

  var VIEW_KEY = "persona-catalog:prompt-view";

  /* The reader's choice, kept across pages; where storage is blocked it lasts for the page. */
  function storedView() {
    try { return window.localStorage.getItem(VIEW_KEY); } catch (e) { return null; }
  }

  function storeView(view) {
    try { window.localStorage.setItem(VIEW_KEY, view); } catch (e) { /* blocked: not remembered */ }
  }

  /* The exact text, monospace and wrapped. Each invisible character stays in the text, wrapped in a mark that
     shows its code point (drawn by CSS, so the text stays exact); `marks` are [code point index, name] pairs
     from the build, which knows the Unicode names. */
  function rawView(text, marks) {
    var pre = document.createElement("pre");
    pre.className = "pc-raw";
    var chars = marks.length ? Array.from(text) : [], last = 0;
    marks.forEach(function (mark) {
      pre.appendChild(document.createTextNode(chars.slice(last, mark[0]).join("")));
      var span = document.createElement("span");
      span.className = "pc-invisible";
      span.title = mark[1];
      span.dataset.pcMark = mark[1].split(" ")[0];
      span.textContent = chars[mark[0]];
      pre.appendChild(span);
      last = mark[0] + 1;
    });
    pre.appendChild(document.createTextNode(marks.length ? chars.slice(last).join("") : text));
    return pre;
  }

  /* Is the element with the id of `hash` inside `container`? */
  function targets(hash, container) {
    var target = hash.length > 1 && document.getElementById(hash.slice(1));
    return Boolean(target && container.contains(target));
  }

  function setUpPromptViews(root) {
    root.querySelectorAll("[data-pc-view]").forEach(function (group) {
      var scope = group.closest("[data-pc-copy-scope]");
      var rendered = scope && scope.querySelector(".pc-prompt");
      var text = promptText(scope);
      if (group.dataset.pcReady || !rendered || text === null) { return; }
      group.dataset.pcReady = "1";
      var raw = null;
      function show(view) {
        if (view === "raw" && !raw) {
          raw = rawView(text, JSON.parse(group.dataset.pcMarks || "[]"));
          rendered.parentNode.insertBefore(raw, rendered.nextSibling);
        }
        rendered.hidden = view === "raw";
        if (raw) { raw.hidden = view !== "raw"; }
        group.querySelectorAll("[data-pc-view-option]").forEach(function (button) {
          button.setAttribute("aria-pressed", String(button.dataset.pcViewOption === view));
        });
      }
      group.addEventListener("click", function (event) {
        var button = event.target.closest("[data-pc-view-option]");
        if (!button) { return; }
        storeView(button.dataset.pcViewOption);
        show(button.dataset.pcViewOption);
      });
      /* A link into the prompt's outline needs the rendered headings: shown, but the choice is not changed. */
      group.addEventListener("pc-reveal", function () { show("rendered"); });
      show(storedView() === "raw" && !targets(window.location.hash, rendered) ? "raw" : "rendered");
      group.hidden = false;
    });
  }

  /* The table of contents, a search result or Back may point at a heading of a hidden rendered prompt. */
  function revealTarget(hash) {
    var prompt = Array.prototype.find.call(document.querySelectorAll(".pc-prompt[hidden]"), function (element) {
      return targets(hash, element);
    });
    var group = prompt && prompt.closest("[data-pc-copy-scope]").querySelector("[data-pc-view]");
    if (group) { group.dispatchEvent(new CustomEvent("pc-reveal")); }
    return Boolean(group);
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
    setUpPromptViews(document);
    setUpFilters(document);
    setUpSortableTables(document);
  }

  /* Capture: the prompt is shown before the browser (or Material) scrolls to the link's target. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.pathname === window.location.pathname) { revealTarget(link.hash); }
  }, true);
  window.addEventListener("hashchange", function () {
    if (revealTarget(window.location.hash)) { document.getElementById(window.location.hash.slice(1)).scrollIntoView(); }
  });

  /* Material's instant navigation swaps pages without reloading: follow its document$ when present. */
  if (window.document$ && typeof window.document$.subscribe === "function") {
    window.document$.subscribe(setUp);
  } else if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", setUp);
  } else {
    setUp();
  }
})();
