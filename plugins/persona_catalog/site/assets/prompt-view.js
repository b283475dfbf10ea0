/* Persona Catalog: a persona page's prompt view, Rendered or Raw (the choice remembered), the prompt shown when a
   link points into it, and the sticky Copy bar's shadow while it is stuck. Needs catalog.js. */
(function () {
  "use strict";

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
      var prompt = PersonaCatalog.promptSource(scope);
      if (group.dataset.pcReady || !rendered || !prompt) { return; }
      group.dataset.pcReady = "1";
      var raw = null, current = "rendered";
      function apply() {
        rendered.hidden = current === "raw" && raw !== null;  /* until a fetched prompt arrives */
        if (raw) { raw.hidden = current !== "raw"; }
        group.querySelectorAll("[data-pc-view-option]").forEach(function (button) {
          button.setAttribute("aria-pressed", String(button.dataset.pcViewOption === current));
        });
      }
      function show(view) {
        current = view;
        if (view === "raw" && !raw) {
          PersonaCatalog.andThen(prompt(), function (text) {
            if (!raw) {
              raw = rawView(text, JSON.parse(group.dataset.pcMarks || "[]"));
              rendered.parentNode.insertBefore(raw, rendered.nextSibling);
            }
            apply();
          });
        }
        apply();
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

  /* The bar with Copy is sticky (catalog.css): while it is stuck it casts a shadow over the prompt scrolling
     beneath it. Stuck = its top sits at the sticky offset, not lower; watched on scroll, at most once a frame. */
  var stuckBars = [], pending = false;
  function markStuck() {
    pending = false;
    stuckBars.forEach(function (bar) {
      var top = parseFloat(getComputedStyle(bar).top);
      bar.classList.toggle("pc-stuck", bar.isConnected && bar.getBoundingClientRect().top <= top + 1 &&
        bar.parentElement.getBoundingClientRect().bottom > bar.getBoundingClientRect().bottom + 1);
    });
  }
  window.addEventListener("scroll", function () {
    if (!pending) { pending = true; window.requestAnimationFrame(markStuck); }
  }, { passive: true });

  /* Capture: the prompt is shown before the browser (or Material) scrolls to the link's target. */
  document.addEventListener("click", function (event) {
    var link = event.target.closest && event.target.closest("a[href*='#']");
    if (link && link.pathname === window.location.pathname) { revealTarget(link.hash); }
  }, true);
  window.addEventListener("hashchange", function () {
    if (revealTarget(window.location.hash)) { document.getElementById(window.location.hash.slice(1)).scrollIntoView(); }
  });

  PersonaCatalog.onEveryPage(function () {
    setUpPromptViews(document);
    stuckBars = Array.prototype.slice.call(document.querySelectorAll(".pc-prompt-bar"));
    markStuck();
  });
})();
