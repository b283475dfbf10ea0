/* Persona Catalog: the home listing. Filters, sort and pages over the compact listing (api/v1/listing.json,
   fetched once); the cards of later pages are copies of the page's own card <template>, filled in. The state
   lives in the URL (?q=, ?category=, ?model=, ?context=, ?tag= (repeatable, AND), ?sort=updated, ?page=).
   Without JavaScript the page shows the first page of cards and links to the paginated listings. */
(function () {
  "use strict";

  var FACETS = ["category", "model", "context"];
  var TOP_TAGS = 12;    /* tags offered before anything is typed: the most used among the results */
  var FOUND_TAGS = 40;  /* tags offered for what is typed, the most used first */
  var DATE = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

  function fold(text) {
    return (text || "").normalize("NFD").replace(/[\u0300-\u036f]/g, "").toLowerCase();
  }

  function words(text) {
    return (text || "").split(/\s+/).filter(Boolean);
  }

  function readState(search) {
    var params = new URLSearchParams(search);
    var page = parseInt(params.get("page"), 10);
    return {
      q: params.get("q") || "",
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
    if (state.q) { params.set("q", state.q); }
    FACETS.forEach(function (facet) { if (state[facet]) { params.set(facet, state[facet]); } });
    state.tags.forEach(function (tag) { params.append("tag", tag); });
    if (state.sort) { params.set("sort", state.sort); }
    if (page > 1) { params.set("page", String(page)); }
    var query = params.toString();
    return query ? "?" + query : "";
  }

  function filtered(state) {
    return Boolean(state.q || state.category || state.model || state.context || state.tags.length);
  }

  /* Does a persona match the state, ignoring the facet named `except` (for that facet's counts)? */
  function matches(item, state, terms, except) {
    if (terms.some(function (term) { return item.text.indexOf(term) === -1; })) { return false; }
    if (except !== "category" && state.category && item.category !== state.category) { return false; }
    if (except !== "model" && state.model && item.models.indexOf(state.model) === -1) { return false; }
    if (except !== "context" && state.context && item.context !== state.context) { return false; }
    return state.tags.every(function (tag) { return item.tags.indexOf(tag) !== -1; });
  }

  function facetValues(item, facet) {
    return facet === "model" ? item.models : [item[facet]];
  }

  function count(counts, key) {
    counts[key] = (counts[key] || 0) + 1;
  }

  /* Put `children` in `parent` unless they are there already: moving an element loses its focus (and a click
     on it that has begun). Returns whether anything changed. */
  function replaceChildren(parent, children) {
    var current = parent.children;
    if (children.length === current.length && children.every(function (child, i) { return child === current[i]; })) {
      return false;
    }
    parent.replaceChildren.apply(parent, children);
    return true;
  }

  /* ---- Cards ------------------------------------------------------------------------------------------ */

  /* Repeat `proto` once per value (set up by `set`) in its place; no values: `proto` (and `whole`) go away. */
  function repeat(proto, values, set, whole) {
    values.forEach(function (value) {
      var copy = proto.cloneNode(true);
      set(copy, value);
      proto.parentNode.insertBefore(copy, proto);
    });
    (values.length || !whole ? proto : whole).remove();
  }

  function optional(element, value, text) {
    if (value) { element.textContent = text; } else { element.remove(); }
  }

  /* The skeleton card (templates/_macros.html `card`) filled with one persona of the listing. */
  function fill(card, entry, data, url) {
    var title = card.querySelector(".pc-card__title a");
    var category = card.querySelector(".pc-card__category");
    var tag = card.querySelector(".pc-tags .md-tag");
    var updated = new Date((entry.u || 0) * 1000);
    card.dataset.slug = entry.s;
    title.textContent = entry.n;
    title.href = url("persona", entry.s);
    card.querySelector(".pc-card__description").textContent = entry.d;
    category.textContent = data.categories[entry.c] || entry.c;
    category.href = url("category", entry.c);
    repeat(card.querySelector(".pc-card__model"), entry.m || [], function (chip, model) { chip.textContent = model; });
    repeat(tag, entry.t || [], function (link, name) { link.textContent = name; link.href = url("tag", name); },
           tag.parentNode);
    optional(card.querySelector(".pc-card__author"), entry.a, "by " + entry.a);
    optional(card.querySelector(".pc-card__version"), entry.v, "v" + entry.v);
    card.querySelector(".pc-card__updated").dateTime = updated.toISOString().slice(0, 10);
    card.querySelector(".pc-card__updated").textContent = DATE.format(updated);
    card.querySelector(".pc-card__copy").dataset.pcPrompt = url("json", entry.s);
    card.querySelector(".pc-card__copy-name").textContent = " of " + entry.n;
    return card;
  }

  /* ---- Tag facet -------------------------------------------------------------------------------------- */

  /* The tags offered: every chosen one, then the most used among the results (or those matching what was
     typed), each with the number of results that carry it. Options are made once per tag and reused. */
  function TagFacet(details) {
    this.details = details;
    this.find = details.querySelector("[data-pc-tag-find]");
    this.list = details.querySelector("[data-pc-tag-options]");
    this.more = details.querySelector("[data-pc-tag-more]");
    this.chosen = details.querySelector("[data-pc-tags-chosen]");
    this.options = {};
    this.counts = {};
    this.selected = [];
    var facet = this;
    /* A drop-down: Escape or a click elsewhere closes it. */
    details.addEventListener("keydown", function (event) {
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
    document.addEventListener("click", function (event) {
      if (details.open && !details.contains(event.target)) { details.open = false; }
    });
    /* Typing a tag's name filters the options only; checking one changes the form (and so the state). */
    ["input", "change"].forEach(function (type) {
      facet.find.addEventListener(type, function (event) { event.stopPropagation(); facet.show(); });
    });
  }

  TagFacet.prototype.option = function (tag) {
    if (!this.options[tag]) {
      var label = document.createElement("label");
      var box = document.createElement("input");
      var name = document.createElement("span");
      label.className = "pc-tag-option";
      box.type = "checkbox";
      box.name = "tag";
      box.value = tag;
      name.className = "pc-tag-option__name";
      label.append(box, " ", name);
      this.options[tag] = label;
    }
    return this.options[tag];
  };

  TagFacet.prototype.values = function () {
    return Array.prototype.filter.call(this.list.querySelectorAll("input"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  };

  TagFacet.prototype.update = function (counts, selected) {
    this.counts = counts;
    this.selected = selected;
    this.chosen.textContent = selected.length ? ": " + selected.join(", ") : "";
    this.show();
  };

  TagFacet.prototype.show = function () {
    var counts = this.counts, selected = this.selected, typed = fold(this.find.value.trim());
    var offered = Object.keys(counts).filter(function (tag) {
      return selected.indexOf(tag) === -1 && (!typed || tag.indexOf(typed) !== -1);
    }).sort(function (a, b) { return counts[b] - counts[a] || (a < b ? -1 : 1); });
    var limit = typed ? FOUND_TAGS : TOP_TAGS;
    var shown = selected.concat(offered.slice(0, limit));
    var focused = document.activeElement;
    var facet = this;
    var labels = shown.map(function (tag) {
      var label = facet.option(tag);
      label.querySelector("input").checked = selected.indexOf(tag) !== -1;
      label.querySelector("span").textContent = tag + " (" + (counts[tag] || 0) + ")";
      return label;
    });
    replaceChildren(this.list, labels);
    if (focused && this.list.contains(focused)) { focused.focus({ preventScroll: true }); }
    this.more.textContent = offered.length > limit
      ? (offered.length - limit) + " more: type to find any tag"
      : (typed && !offered.length ? "No tag among the results contains \u201c" + typed + "\u201d" : "");
  };

  /* ---- The listing ------------------------------------------------------------------------------------ */

  function Listing(section, data) {
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
    this.template = section.querySelector("template[data-pc-card]");
    this.size = Math.max(1, parseInt(section.dataset.pcPageSize, 10) || 24);
    this.data = data;
    this.url = function (kind, id) { return root + paths[kind].replace("{}", encodeURIComponent(id)); };
    this.cards = {};
    var cards = this.cards;
    Array.prototype.forEach.call(this.list.children, function (card) { cards[card.dataset.slug] = card; });
    this.items = data.personas.map(function (entry, index) {
      return {
        entry: entry, index: index, category: entry.c, models: entry.m || [], context: entry.x || "",
        tags: entry.t || [], updated: entry.u || 0,
        text: fold([entry.n, entry.d, (entry.t || []).join(" ")].join(" "))
      };
    });
    this.tags = new TagFacet(this.form.querySelector("[data-pc-tags]"));
    this.state = readState(window.location.search);
  }

  Listing.prototype.card = function (item) {
    var slug = item.entry.s;
    if (!this.cards[slug]) {
      this.cards[slug] = fill(this.template.content.firstElementChild.cloneNode(true), item.entry, this.data, this.url);
    }
    return this.cards[slug];
  };

  /* The form shows the state (after a shared link or Back). */
  Listing.prototype.show = function () {
    var form = this.form, state = this.state;
    form.elements.q.value = state.q;
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
      q: form.elements.q.value.trim(),
      category: form.elements.category.value,
      model: form.elements.model.value,
      context: form.elements.context.value,
      tags: this.tags.values(),
      sort: this.sort.value,
      page: 1
    };
    if (stateQuery(this.state, 1) === before) { this.state.page = page; }
    window.history.replaceState(null, "", window.location.pathname + stateQuery(this.state, this.state.page) +
                                window.location.hash);
    this.update();
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
    var state = this.state, items = this.items, terms = words(fold(state.q));
    var results = items.filter(function (item) { return matches(item, state, terms); });
    if (state.sort === "updated") {
      results.sort(function (a, b) { return b.updated - a.updated || a.index - b.index; });
    }
    var pages = Math.max(1, Math.ceil(results.length / this.size));
    state.page = Math.min(state.page, pages);
    var shown = results.slice((state.page - 1) * this.size, state.page * this.size).map(this.card, this);
    if (replaceChildren(this.list, shown)) { window.PersonaCatalog.setUpCopyButtons(this.list); }
    this.status.textContent = results.length === items.length
      ? items.length + " personas"
      : "Showing " + results.length + " of " + items.length + " personas";
    this.empty.hidden = results.length !== 0;
    this.clear.hidden = !filtered(state);
    this.counts(terms);
    this.pager(pages);
  };

  /* Each option's count: the results it would give with the other filters kept. */
  Listing.prototype.counts = function (terms) {
    var form = this.form, state = this.state, items = this.items;
    FACETS.forEach(function (facet) {
      var counts = {};
      items.forEach(function (item) {
        if (matches(item, state, terms, facet)) { facetValues(item, facet).forEach(function (v) { count(counts, v); }); }
      });
      Array.prototype.forEach.call(form.elements[facet].options, function (option) {
        if (!option.value) { return; }
        var n = counts[option.value] || 0;
        option.textContent = option.dataset.label + " (" + n + ")";
        option.disabled = n === 0 && option.value !== state[facet];
      });
    });
    var tagCounts = {};  /* tags combine with AND: a tag's count is how many results carry it */
    items.forEach(function (item) {
      if (matches(item, state, terms)) { item.tags.forEach(function (tag) { count(tagCounts, tag); }); }
    });
    this.tags.update(tagCounts, state.tags);
  };

  /* Previous, the first and last pages, two either side of the current one, Next: real links (?page=N). */
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
      if (page === 1 || page === pages || Math.abs(page - state.page) <= 2) {
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
    form.addEventListener("input", function () { listing.read(); });
    form.addEventListener("change", function () { listing.read(); });
    form.addEventListener("submit", function (event) { event.preventDefault(); });
    form.addEventListener("reset", function () { window.setTimeout(function () { listing.read(); }, 0); });
    this.sort.addEventListener("change", function () { listing.read(); });
    this.empty.querySelector("a").addEventListener("click", function (event) {
      event.preventDefault();
      form.reset();
    });
    this.pages.addEventListener("click", function (event) {
      var link = event.target.closest("a[data-pc-page]");
      if (!link || event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) { return; }
      event.preventDefault();
      listing.go(parseInt(link.dataset.pcPage, 10));
    });
    window.addEventListener("popstate", function () {
      listing.state = readState(window.location.search);
      listing.show();
      listing.update();
    });
    /* Material opens its search box for a `?q=` in the URL (as on any page), with the listing filtered beneath
       it, and takes `q` out of the URL when the box closes: here `q` is the listing's too, so it is put back. */
    var themeSearch = document.querySelector("input.md-toggle[data-md-toggle=search]");
    if (themeSearch) {
      themeSearch.addEventListener("change", function () {
        if (themeSearch.checked) { return; }
        window.setTimeout(function () {
          window.history.replaceState(null, "", window.location.pathname +
                                      stateQuery(listing.state, listing.state.page) + window.location.hash);
        }, 0);
      });
    }
    this.list.tabIndex = -1;  /* focus lands on the list after a page change */
    this.show();
    this.update();
    this.section.querySelector("[data-pc-more]").hidden = true;
    this.section.querySelector("[data-pc-foot]").hidden = false;
    this.section.dataset.pcLoaded = "1";
  };

  function setUp() {
    var section = document.querySelector(".pc-browse[data-pc-listing]");
    if (!section || section.dataset.pcReady) { return; }
    section.dataset.pcReady = "1";
    var form = section.querySelector("[data-pc-filters]");
    form.hidden = false;  /* at once, so the page does not move when the listing arrives */
    fetch(section.dataset.pcListing).then(function (response) {
      if (!response.ok) { throw new Error("HTTP " + response.status); }
      return response.json();
    }).then(function (data) {
      new Listing(section, data).start();
    }, function () {
      form.hidden = true;  /* the links under the cards still lead to every persona */
    });
  }

  window.PersonaCatalog.onEveryPage(setUp);  /* catalog.js, loaded first */
})();
