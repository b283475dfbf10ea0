/* Persona Catalog search worker: answers Material for MkDocs' search box from the Pagefind index.
 *
 * Material posts {type: 0 (setup)} and {type: 2 (query), data: text}; it expects {type: 1 (ready)} and
 * {type: 3 (result), data: {items: [[page, ...sections]]}}, each item rendered by the theme as its own
 * search result (title, HTML text, tags, score). Personas come first, docs pages after them; listing pages
 * are not in the index at all. Pagefind loads only the index chunks for the words typed, in each shard.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var PERSONAS = 10, DOCS = 5;                       /* results shown for each kind */
var PAUSE = 100;                                   /* ms without a key press before searching */
var root = new URL("../../", self.location.href);  /* this file is assets/persona-catalog/search-worker.js */
var latest = "", timer = null, running = false;
var pagefind = null;

/* The index comes in shards (pagefind/0/, pagefind/1/, ..., listed in pagefind/shards.json), each a Pagefind
   bundle: the first is loaded, the others merged into it (Pagefind's multisite search), so one search runs over
   all and returns their results sorted by score. Resolves to null for a site with nothing to search. */
function engine() {
  if (!pagefind) {
    var options = { baseUrl: root.pathname };
    pagefind = fetch(new URL("pagefind/shards.json", root)).then(function (response) {
      if (!response.ok) { throw new Error("pagefind/shards.json: HTTP " + response.status); }
      return response.json();
    }).then(function (manifest) {
      var shards = manifest.shards.map(function (shard) { return new URL("pagefind/" + shard, root).href; });
      if (!shards.length) { return null; }
      return import(shards[0] + "pagefind.js").then(function (module) {
        return module.options(options).then(function () {
          return Promise.all(shards.slice(1).map(function (shard) { return module.mergeIndex(shard, options); }));
        }).then(function () { return module; });
      });
    });
  }
  return pagefind;
}

function escape(text) {
  return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
  });
}

/* One Material search item: the page first, then its matching sections (Pagefind's sub-results). */
function item(data, score, terms) {
  var meta = data.meta || {};
  /* A persona's category, or "Documentation" over the generator's own pages (listed after every persona). */
  var label = data.pcDocs ? "Documentation" : meta.category;
  var category = label ? "<p class=\"pc-search-category\">" + escape(label) + "</p>" : "";
  if (data.pcCorrected) {  /* found for the corrected query: say so */
    category = "<p class=\"pc-search-corrected\">Did you mean <em>" + escape(data.pcCorrected) + "</em>?</p>" +
               category;
  }
  var tags = (meta.tags || "").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
  var page = {
    location: data.url, title: escape(meta.title || data.url), text: category + "<p>" + data.excerpt + "</p>",
    score: score, terms: terms
  };
  if (tags.length) { page.tags = tags.map(escape); }
  var sections = (data.sub_results || []).filter(function (sub) { return sub.anchor && sub.anchor.element !== "h1"; }).slice(0, 3)
    .map(function (sub, index) {
      return { location: sub.url, title: escape(sub.title), text: "<p>" + sub.excerpt + "</p>",
               score: score / (2 + index), terms: terms };
    });
  return [page].concat(sections);
}

/* Shown in place of results when the index cannot be loaded (e.g. a site copied without its pagefind/ folder). */
function unavailable(error) {
  return {
    location: "", score: 0, terms: {}, title: "Search is unavailable",
    text: "<p>The search index <code>pagefind/</code> could not be loaded (" + escape(error && error.message) +
          "). It is built by <code>mkdocs build</code> and <code>mkdocs serve</code>.</p>"
  };
}

/* ---- Did you mean: a query that finds nothing is corrected word by word to the catalog's vocabulary (the words
   of its persona names, tags and categories, search/vocabulary.json, written by the build) and searched again. */
var vocabulary = null;

function words() {
  vocabulary = vocabulary || fetch(new URL("search/vocabulary.json", root)).then(function (response) {
    return response.ok ? response.json() : { words: [] };
  }).then(function (data) { return data.words || []; }, function () { return []; });
  return vocabulary;
}

/* Damerau-Levenshtein distance (adjacent swaps count one), giving up beyond `most`. */
function distance(a, b, most) {
  if (Math.abs(a.length - b.length) > most) { return most + 1; }
  var rows = [], i, j;
  for (i = 0; i <= a.length; i += 1) { rows.push([i]); }
  for (j = 1; j <= b.length; j += 1) { rows[0][j] = j; }
  for (i = 1; i <= a.length; i += 1) {
    for (j = 1; j <= b.length; j += 1) {
      var cost = a[i - 1] === b[j - 1] ? 0 : 1;
      rows[i][j] = Math.min(rows[i - 1][j] + 1, rows[i][j - 1] + 1, rows[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        rows[i][j] = Math.min(rows[i][j], rows[i - 2][j - 2] + 1);
      }
    }
  }
  return rows[a.length][b.length];
}

/* The query with each word that is not in the vocabulary replaced by its nearest word there (one edit for words
   of up to five letters, two for longer ones), or null when nothing changes. */
function correct(query) {
  return words().then(function (known) {
    var set = new Set(known), changed = false;
    var fixed = query.toLowerCase().split(/\s+/).map(function (word) {
      if (set.has(word) || word.length < 3) { return word; }
      var most = word.length > 5 ? 2 : 1, best = null, bestDistance = most + 1;
      known.forEach(function (candidate) {
        var d = distance(word, candidate, most);
        if (d < bestDistance) { best = candidate; bestDistance = d; }
      });
      if (best) { changed = true; return best; }
      return word;
    });
    return changed ? fixed.join(" ") : null;
  });
}

function search(query) {
  return engine().then(function (module) {
    if (!module) { return []; }
    return Promise.all([
      module.search(query, { filters: { kind: "persona" } }),
      module.search(query, { filters: { kind: "docs" } })
    ]).then(function (found) {
      if (query !== latest) { return []; }  /* a newer query is under way: load no result data for this one */
      if (!found[0].results.length && !found[1].results.length) {
        return correct(query).then(function (fixed) {
          if (!fixed || query !== latest) { return []; }
          return module.search(fixed, { filters: { kind: "persona" } }).then(function (again) {
            return Promise.all(again.results.slice(0, PERSONAS).map(function (hit) {
              return hit.data().then(function (data) { data.pcCorrected = fixed; return data; });
            }));
          });
        });
      }
      var personas = found[0].results.slice(0, PERSONAS), docs = found[1].results.slice(0, DOCS);
      return Promise.all(personas.concat(docs).map(function (hit, index) {
        return hit.data().then(function (data) { data.pcDocs = index >= personas.length; return data; });
      })).then(function (pages) { return exactFirst(pages, query); });
    });
  });
}

/* A persona named exactly as the query first, then the personas carrying the query as a tag: each shard scores
   its pages by its own word statistics, so across shards another page can outscore them (which pages share a
   shard changes whenever a page is added). */
function exactFirst(pages, query) {
  function key(text) { return String(text || "").trim().toLowerCase().replace(/\s+/g, " "); }
  var wanted = key(query), tag = wanted.replace(/ /g, "-");
  function persona(data) { return !data.pcDocs; }
  function tagged(data) {
    return String((data.meta || {}).tags || "").split(",").some(function (t) { return key(t) === tag; });
  }
  var exact = pages.filter(function (data) { return persona(data) && key((data.meta || {}).title) === wanted; });
  var carrying = pages.filter(function (data) { return persona(data) && exact.indexOf(data) < 0 && tagged(data); });
  var first = exact.concat(carrying);
  return first.concat(pages.filter(function (data) { return first.indexOf(data) < 0; }));
}

/* Answer the newest query only: a search starts once typing pauses for PAUSE ms and no other search is running,
   so a broad query for the first letters (every page matches) never queues up behind the last keystroke. */
function run() {
  timer = null;
  if (running) { return; }
  var query = latest;
  var terms = {};
  query.toLowerCase().split(/\s+/).forEach(function (word) { terms[word] = true; });
  running = true;
  search(query).then(function (pages) {
    if (query !== latest) { return; }
    var items = pages.map(function (data, index) { return item(data, pages.length - index, terms); });
    self.postMessage({ type: RESULT, data: { items: items, suggest: [] } });
  }, function (error) {
    self.postMessage({ type: RESULT, data: { items: [[unavailable(error)]], suggest: [] } });
  }).then(function () {
    running = false;
    if (query !== latest && latest && !timer) { run(); }
  });
}

/* The home page's box (listing.js) asks for every persona matching a query, as this search finds them: the
   slugs of all matches, from the slug filter's counts (no result data loaded), and of the best RANKED in order. */
var RANKED = 48;
var filtersLoaded = null;

function find(query) {
  return engine().then(function (module) {
    if (!module) { return null; }
    /* A search counts only the filters already loaded: the slug filter is loaded once, before the first. */
    filtersLoaded = filtersLoaded || module.filters();
    return filtersLoaded.then(function () {
      return module.search(query, { filters: { kind: "persona" } });
    }).then(function (found) {
      var counts = (found.filters && found.filters.slug) || {};
      var all = Object.keys(counts).filter(function (slug) { return counts[slug] > 0; });
      return Promise.all(found.results.slice(0, RANKED).map(function (hit) { return hit.data(); })).then(
        function (pages) {
          return { query: query, all: all,
                   ranked: pages.map(function (data) { return (data.meta || {}).slug; }).filter(Boolean) };
        });
    });
  });
}

self.onmessage = function (event) {
  var message = event.data;
  if (message.type === "pc-find") {
    find(String(message.data || "")).then(function (found) {
      self.postMessage({ type: "pc-found", data: found });
    }, function () { self.postMessage({ type: "pc-found", data: null }); });
    return;
  }
  if (message.type === SETUP) {  /* sent on every page load: Pagefind itself loads on the first query */
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    latest = String(message.data || "").trim();
    clearTimeout(timer);
    timer = null;
    if (!latest) {
      self.postMessage({ type: RESULT, data: { items: [] } });
      return;
    }
    engine().then(function (module) { if (module) { module.preload(latest); } }, function () {});  /* fetch its chunks now */
    timer = setTimeout(run, PAUSE);
  }
};
