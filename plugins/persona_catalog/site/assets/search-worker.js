/* Persona Catalog search worker: answers Material for MkDocs' search box from the site's own search index
 * (search-index/, written by persona_catalog/search/index.py; its layout is described there).
 *
 * Material posts {type: 0 (setup)} and {type: 2 (query), data: text}; it expects {type: 1 (ready)} and
 * {type: 3 (result), data: {items: [[page, ...sections]]}}, each item rendered by the theme as its own
 * search result (title, HTML text, tags, score). Personas come first, docs pages after them; listing pages
 * are not in the index at all. A query fetches the chunk file of each word, the first postings block of each
 * word's terms (in the chunk), further blocks only while an unseen page could still enter the top results, and
 * one fragment per result shown: what the words need, whatever the catalog's size.
 */
"use strict";

var SETUP = 0, READY = 1, QUERY = 2, RESULT = 3;
var PERSONAS = 10, DOCS = 5;                       /* results shown for each kind */
var PAUSE = 100;                                   /* ms without a key press before searching */
var EXPAND = 12;                                   /* terms a last, unfinished word stands for at most */
var PREFIX_CHUNKS = 3;                             /* chunk files read for an unfinished word at most */
var FETCHES = 24;                                  /* further postings blocks read for one query at most */
var FIXED = 2;                                     /* ... once the documents that can match are known */
var root = new URL("../../", self.location.href);  /* this file is assets/persona-catalog/search-worker.js */
var INDEX = "search-index/";
var latest = "", timer = null, running = false;

/* ---- Words: the same as persona_catalog/search/terms.py (tests/data/stems.json checks both). */
var KEEP = ["ss", "us", "is"];
function stem(word) {
  if (word.length <= 3 || !/^\p{L}+$/u.test(word)) { return word; }
  if (word.length > 4 && word.slice(-3) === "ies") { word = word.slice(0, -3) + "y"; }
  else if (word.slice(-4) === "sses") { word = word.slice(0, -2); }
  else if (word.slice(-1) === "s" && KEEP.every(function (k) { return word.slice(-2) !== k; })) { word = word.slice(0, -1); }
  var suffixes = ["ing", "ed"];
  for (var i = 0; i < suffixes.length; i += 1) {
    var rest = word.slice(0, -suffixes[i].length);
    if (word.slice(-suffixes[i].length) === suffixes[i] && word.slice(-3) !== "eed" && rest.length >= 3 &&
        /[aeiouy]/.test(rest)) {
      if (rest.length > 3 && rest.slice(-1) === rest.slice(-2, -1) && "aeiouylsz".indexOf(rest.slice(-1)) < 0) {
        rest = rest.slice(0, -1);
      }
      return rest;
    }
  }
  return word;
}
function fold(text) { return String(text).normalize("NFD").replace(/\p{M}/gu, "").toLowerCase(); }
var WORD_LIMIT = 64;                               /* letters of a word kept (terms.py's WORD_LIMIT) */
function cut(word) { return word.length > WORD_LIMIT ? Array.from(word).slice(0, WORD_LIMIT).join("") : word; }
function terms(text) { return (fold(text).match(/[\p{L}\p{N}]+/gu) || []).map(function (w) { return stem(cut(w)); }); }

/* ---- Fetching, each file once: JSON, bytes (`binary`), or gzipped JSON (a `.gz` path: a fragment). */
var files = new Map();
function get(path, binary) {
  if (!files.has(path)) {
    files.set(path, fetch(new URL(INDEX + path, root)).then(function (response) {
      if (!response.ok) { throw new Error(INDEX + path + ": HTTP " + response.status); }
      if (/\.gz$/.test(path)) { return response.arrayBuffer().then(inflate).then(JSON.parse); }
      return binary ? response.arrayBuffer() : response.json();
    }));
    files.get(path).catch(function () { files.delete(path); });
  }
  return files.get(path);
}

/* The text of gzipped bytes. A server that sent them with `Content-Encoding: gzip` has inflated them already:
   only bytes that start with gzip's magic number are inflated. */
function inflate(buffer) {
  var bytes = new Uint8Array(buffer);
  var inflated = bytes[0] === 0x1f && bytes[1] === 0x8b ?
    new Response(new Blob([bytes]).stream().pipeThrough(new DecompressionStream("gzip"))).arrayBuffer() : buffer;
  return Promise.resolve(inflated).then(function (data) { return new TextDecoder().decode(data); });
}

/* The longest listed chunk prefix of `term` (chunks sorted), or -1. */
function chunkOf(meta, term) {
  var best = -1, length = -1;
  meta.chunks.forEach(function (prefix, i) {
    if (prefix.length > length && term.slice(0, prefix.length) === prefix) { best = i; length = prefix.length; }
  });
  return best;
}

/* The postings lists a query word stands for: its own term, or (the last word, unfinished) the terms starting
   with it, the EXPAND strongest. Each list: {df, blocks, last, data: [id, impact, ...], next, key}. */
function lists(kind, meta, word, prefix) {
  var own = chunkOf(meta, word), wanted = own >= 0 ? [own] : [];
  if (prefix) {
    meta.chunks.forEach(function (p, i) {
      if (i !== own && p.length > word.length && p.slice(0, word.length) === word && wanted.length <= PREFIX_CHUNKS) {
        wanted.push(i);
      }
    });
  }
  return Promise.all(wanted.map(function (i) { return get(kind + "/c/" + i + ".json"); })).then(function (chunks) {
    var found = [];
    chunks.forEach(function (chunk, n) {
      chunk.forEach(function (entry, position) {  /* [term, df, blocks, last impact, first block] */
        var term = entry[0];
        if (term === word || (prefix && term.slice(0, word.length) === word)) {
          found.push({ term: term, df: entry[1], blocks: entry[2], last: entry[3], data: entry[4].slice(), next: 1,
                       key: kind + "/b/" + wanted[n] + "." + position, exact: term === word });
        }
      });
    });
    found.sort(function (a, b) { return (b.exact - a.exact) || (b.data[1] - a.data[1]); });
    return found.slice(0, EXPAND);
  });
}

function more(list) {
  var key = list.key + "." + list.next + ".json";
  list.next += 1;
  return get(key).then(function (data) { list.data = list.data.concat(data); });
}
function bits(list) {
  return get(list.key + ".bits", true).then(function (buffer) { list.bits = new Uint8Array(buffer); });
}
function complete(list) { return list.next >= list.blocks; }
function holds(list, doc) {
  if (list.bits) { return (list.bits[doc >> 3] >> (doc & 7)) & 1; }
  return complete(list) && list.scores.has(doc);
}

/* The best `k` documents (all of them when k is 0) holding every word, best first: [{doc, score}].
   Each word's score for a document is its best impact among the word's lists. The postings are read block by
   block, the list with the highest impact still unread first, until the k-th best complete score is at least
   what any other document could still reach (threshold algorithm); then membership of the words whose
   postings were not read to the end is read from their bitsets, for the documents left. */
function best(words, k) {
  var fetched = 0;
  function step() {
    var frontier = words.map(function (lists) {
      return Math.max.apply(null, lists.map(function (l) { return complete(l) ? 0 : l.data[l.data.length - 1]; }));
    });
    var scores = new Map();  /* doc -> [score per word] */
    words.forEach(function (lists, w) {
      lists.forEach(function (l) {
        l.scores = new Map();
        for (var i = 0; i < l.data.length; i += 2) {
          l.scores.set(l.data[i], l.data[i + 1]);
          var s = scores.get(l.data[i]);
          if (!s) { s = words.map(function () { return -1; }); scores.set(l.data[i], s); }
          s[w] = Math.max(s[w], l.data[i + 1]);
        }
      });
    });
    var done = [], open = [];
    var closed = words.map(function (lists) { return lists.every(complete); });
    scores.forEach(function (s, doc) {
      var sum = 0, missing = false, dead = false;
      s.forEach(function (v, w) { if (v < 0) { missing = true; if (closed[w]) { dead = true; } } else { sum += v; } });
      if (dead) { return; }
      (missing ? open : done).push({ doc: doc, score: sum, s: s });
    });
    done.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
    var unseen = closed.some(Boolean) ? -1 : frontier.reduce(function (a, b) { return a + b; }, 0);
    var reach = open.reduce(function (m, o) {
      return Math.max(m, o.s.reduce(function (sum, v, w) { return sum + (v < 0 ? frontier[w] : v); }, 0));
    }, -1);
    var kth = k && done.length >= k ? done[k - 1].score : -1;  /* fewer than k complete: none could be left out */
    var settled = k ? (kth >= unseen && kth >= reach) : (unseen < 0 && !open.length);
    var next = null;
    /* Once a word's postings are read to the end no other document can come: a few more blocks for the
       ranking, then the others' bitsets answer which of the documents left hold every word. */
    if (!settled && fetched < (!k ? Infinity : unseen < 0 ? FIXED : FETCHES)) {
      words.forEach(function (lists) {
        lists.forEach(function (l) {
          if (!complete(l) && (!next || l.data[l.data.length - 1] > next.data[next.data.length - 1])) { next = l; }
        });
      });
      if (!k) {  /* every match: the postings of the smallest word, in full; bitsets for the others */
        var smallest = words.slice().sort(function (a, b) { return total(a) - total(b); })[0];
        next = smallest.filter(function (l) { return !complete(l); })[0] || null;
      }
    }
    if (next) { fetched += 1; return more(next).then(step); }
    /* Documents some of whose words were not read to the end: ask those words' bitsets. */
    var wanted = [];
    open.forEach(function (o) {
      o.s.forEach(function (v, w) {
        if (v < 0) { words[w].forEach(function (l) { if (!complete(l) && !l.bits) { wanted.push(l); } }); }
      });
    });
    return Promise.all(Array.from(new Set(wanted)).map(bits)).then(function () {
      open.forEach(function (o) {
        var ok = o.s.every(function (v, w) {
          return v >= 0 || words[w].some(function (l) { return holds(l, o.doc); });
        });
        if (ok) {
          o.score = o.s.reduce(function (sum, v, w) {
            return sum + (v >= 0 ? v : Math.min.apply(null, words[w].map(function (l) { return l.last; })));
          }, 0);
          done.push(o);
        }
      });
      done.sort(function (a, b) { return b.score - a.score || a.doc - b.doc; });
      return k ? done.slice(0, k) : done;
    });
  }
  function total(lists) { return lists.reduce(function (n, l) { return n + l.df; }, 0); }
  return step();
}

/* The documents of `kind` holding every word of `query` (the last one as a prefix), best first. */
function query(kind, text, k) {
  return get(kind + "/meta.json").then(function (meta) {
    var words = terms(text), unfinished = !/\s$/.test(text);
    if (!words.length || !meta.docs) { return []; }
    return Promise.all(words.map(function (word, i) {
      return lists(kind, meta, word, unfinished && i === words.length - 1);
    })).then(function (found) {
      if (found.some(function (l) { return !l.length; })) { return []; }
      return best(found, k);
    });
  });
}

function escape(text) {
  return String(text == null ? "" : text).replace(/[&<>"']/g, function (c) {
    return { "&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;" }[c];
  });
}

/* An excerpt of `text` around its first word matching the query, those words in <mark>, all else escaped. */
var AROUND = 14;
function matches(word, wanted) {
  var t = stem(fold(word));
  return wanted.some(function (q) { return q.prefix ? t.slice(0, q.term.length) === q.term : t === q.term; });
}
function excerpt(text, wanted) {
  var parts = String(text).split(/([\p{L}\p{N}\p{M}]+)/u);  /* odd indexes are words */
  var first = -1;
  for (var i = 1; i < parts.length; i += 2) { if (matches(parts[i], wanted)) { first = i; break; } }
  if (first < 0) { first = 1; }
  var start = Math.max(0, first - 2 * AROUND + (first % 2)), end = Math.min(parts.length, first + 4 * AROUND);
  var out = parts.slice(start, end).map(function (part, n) {
    return (start + n) % 2 === 1 && matches(part, wanted) ? "<mark>" + escape(part) + "</mark>" : escape(part);
  }).join("");
  return (start > 0 ? "… " : "") + out.trim() + (end < parts.length ? " …" : "");
}
function found(text, wanted) {
  return String(text).split(/[^\p{L}\p{N}\p{M}]+/u).some(function (w) { return w && matches(w, wanted); });
}

/* One Material search item: the page first, then its matching sections. */
function item(data, score, marks, query) {
  var meta = data.meta || {};
  /* A persona's category, or "Documentation" over the generator's own pages (listed after every persona). */
  var label = data.pcDocs ? "Documentation" : meta.category;
  var category = label ? "<p class=\"pc-search-category\">" + escape(label) + "</p>" : "";
  if (data.pcCorrected) {  /* found for the corrected query: say so */
    category = "<p class=\"pc-search-corrected\">Did you mean <em>" + escape(data.pcCorrected) + "</em>?</p>" +
               category;
  }
  var wanted = data.pcWanted, sections = data.sections || [];
  var text = sections.map(function (s) { return s[2]; }).join(" ");
  var tags = (meta.tags || "").split(",").map(function (t) { return t.trim(); }).filter(Boolean);
  var url = new URL(String(data.url).replace(/^\/+/, ""), root).href;  /* the index's URLs are from the site's root */
  var page = {
    location: url, title: escape(data.title || data.url), text: category + "<p>" + excerpt(text, wanted) + "</p>",
    score: score, terms: marks
  };
  if (tags.length) { page.tags = tags.map(escape); }
  var subs = sections.filter(function (s) { return s[1] && (found(s[0], wanted) || found(s[2], wanted)); })
    .slice(0, 3).map(function (s, index) {
      return { location: url + "#" + encodeURIComponent(s[1]), title: escape(s[0]),
               text: "<p>" + excerpt(s[2], wanted) + "</p>", score: score / (2 + index), terms: marks };
    });
  return [page].concat(subs);
}

/* Shown in place of results when the index cannot be loaded (e.g. a site copied without its search-index/). */
function unavailable(error) {
  return {
    location: "", score: 0, terms: {}, title: "Search is unavailable",
    text: "<p>The search index <code>search-index/</code> could not be loaded (" + escape(error && error.message) +
          "). It is built by <code>mkdocs build</code> and <code>mkdocs serve</code>.</p>"
  };
}

/* ---- Did you mean: a query that finds nothing is corrected word by word to the catalog's vocabulary (the words
   of its persona names, tags and categories, search/vocabulary.json, written by the build) and searched again. */
var vocabulary = null;

function known() {
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
  return known().then(function (vocabulary) {
    var set = new Set(vocabulary), changed = false;
    var fixed = query.toLowerCase().split(/\s+/).map(function (word) {
      if (set.has(word) || word.length < 3) { return word; }
      var most = word.length > 5 ? 2 : 1, closest = null, bestDistance = most + 1;
      vocabulary.forEach(function (candidate) {
        var d = distance(word, candidate, most);
        if (d < bestDistance) { closest = candidate; bestDistance = d; }
      });
      if (closest) { changed = true; return closest; }
      return word;
    });
    return changed ? fixed.join(" ") : null;
  });
}

/* What to mark in excerpts: each word's term, the last one as a prefix while it is being typed. */
function wantedOf(text) {
  var words = terms(text), unfinished = !/\s$/.test(text);
  return words.map(function (t, i) { return { term: t, prefix: unfinished && i === words.length - 1 }; });
}

function fragments(kind, hits, extra) {
  return Promise.all(hits.map(function (hit) {
    return get(kind + "/d/" + hit.doc + ".json.gz").then(function (data) {
      Object.keys(extra).forEach(function (key) { data[key] = extra[key]; });
      return data;
    });
  }));
}

function search(text) {
  return Promise.all([query("persona", text, PERSONAS), query("docs", text, DOCS)]).then(function (hits) {
    if (text !== latest) { return []; }  /* a newer query is under way: load no result data for this one */
    if (!hits[0].length && !hits[1].length) {
      return correct(text).then(function (fixed) {
        if (!fixed || text !== latest) { return []; }
        return query("persona", fixed, PERSONAS).then(function (again) {
          return fragments("persona", again, { pcCorrected: fixed, pcWanted: wantedOf(fixed) });
        });
      });
    }
    var wanted = wantedOf(text);
    return Promise.all([fragments("persona", hits[0], { pcWanted: wanted }),
                        fragments("docs", hits[1], { pcDocs: true, pcWanted: wanted })]).then(function (pages) {
      return exactFirst(pages[0], text).concat(pages[1]);
    });
  });
}

/* A persona named exactly as the query first, then the personas carrying the query as a tag. */
function exactFirst(pages, query) {
  function key(text) { return String(text || "").trim().toLowerCase().replace(/\s+/g, " "); }
  var wanted = key(query), tag = wanted.replace(/ /g, "-");
  function tagged(data) {
    return String((data.meta || {}).tags || "").split(",").some(function (t) { return key(t) === tag; });
  }
  var exact = pages.filter(function (data) { return key(data.title) === wanted; });
  var carrying = pages.filter(function (data) { return exact.indexOf(data) < 0 && tagged(data); });
  var first = exact.concat(carrying);
  return first.concat(pages.filter(function (data) { return first.indexOf(data) < 0; }));
}

/* Answer the newest query only: a search starts once typing pauses for PAUSE ms and no other search is running,
   so a broad query for the first letters never queues up behind the last keystroke. */
function run() {
  timer = null;
  if (running) { return; }
  var text = latest;
  var marks = {};
  text.toLowerCase().split(/\s+/).forEach(function (word) { marks[word] = true; });
  running = true;
  search(text).then(function (pages) {
    if (text !== latest) { return; }
    var items = pages.map(function (data, index) { return item(data, pages.length - index, marks, text); });
    self.postMessage({ type: RESULT, data: { items: items, suggest: [] } });
  }, function (error) {
    self.postMessage({ type: RESULT, data: { items: [[unavailable(error)]], suggest: [] } });
  }).then(function () {
    running = false;
    if (text !== latest && latest && !timer) { run(); }
  });
}

/* The home page's box (listing.js) asks for every persona matching a query, as this search finds them: the
   slugs of all matches (from slugs.json, no fragment loaded), and of the best RANKED in order. */
var RANKED = 48;

function find(text) {
  return Promise.all([query("persona", text, 0), get("persona/slugs.json")]).then(function (found) {
    var hits = found[0], slugs = found[1];
    var all = hits.map(function (hit) { return slugs[hit.doc]; });
    return { query: text, all: all, ranked: all.slice(0, RANKED) };
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
  if (message.type === SETUP) {  /* sent on every page load: the index is read on the first query */
    self.postMessage({ type: READY });
  } else if (message.type === QUERY) {
    latest = String(message.data || "").trim();
    clearTimeout(timer);
    timer = null;
    if (!latest) {
      self.postMessage({ type: RESULT, data: { items: [] } });
      return;
    }
    timer = setTimeout(run, PAUSE);
  }
};
