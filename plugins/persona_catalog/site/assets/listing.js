/* Persona Catalog: the home listing. Filters, sort and pages over the compact listing (api/v1/listing.json,
   fetched once); the cards it shows are copies of the page's first card, filled in. The state
   lives in the URL (?find=, ?category=, ?model=, ?context=, ?tag= (repeatable, AND), ?sort=updated, ?page=;
   not ?q=, which is Material's header search). The text box finds what the header search finds: the site's
   search worker (search-worker.js, the site's own index) answers with every matching persona, best first, so words match
   whole (stemmed: plural and singular) in any field and the prompt; until it answers, or on a site without it,
   every word must begin a word of the name, description, tags or category. Without JavaScript the page shows
   the first page of cards and links to the paginated listings. */
(function () {
  "use strict";

  var FACETS = ["category", "model", "context"];
  var NEAR = 2;  /* the pager links the first and last pages and NEAR pages either side of the current one */
  var DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return (text || "").split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  }

  /* A rough stem, for the fallback's matching: "reviewers" -> "reviewer", "queries" -> "quer". */
  function stem(word) {
    return word.replace(/(ies|es|s)$/, "").replace(/(ing|ed)$/, "") || word;
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    var page = parseInt(params.get("page"), 10);
    return {
      find: params.get("find") || "",
      category: params.get("category") || "",
      model: params.get("model") || "",
      context: params.get("context") || "",
      tags: params.getAll("tag").filter(Boolean),
      sort: params.get("sort") === "updated" ? "updated" : "",
      page: page > 1 ? page : 1
    };
  }

  function stateQuery(state, page) {
    var params = new URLSearchParams();
    if (state.find) { params.set("find", state.find); }
    FACETS.forEach(function (facet) { if (state[facet]) { params.set(facet, state[facet]); } });
    state.tags.forEach(function (tag) { params.append("tag", tag); });
    if (state.sort) { params.set("sort", state.sort); }
    if (page > 1) { params.set("page", String(page)); }
    /* The bundle's picks (bundle.js) stay in the URL beside the filters. */
    new URLSearchParams(window.location.search).getAll("pick").forEach(function (slug) { params.append("pick", slug); });
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function filtered(state) {
    return Boolean(state.find || state.category || state.model || state.context || state.tags.length);
  }

  /* Does a persona match the text: among the search's answer for it, or (before that answer, or without the
     search) does every word begin one of its words, stems compared? */
  function textMatches(item, terms, found) {
    if (found) { return found.all.has(item.entry.s); }
    return terms.every(function (term) {
      var root = stem(term);
      return item.words.some(function (word) { return word.lastIndexOf(root, 0) === 0 || stem(word) === root; });
    });
  }

  /* Does a persona match the state, ignoring the facet named `except` (for that facet's counts)? */
  function matches(item, state, terms, except, found) {
    if (terms.length && !textMatches(item, terms, found)) { return false; }
    if (except !== "category" && state.category && item.category !== state.category) { return false; }
    if (except !== "model" && state.model && item.models.indexOf(state.model) === -1) { return false; }
    if (except !== "context" && state.context && item.context !== state.context) { return false; }
    return state.tags.every(function (tag) { return item.tags.indexOf(tag) !== -1; });
  }

  function facetValues(item, facet) {
    return facet === "model" ? item.models : [item[facet]];
  }

  /* Keys from the data or the URL (a slug, tag, category or model may be `constructor`, `?tag=__proto__`) are
     looked up only among an object's own keys, and counted in objects without a prototype. */
  function own(object, key) {
    return Object.prototype.hasOwnProperty.call(object, key) ? object[key] : undefined;
  }

  function count(counts, key) {
    counts[key] = (counts[key] || 0) + 1;
  }

  /* ---- Cards ------------------------------------------------------------------------------------------ */

  function element(name, className, text) {
    var made = document.createElement(name);
    if (className) { made.className = className; }
    made.textContent = text;
    return made;
  }

  /* A card for one persona of the listing: a copy of a server-rendered card (templates/_macros.html `cards`) with
     its texts and links replaced, and the parts a persona may lack (models, tags, author, version) made anew.
     Its Copy prompt button is catalog.js's, added when the card is shown. */
  function fill(proto, entry, data, url) {
    var card = proto.cloneNode(true);
    var title = card.querySelector(".pc-card__title a");
    var category = card.querySelector(".pc-card__category");
    var byline = card.querySelector(".pc-card__byline");
    var time = byline.querySelector("time");
    var actions = card.querySelector(".pc-card__actions");
    var updated = new Date((entry.u || 0) * 1000);
    var tags = entry.t || [];
    if (actions) { actions.remove(); }
    card.dataset.slug = entry.s;
    title.textContent = entry.n;
    title.href = url("persona", entry.s);
    card.querySelector(".pc-card__description").textContent = entry.d;
    category.textContent = own(data.categories, entry.c) || entry.c;
    category.href = url("category", entry.c);
    category.parentNode.replaceChildren.apply(category.parentNode, [category].concat((entry.m || []).map(
      function (model) { return element("span", "pc-chip", model); })));
    var list = card.querySelector(".pc-tags");
    if (list) { list.remove(); }
    if (tags.length) {
      list = element("div", "md-tags pc-tags", "");
      list.append.apply(list, tags.map(function (tag) {
        var link = element("a", "md-tag", tag);
        link.href = url("tag", tag);
        return link;
      }));
      byline.before(list);
    }
    var parts = [];
    if (entry.a) { parts.push(element("span", "", "by " + entry.a)); }
    if (entry.v) { parts.push(element("span", "", "v" + entry.v)); }
    byline.replaceChildren.apply(byline, parts.concat([time.parentNode]));
    time.dateTime = updated.toISOString().slice(0, 10);
    time.textContent = DATE.format(updated);
    return card;
  }

  /* ---- The listing ------------------------------------------------------------------------------------ */

  function Listing(section, data, state) {
    var root = section.dataset.pcRoot;
    var paths = JSON.parse(section.dataset.pcPaths);
    this.section = section;
    this.form = section.querySelector("[data-pc-filters]");
    this.status = section.querySelector("[data-pc-count]");
    this.empty = section.querySelector("[data-pc-empty]");
    this.list = section.querySelector(".pc-cards > ul");
    this.pages = section.querySelector("[data-pc-pages]");
    this.clear = section.querySelector(".pc-clear");
    this.sort = section.querySelector("[data-pc-sort]");
    this.proto = this.list.firstElementChild;  /* the cards it adds are copies of the first */
    this.size = Math.max(1, parseInt(section.dataset.pcPageSize, 10) || 24);
    this.data = data;
    this.url = function (kind, id) { return root + own(paths, kind).replace("{}", encodeURIComponent(id)); };
    this.cards = new Map();  /* slug -> card */
    var cards = this.cards;
    Array.prototype.forEach.call(this.list.children, function (card) { cards.set(card.dataset.slug, card); });
    this.items = data.personas.map(function (entry, index) {
      return {
        entry: entry, index: index, category: entry.c, models: entry.m || [], context: entry.x || "",
        tags: entry.t || [], updated: entry.u || 0,
        words: words(fold([entry.n, entry.d, (entry.t || []).join(" "), entry.c, own(data.categories, entry.c)]
          .join(" ")))
      };
    });
    this.found = null;  /* the search's answer for the text typed: {query, all: Set of slugs, rank: Map} */
    this.finder = finder(this);
    this.tags = new window.PersonaCatalog.TagFacet(this.form.querySelector("[data-pc-tags]"));
    this.state = state;
  }

  Listing.prototype.card = function (item) {
    var slug = item.entry.s;
    if (!this.cards.has(slug)) {
      this.cards.set(slug, fill(this.proto, item.entry, this.data, this.url));
    }
    return this.cards.get(slug);
  };

  /* The form shows the state (after a shared link or Back). */
  Listing.prototype.show = function () {
    var form = this.form, state = this.state;
    form.elements.find.value = state.find;
    this.sort.value = state.sort;
    FACETS.forEach(function (name) {
      var select = form.elements[name];
      if (state[name] && !select.querySelector('option[value="' + CSS.escape(state[name]) + '"]')) {
        var option = new Option(state[name], state[name]);
        option.dataset.label = state[name];
        select.add(option);
      }
      select.value = state[name];
    });
  };

  /* The state from the form, after any change; a new filter or sort starts again at page 1. */
  Listing.prototype.read = function () {
    var form = this.form, before = stateQuery(this.state, 1), page = this.state.page;
    this.state = {
      find: form.elements.find.value.trim(),
      category: form.elements.category.value,
      model: form.elements.model.value,
      context: form.elements.context.value,
      tags: this.tags.values(),
      sort: this.sort.value,
      page: 1
    };
    if (stateQuery(this.state, 1) === before) { this.state.page = page; }
    this.write();
    this.update();
  };

  /* The URL shows the state. */
  Listing.prototype.write = function () {
    window.history.replaceState(null, "", window.location.pathname + stateQuery(this.state, this.state.page) +
                                window.location.hash);
  };

  Listing.prototype.go = function (page) {
    this.state.page = page;
    window.history.pushState(null, "", window.location.pathname + stateQuery(this.state, page) + window.location.hash);
    this.update();
    var top = this.status.getBoundingClientRect().top;
    if (top < 0 || top > window.innerHeight) { this.status.scrollIntoView(); }
    this.list.focus({ preventScroll: true });
  };

  Listing.prototype.update = function () {
    var state = this.state, items = this.items, terms = words(fold(state.find));
    var found = this.found && this.found.query === state.find ? this.found : null;
    if (terms.length && !found) { this.ask(state.find); }
    var results = items.filter(function (item) { return matches(item, state, terms, null, found); });
    if (state.sort === "updated") {
      results.sort(function (a, b) { return b.updated - a.updated || a.index - b.index; });
    } else if (found) {  /* best match first, as the header search ranks them; the rest by name */
      var rank = function (item) { var r = found.rank.get(item.entry.s); return r === undefined ? Infinity : r; };
      results.sort(function (a, b) { return rank(a) - rank(b) || a.index - b.index; });
    }
    this.sort.options[0].textContent = terms.length ? "best match" : "name";
    var pages = Math.max(1, Math.ceil(results.length / this.size));
    state.page = Math.min(state.page, pages);
    var shown = results.slice((state.page - 1) * this.size, state.page * this.size).map(this.card, this);
    if (window.PersonaCatalog.replaceChildren(this.list, shown)) { window.PersonaCatalog.setUpCopyButtons(this.list); }
    this.status.textContent = results.length === items.length
      ? items.length + " personas"
      : "Showing " + results.length + " of " + items.length + " personas";
    this.empty.hidden = results.length !== 0;
    if (!results.length) { this.nothing(state.find); }
    this.clear.hidden = !filtered(state);
    this.counts(terms, found);
    this.pager(pages);
  };

  /* Each option's count: the results it would give with the other filters kept. */
  Listing.prototype.counts = function (terms, found) {
    var form = this.form, state = this.state, items = this.items;
    FACETS.forEach(function (facet) {
      var counts = Object.create(null);
      items.forEach(function (item) {
        if (matches(item, state, terms, facet, found)) { facetValues(item, facet).forEach(function (v) { count(counts, v); }); }
      });
      Array.prototype.forEach.call(form.elements[facet].options, function (option) {
        if (!option.value) { return; }
        var n = counts[option.value] || 0;
        option.textContent = option.dataset.label + " (" + n + ")";
        option.disabled = n === 0 && option.value !== state[facet];
      });
    });
    var tagCounts = Object.create(null);  /* tags combine with AND: a tag's count is how many results carry it */
    items.forEach(function (item) {
      if (matches(item, state, terms, null, found)) { item.tags.forEach(function (tag) { count(tagCounts, tag); }); }
    });
    this.tags.update(tagCounts, state.tags);
  };

  /* Asks the search worker for every persona matching `query` (once per query; the newest answer counts). */
  Listing.prototype.ask = function (query) {
    if (this.finder && this.asked !== query) {
      this.asked = query;
      this.finder.postMessage({ type: "pc-find", data: query });
    }
  };

  Listing.prototype.answer = function (found) {
    if (!found || found.query !== this.state.find) { return; }
    this.found = { query: found.query, all: new Set(found.all), rank: new Map(found.ranked.map(
      function (slug, index) { return [slug, index]; })) };
    this.update();
    this.section.dataset.pcFound = found.query;  /* for tests: the search's answer is shown */
  };

  /* Nothing matches: say so, offer the whole site's search for the words and the names nearest to them. */
  Listing.prototype.nothing = function (text) {
    var parts = [document.createTextNode("No persona matches these filters. ")];
    if (text) {
      var everywhere = element("a", "", "Search the whole site for \u201c" + text + "\u201d");
      everywhere.href = "?" + new URLSearchParams({ q: text });  /* Material's search box opens for ?q= */
      parts.push(everywhere, document.createTextNode(". "));
      var url = this.url;
      var near = window.PersonaCatalog.nearest(text, this.items, function (item) { return item.entry.n; }, 3);
      if (near.length) {
        parts.push(document.createTextNode("Did you mean "));
        near.forEach(function (item, index) {
          var link = element("a", "", item.entry.n);
          link.href = url("persona", item.entry.s);
          parts.push(link, document.createTextNode(index === near.length - 1 ? "? " : " or "));
        });
      }
    }
    var clear = element("a", "", "Clear filters");
    clear.href = "?";
    clear.dataset.pcClear = "";
    this.empty.replaceChildren.apply(this.empty, parts.concat([clear]));
  };

  /* Previous, the first and last pages, NEAR either side of the current one, Next: real links (?page=N); the
     same rule as the server's pager (templates/_macros.html `pager`). */
  Listing.prototype.pager = function (pages) {
    var nav = this.pages, state = this.state, links = [];
    function link(page, text, rel) {
      var a = document.createElement("a");
      a.className = "md-pagination__link";
      a.href = stateQuery(state, page) || "?";
      a.dataset.pcPage = String(page);
      a.textContent = text;
      if (rel) { a.rel = rel; }
      return a;
    }
    if (state.page > 1) { links.push(link(state.page - 1, "Previous", "prev")); }
    for (var page = 1; page <= pages; page += 1) {
      if (page === 1 || page === pages || Math.abs(page - state.page) <= NEAR) {
        if (page === state.page) {
          var current = document.createElement("span");
          current.className = "md-pagination__current";
          current.setAttribute("aria-current", "page");
          current.textContent = String(page);
          links.push(current);
        } else {
          links.push(link(page, String(page)));
        }
      } else if (page === 2 || page === pages - 1) {
        var dots = document.createElement("span");
        dots.className = "md-pagination__dots";
        dots.textContent = "\u2026";
        links.push(dots);
      }
    }
    if (state.page < pages) { links.push(link(state.page + 1, "Next", "next")); }
    nav.replaceChildren.apply(nav, links);
    nav.hidden = pages < 2;
  };

  Listing.prototype.start = function () {
    var listing = this, form = this.form;
    form.addEventListener("input", function () { listing.read(); });  /* selects and checkboxes fire it too */
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () {  /* Clear filters keeps the order */
      var sort = listing.sort.value;
      window.setTimeout(function () { listing.sort.value = sort; listing.read(); }, 0);
    });
    this.empty.addEventListener("click", function (event) {
      if (event.target.closest("[data-pc-clear]")) {
        event.preventDefault();
        form.reset();
      }
    });
    this.pages.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-pc-page]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      listing.go(parseInt(link.dataset.pcPage, 10));
    });
    this.list.tabIndex = -1;  /* focus lands on the list after a page change */
    this.show();
    this.update();
    this.section.querySelector("[data-pc-more]").hidden = true;
    this.section.dataset.pcLoaded = "1";
  };

  /* The listing of the page shown: the window's listeners are added once and act on it, as Material's instant
     navigation swaps pages without reloading. */
  var current = null;

  function shown() {
    return current && current.section.isConnected ? current : null;
  }

  window.addEventListener("popstate", function () {
    var listing = shown();
    if (listing) {
      listing.state = readState(window.location.search);
      listing.show();
      listing.update();
    }
  });

  /* The site's search worker (search-worker.js, named by the theme's configuration as Material's own worker),
     started for the listing, or null on a site whose search is another (Material's lunr): the fallback matches. */
  function finder(listing) {
    var config = document.getElementById("__config");
    var settings = config ? JSON.parse(config.textContent) : {};
    if (!settings.search || !/persona-catalog\/search-worker\.js$/.test(settings.search) || !window.Worker) {
      return null;
    }
    var base = new URL(settings.base || ".", window.location.href).href.replace(/\/?$/, "/");
    var worker = new Worker(new URL(settings.search, base));
    worker.onmessage = function (event) {
      if (event.data && event.data.type === "pc-found") { listing.answer(event.data.data); }
    };
    return worker;
  }

  function setUp() {
    var section = document.querySelector(".pc-browse[data-pc-listing]");
    if (!section || section.dataset.pcReady) { return; }
    section.dataset.pcReady = "1";
    var state = readState(window.location.search);
    var form = section.querySelector("[data-pc-filters]");
    form.hidden = false;  /* at once, so the page does not move when the listing arrives */
    window.PersonaCatalog.fetchJSON(section.dataset.pcListing).then(function (data) {
      if (!section.isConnected) { return; }  /* the reader has moved on */
      if (current && current.finder) { current.finder.terminate(); }
      current = new Listing(section, data, state);
      current.start();
    }, function () {
      form.hidden = true;  /* the links under the cards still lead to every persona */
    });
  }

  window.PersonaCatalog.onEveryPage(setUp);  /* catalog.js, loaded first */
})();
