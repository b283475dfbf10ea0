/* Persona Catalog: pick your own bundle on the home listing. A checkbox on every card (the selection is kept in
   the URL as repeated `?pick=<slug>`, beside the filters), a tool to choose, and Download: one zip made in the
   browser from what the site publishes, each persona's page (its tool panel carries the file cut around the prompt,
   exports/formats.py `parts`; catalog.js writes the prompt back), laid out as the tool expects in a project. The
   same selection is shown as install commands. No server, no dependencies: the zip is stored (not compressed). */
(function () {
  "use strict";

  /* ---- A stored zip (PKWARE APPNOTE 4.3), dated 1980-01-01 as the site's own zips ---------------------------- */

  var CRC_TABLE = (function () {
    var table = new Uint32Array(256);
    for (var n = 0; n < 256; n++) {
      var c = n;
      for (var k = 0; k < 8; k++) { c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1; }
      table[n] = c >>> 0;
    }
    return table;
  })();

  function crc32(bytes) {
    var crc = 0xffffffff;
    for (var i = 0; i < bytes.length; i++) { crc = CRC_TABLE[(crc ^ bytes[i]) & 0xff] ^ (crc >>> 8); }
    return (crc ^ 0xffffffff) >>> 0;
  }

  /* `files`: [[name, text]] -> a Blob of the zip holding them, in that order. */
  function storedZip(files) {
    var encoder = new TextEncoder();
    var chunks = [], central = [], offset = 0;
    files.forEach(function (file) {
      var name = encoder.encode(file[0]), data = encoder.encode(file[1]), crc = crc32(data);
      var utf8 = /[^\x00-\x7f]/.test(file[0]) ? 0x800 : 0;
      var local = new DataView(new ArrayBuffer(30));
      [[0, 0x04034b50, 4], [4, 20, 2], [6, utf8, 2], [8, 0, 2], [10, 0, 2], [12, 0x21, 2], [14, crc, 4],
       [18, data.length, 4], [22, data.length, 4], [26, name.length, 2], [28, 0, 2]].forEach(function (f) {
        if (f[2] === 4) { local.setUint32(f[0], f[1], true); } else { local.setUint16(f[0], f[1], true); }
      });
      var entry = new DataView(new ArrayBuffer(46));
      [[0, 0x02014b50, 4], [4, 0x0314, 2], [6, 20, 2], [8, utf8, 2], [10, 0, 2], [12, 0, 2], [14, 0x21, 2],
       [16, crc, 4], [20, data.length, 4], [24, data.length, 4], [28, name.length, 2], [30, 0, 2], [32, 0, 2],
       [34, 0, 2], [36, 0, 2], [38, 0o644 << 16, 4], [42, offset, 4]].forEach(function (f) {
        if (f[2] === 4) { entry.setUint32(f[0], f[1] >>> 0, true); } else { entry.setUint16(f[0], f[1], true); }
      });
      chunks.push(local, name, data);
      central.push(entry, name);
      offset += 30 + name.length + data.length;
    });
    var size = central.reduce(function (sum, part) { return sum + part.byteLength; }, 0);
    var end = new DataView(new ArrayBuffer(22));
    end.setUint32(0, 0x06054b50, true);
    end.setUint16(8, files.length, true);
    end.setUint16(10, files.length, true);
    end.setUint32(12, size, true);
    end.setUint32(16, offset, true);
    return new Blob(chunks.concat(central, [end]), { type: "application/zip" });
  }

  /* ---- One persona's files for one tool, from its page ----------------------------------------------------- */

  /* The persona page as a document; its export panel for `format` and the prompt (a promise). */
  function personaFiles(url, format) {
    return fetch(url).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.text();
    }).then(function (html) {
      var doc = new DOMParser().parseFromString(html, "text/html");
      var panel = doc.querySelector('.pc-export[data-pc-format="' + format + '"]');
      var scope = doc.querySelector("[data-pc-copy-scope]");
      if (!panel || !scope) { throw new Error("no " + format + " file on " + url); }
      var remote = scope.querySelector("[data-pc-src]");
      if (remote) {  /* a long prompt: its JSON document, relative to the persona's page */
        remote.dataset.pcSrc = new URL(remote.dataset.pcSrc, new URL(url, window.location.href)).href;
      }
      var prompt = window.PersonaCatalog.promptSource(scope);
      return Promise.resolve(prompt()).then(function (body) {
        var parts = JSON.parse(panel.querySelector("script").textContent);
        var files = [[panel.dataset.pcPath, window.PersonaCatalog.writeExport(parts, body)]];
        panel.querySelectorAll("pre[data-pc-companion]").forEach(function (pre) {
          files.push([pre.dataset.pcCompanion, pre.textContent]);
        });
        var published = panel.querySelector("a[data-pc-export-file]");
        return { files: files, url: published && new URL(published.getAttribute("href"), new URL(url, window.location.href)).href };
      });
    });
  }

  /* ---- The selection ------------------------------------------------------------------------------------ */

  function picked() {
    return new URLSearchParams(window.location.search).getAll("pick").filter(Boolean);
  }

  function setPicked(slugs) {
    var params = new URLSearchParams(window.location.search);
    params.delete("pick");
    slugs.forEach(function (slug) { params.append("pick", slug); });
    var query = params.toString();
    window.history.replaceState(null, "", window.location.pathname + (query ? "?" + query : "") + window.location.hash);
  }

  function addBoxes(section) {
    var chosen = picked();
    section.querySelectorAll(".pc-card[data-slug]").forEach(function (card) {
      var box = card.querySelector(".pc-pick input");
      if (!box) {
        var label = document.createElement("label");
        label.className = "pc-pick";
        label.innerHTML = '<input type="checkbox"> <span>Add to bundle</span>';
        card.appendChild(label);
        box = label.firstChild;
      }
      box.checked = chosen.indexOf(card.dataset.slug) !== -1;
      box.dataset.slug = card.dataset.slug;
    });
  }

  function setUp() {
    var section = document.querySelector(".pc-browse[data-pc-listing]");
    var panel = section && section.querySelector("[data-pc-bundle]");
    if (!panel || panel.dataset.pcReady) { return; }
    panel.dataset.pcReady = "1";
    panel.hidden = false;
    var paths = JSON.parse(section.dataset.pcPaths);
    var root = section.dataset.pcRoot;
    var tool = panel.querySelector("select");
    var status = panel.querySelector("[data-pc-bundle-status]");
    var commands = panel.querySelector("[data-pc-bundle-commands]");
    var button = panel.querySelector("button");

    function refresh() {
      var count = picked().length;
      status.textContent = count ? count + " persona" + (count === 1 ? "" : "s") + " in your bundle" :
        "Tick “Add to bundle” on the cards to choose personas.";
      button.disabled = !count;
      addBoxes(section);
    }

    section.addEventListener("change", function (event) {
      var box = event.target.closest(".pc-pick input");
      if (!box) { return; }
      var slugs = picked().filter(function (slug) { return slug !== box.dataset.slug; });
      if (box.checked) { slugs.push(box.dataset.slug); }
      setPicked(slugs);
      refresh();
    });
    new MutationObserver(function () { addBoxes(section); }).observe(section, { childList: true, subtree: true });
    window.addEventListener("popstate", refresh);

    button.addEventListener("click", function () {
      var format = tool.value, slugs = picked();
      status.textContent = "Making the zip…";
      Promise.all(slugs.map(function (slug) {
        return personaFiles(root + paths.persona.replace("{}", encodeURIComponent(slug)), format);
      })).then(function (results) {
        var files = [].concat.apply([], results.map(function (r) { return r.files; }));
        var name = "personas-" + format + ".zip";
        window.PersonaCatalog.saveBlob(storedZip(files), name);
        var lines = results.every(function (r) { return r.url; }) ?
          results.map(function (r) {
            var path = r.files[0][0], folder = path.lastIndexOf("/") > 0 ? path.slice(0, path.lastIndexOf("/")) : ".";
            return "mkdir -p " + folder + " && curl -fsSL " + r.url + " -o " + path;
          }) : ["unzip -o " + name + "   # at the root of your project: " +
                files.map(function (f) { return f[0]; }).join(", ")];
        commands.textContent = lines.join("\n");
        panel.querySelector("[data-pc-bundle-output]").hidden = false;
        status.textContent = "Downloaded " + name + ": " + files.length + " file" + (files.length === 1 ? "" : "s");
      }, function (error) {
        status.textContent = "The zip could not be made: " + error.message;
      });
    });
    refresh();
  }

  window.PersonaCatalog.onEveryPage(setUp);
})();
