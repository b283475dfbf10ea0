/* Persona Catalog: copy buttons, the prompt's Rendered/Raw view and sortable lists (the home listing is
   listing.js). Progressive enhancement, no dependencies. */
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

  /* A ClipboardItem takes the pending text, so the copy keeps the click's user activation (Safari needs it).
     `pick` turns the fetched file into the text to copy (default: all of it). */
  function copyFetched(url, pick) {
    var text = fetchText(url).then(pick || function (whole) { return whole; });
    if (navigator.clipboard && window.isSecureContext && window.ClipboardItem && navigator.clipboard.write) {
      var blob = text.then(function (value) { return new Blob([value], { type: "text/plain" }); });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    }
    return text.then(copyText);
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
      var status = button.closest("[data-pc-copy-scope], .pc-export, .pc-card").querySelector(".pc-copy-status");
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
    /* A listing card copies its persona's prompt from the JSON API, without opening the page. */
    wireCopyButtons(root, ".pc-card__copy", function (button) {
      return button.dataset.pcPrompt && function () {
        return copyFetched(button.dataset.pcPrompt, function (text) { return JSON.parse(text).prompt; });
      };
    }, "Copy failed: open the persona to copy it");
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

  /* ---- Sortable lists (the tag index) ---------------------------------------------------------------- */

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

  /* ---- Start ------------------------------------------------------------------------------------------ */

  function setUp() {
    setUpCopyButtons(document);
    setUpPromptViews(document);
    setUpSortableLists(document);
  }

  /* Capture: the prompt is shown before the browser (or Material) scrolls to the link's target. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.pathname === window.location.pathname) { revealTarget(link.hash); }
  }, true);
  window.addEventListener("hashchange", function () {
    if (revealTarget(window.location.hash)) { document.getElementById(window.location.hash.slice(1)).scrollIntoView(); }
  });

  /* Runs `start` on every page: Material's instant navigation swaps pages without reloading, so it follows
     Material's document$ when present. */
  function onEveryPage(start) {
    if (window.document$ && typeof window.document$.subscribe === "function") {
      window.document$.subscribe(start);
    } else if (document.readyState === "loading") {
      document.addEventListener("DOMContentLoaded", start);
    } else {
      start();
    }
  }

  /* For the home listing (listing.js): it wires the cards it adds, and starts with the page. */
  window.PersonaCatalog = { setUpCopyButtons: setUpCopyButtons, onEveryPage: onEveryPage };
  onEveryPage(setUp);
})();
