/* Persona Catalog: copy buttons, export files built from the page, and the page start shared by the other
   scripts (the home listing is listing.js, the prompt's Rendered/Raw view prompt-view.js, the tag index's order
   tag-index.js). Progressive enhancement, no dependencies. */
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

  /* ---- The prompt's one source --------------------------------------------------------------------------- */

  /* The exact prompt of a persona page's copy scope, from the page's one source, as a function giving the text
     or a promise of it (null without a source). The source is the scope's only <script> (a prompt cannot add
     one), found by place, not by its attributes: Material's instant navigation re-creates inline scripts with
     their text alone, dropping `type` and `data-pc-source`. It holds the prompt packed (`inflate`), unpacked once
     when first asked for. A prompt too long to embed has instead an element naming the persona's JSON document
     (`data-pc-src`), whose `prompt` is fetched on first use. */
  var unpacked = new WeakMap();  /* a source <script>: {text, promise} */

  function promptSource(scope) {
    var script = scope && scope.querySelector("script");
    if (script) {
      var source = unpacked.get(script);
      if (!source) {
        source = { text: null };
        source.promise = inflate(JSON.parse(script.textContent)).then(function (text) { return (source.text = text); });
        unpacked.set(script, source);
      }
      return function () { return source.text !== null ? source.text : source.promise; };
    }
    var remote = scope && scope.querySelector("[data-pc-src]");
    var pending = null;
    return remote && function () {
      pending = pending || fetchPrompt(remote.dataset.pcSrc).catch(function (error) { pending = null; throw error; });
      return pending;
    };
  }

  /* A packed text (site/render.py `packed_text`: UTF-8, deflated, in base64), inflated by the browser's own
     DecompressionStream; a leading byte order mark is part of the text, so it is kept. */
  function inflate(base64) {
    var bytes = Uint8Array.from(atob(base64), function (c) { return c.charCodeAt(0); });
    var stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate-raw"));
    return new Response(stream).arrayBuffer().then(function (data) {
      return new TextDecoder("utf-8", { ignoreBOM: true }).decode(data);
    });
  }

  /* A JSON document of the site; a promise that fails on any HTTP error. */
  function fetchJSON(url) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    });
  }

  /* The `prompt` of a persona's JSON document (api/v1/personas/<slug>.json). */
  function fetchPrompt(url) {
    return fetchJSON(url).then(function (data) { return data.prompt; });
  }

  /* `f(value)` for a text, or a promise of it for a promise of a text. */
  function andThen(value, f) {
    return typeof value === "string" ? f(value) : value.then(f);
  }

  /* Copy a text, or a promise of one: a ClipboardItem takes the pending text, so the copy keeps the click's
     user activation (Safari needs it). */
  function copyValue(value) {
    if (typeof value === "string") { return copyText(value); }
    if (navigator.clipboard && window.isSecureContext && window.ClipboardItem && navigator.clipboard.write) {
      var blob = value.then(function (text) { return new Blob([text], { type: "text/plain" }); });
      return navigator.clipboard.write([new ClipboardItem({ "text/plain": blob })]);
    }
    return value.then(copyText);
  }

  /* ---- Export files, built from the page ------------------------------------------------------------- */

  /* Each export panel carries its file cut around the prompt: [prefix, encoding, suffix] (exports/formats.py
     `parts`). The prompt is written again as the Python library wrote it, by the encoder of the same name. */
  var TOML_ESCAPES = { "\b": "\\b", "\n": "\\n", "\f": "\\f", "\r": "\\r", "\"": "\\\"", "\\": "\\\\" };

  /* A TOML basic string as tomli-w writes it: quote, backslash and control characters but tab escaped; with
     `multiline` and a line break, a """ string whose line breaks stay as they are. */
  function tomlString(text, multiline) {
    var lines = multiline && text.indexOf("\n") !== -1;
    var body = text.replace(/["\\\u0000-\u0008\u000a-\u001f\u007f]/g, function (c) {
      if (lines && c === "\n") { return c; }
      return TOML_ESCAPES[c] || "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4);
    });
    return lines ? '"""\n' + body + '"""' : '"' + body + '"';
  }

  /* A YAML double-quoted scalar as PyYAML (and LibYAML) write a text value with allow_unicode: quote, backslash,
     line breaks, the BOM and every character outside YAML's printable set escaped (exports/formats.py
     `_yaml_string`). Iterates by code point, so an astral character is one \\U escape. */
  var YAML_ESCAPES = { "\u0000": "0", "\u0007": "a", "\b": "b", "\t": "t", "\n": "n", "\u000b": "v", "\f": "f",
    "\r": "r", "\u001b": "e", "\"": "\"", "\\": "\\", "\u0085": "N", "\u2028": "L", "\u2029": "P" };

  function yamlString(text) {
    var out = "";
    Array.from(text).forEach(function (c) {
      var code = c.codePointAt(0);
      var printable = (code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xd7ff) ||
        (code >= 0xe000 && code <= 0xfffd);
      if (printable && !YAML_ESCAPES[c] && code !== 0xfeff) { out += c; return; }  /* LS, PS: escaped */
      if (YAML_ESCAPES[c]) { out += "\\" + YAML_ESCAPES[c]; return; }
      var hex = code.toString(16).toUpperCase();
      out += code <= 0xff ? "\\x" + ("0" + hex).slice(-2) : code <= 0xffff ? "\\u" + ("000" + hex).slice(-4) :
        "\\U" + ("0000000" + hex).slice(-8);
    });
    return '"' + out + '"';
  }

  var ENCODERS = {
    text: function (body) { return body; },
    yaml: yamlString,
    json: function (body) { return JSON.stringify(body); },
    "toml-multiline": function (body) { return tomlString(body, true); },
    toml: function (body) { return tomlString(body, false); },
    none: function () { return ""; }
  };

  /* The panel's parts (its only <script>) and the persona's prompt source, or null. */
  function exportSources(panel) {
    var article = panel && panel.closest(".pc-persona");
    var prompt = promptSource(article && article.querySelector("[data-pc-copy-scope]"));
    var parts = panel && panel.querySelector("script");
    return prompt && parts ? { prompt: prompt, parts: parts } : null;
  }

  /* The file (or a promise of it, for a prompt read from the JSON document). */
  function exportText(sources) {
    var parts = JSON.parse(sources.parts.textContent);
    return andThen(sources.prompt(), function (body) { return writeExport(parts, body); });
  }

  /* Save a text as a file named `name`. */
  function saveText(text, name) {
    saveBlob(new Blob([text], { type: "text/plain;charset=utf-8" }), name);
  }

  /* Download a Blob as a file named `name`. */
  function saveBlob(blob, name) {
    var url = URL.createObjectURL(blob);
    var link = document.createElement("a");
    link.href = url;
    link.download = name;
    document.body.appendChild(link);
    link.click();
    link.remove();
    window.setTimeout(function () { URL.revokeObjectURL(url); }, 1000);
  }

  /* The tool's name: the label of the panel's tab (Material's content tabs pair them by position). */
  function toolLabel(panel) {
    var index = Array.prototype.indexOf.call(panel.parentNode.children, panel);
    var labels = panel.closest(".tabbed-set").querySelectorAll(".tabbed-labels > label");
    return labels[index] ? labels[index].dataset.pcLabel || labels[index].textContent : "the tool's";
  }

  /* Each export panel gets Copy, Download (a Blob saved under the name the tool expects, unless the site
     publishes the file: `export_files`) and a status line, before what works without JavaScript. */
  function addExportButtons(root) {
    root.querySelectorAll(".pc-export[data-pc-filename]").forEach(function (panel) {
      var sources = exportSources(panel);
      if (panel.dataset.pcReady || !sources) { return; }
      panel.dataset.pcReady = "1";
      var actions = document.createElement("p");
      actions.className = "pc-actions";
      actions.innerHTML = '<button type="button" class="md-button md-button--primary pc-copy-export" hidden></button>' +
        '<button type="button" class="md-button"></button><span class="pc-copy-status" role="status" aria-live="polite"></span>';
      var buttons = actions.querySelectorAll("button");
      buttons[0].textContent = "Copy " + toolLabel(panel) + " file";
      buttons[1].textContent = "Download " + panel.dataset.pcFilename;
      buttons[1].hidden = Boolean(panel.querySelector("a[data-pc-export-file]"));
      buttons[1].addEventListener("click", function () {
        andThen(exportText(sources), function (text) { saveText(text, panel.dataset.pcFilename); });
      });
      panel.insertBefore(actions, panel.querySelector("p.pc-actions") || sources.parts);  /* before the zip */
      /* The preview shows the exact file, built when it is first opened. */
      var preview = document.createElement("details");
      preview.className = "pc-preview";
      preview.innerHTML = "<summary>Preview the file</summary><pre><code data-pc-preview></code></pre>";
      panel.insertBefore(preview, sources.parts);
      preview.addEventListener("toggle", function () {
        var code = preview.querySelector("[data-pc-preview]");
        if (!preview.open || code.dataset.pcFilled) { return; }
        code.dataset.pcFilled = "1";
        andThen(exportText(sources), function (text) { code.textContent = text; });
      });
      /* A file beside the main one (Antigravity's agent.json), shown in full, gets its own Download. */
      panel.querySelectorAll("pre[data-pc-companion]").forEach(function (pre) {
        var name = pre.dataset.pcCompanion.split("/").pop();
        var button = document.createElement("button");
        button.type = "button";
        button.className = "md-button";
        button.textContent = "Download " + name;
        button.addEventListener("click", function () { saveText(pre.textContent, name); });
        pre.after(button);
      });
    });
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

  /* Each listing card gets its Copy prompt button here, not from the page: it needs the script anyway, and a
     listing carries many cards. It copies the persona's prompt from its JSON document, whose URL the list names
     with `{}` for the card's slug (templates/_macros.html `cards`); the button's name says whose prompt it is. */
  function addCardButtons(root) {
    root.querySelectorAll(".pc-cards[data-pc-prompts] > ul > .pc-card").forEach(function (card) {
      if (card.querySelector(".pc-card__actions")) { return; }
      var actions = document.createElement("div");
      actions.className = "pc-card__actions";
      actions.innerHTML = '<button type="button" class="md-button pc-card__copy" hidden>Copy prompt' +
        '<span class="pc-visually-hidden"></span></button><span class="pc-copy-status" role="status" aria-live="polite"></span>';
      var button = actions.firstChild;
      button.dataset.pcPrompt = card.closest("[data-pc-prompts]").dataset.pcPrompts.replace(
        "{}", encodeURIComponent(card.dataset.slug));
      button.lastChild.textContent = " of " + card.querySelector(".pc-card__title").textContent;
      /* Next to the title in the Tab order (the first card's Copy is a few Tabs from the top), drawn at the
         card's foot (catalog.css), where the buttons of a row line up. */
      card.querySelector(".pc-card__title").after(actions);
    });
  }

  function setUpCopyButtons(root) {
    addCardButtons(root);
    wireCopyButtons(root, "[data-pc-copy]", function (button) {
      var prompt = promptSource(button.closest("[data-pc-copy-scope]"));
      return prompt && function () { return copyValue(prompt()); };
    }, "Copy failed: select the text and copy it by hand");
    wireCopyButtons(root, ".pc-copy-export", function (button) {
      var sources = exportSources(button.closest(".pc-export"));
      return sources && function () { return copyValue(exportText(sources)); };
    }, "Copy failed: use Download instead");
    /* A listing card copies its persona's prompt from the JSON API, without opening the page. */
    wireCopyButtons(root, ".pc-card__copy", function (button) {
      return button.dataset.pcPrompt && function () { return copyValue(fetchPrompt(button.dataset.pcPrompt)); };
    }, "Copy failed: open the persona to copy it");
  }

  /* ---- Did you mean -------------------------------------------------------------------------------------- */

  /* Trigrams of a text (accents, case and punctuation aside): "pull-request-reviwer" and "Pull Request Reviewer"
     share most of theirs. */
  function trigrams(text) {
    var words = (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase()
      .replace(/[^\p{L}\p{N}]+/gu, " ").trim();
    var padded = "  " + words + " ", grams = new Set();
    for (var i = 0; i + 3 <= padded.length; i += 1) { grams.add(padded.slice(i, i + 3)); }
    return grams;
  }

  /* The `limit` items whose `label(item)` is nearest to `text` (Jaccard similarity of trigrams, at least 0.2),
     nearest first. */
  function nearest(text, items, label, limit) {
    var typed = trigrams(text);
    return items.map(function (item, index) {
      var grams = trigrams(label(item)), shared = 0;
      grams.forEach(function (gram) { if (typed.has(gram)) { shared += 1; } });
      return { item: item, index: index, score: shared / (typed.size + grams.size - shared || 1) };
    }).filter(function (near) { return near.score >= 0.2; })
      .sort(function (a, b) { return b.score - a.score || a.index - b.index; })
      .slice(0, limit).map(function (near) { return near.item; });
  }

  /* ---- Start ------------------------------------------------------------------------------------------ */

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

  /* For the other scripts: the home listing (listing.js) wires the cards it adds, the prompt view
     (prompt-view.js) reads the prompt's source, and each starts with the page. */
  /* A file from its parts ([prefix, encoding, suffix]) and the prompt: for bundle.js, which reads other pages. */
  function writeExport(parts, body) {
    return parts[0] + ENCODERS[parts[1]](body) + parts[2];
  }

  window.PersonaCatalog = {
    setUpCopyButtons: setUpCopyButtons, promptSource: promptSource, andThen: andThen, onEveryPage: onEveryPage,
    fetchJSON: fetchJSON, nearest: nearest, writeExport: writeExport, saveBlob: saveBlob
  };
  onEveryPage(function () {
    addExportButtons(document);
    setUpCopyButtons(document);
  });
})();
