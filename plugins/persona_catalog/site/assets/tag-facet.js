/* Persona Catalog: the home listing's tag facet (listing.js), a drop-down of tag checkboxes with a find box. It
   offers every chosen tag, then the most used among the results (or those matching what was typed), each with
   the number of results that carry it. Options are made once per tag and reused. */
(function () {
  "use strict";

  var TOP_TAGS = 12;    /* tags offered before anything is typed: the most used among the results */
  var FOUND_TAGS = 40;  /* tags offered for what is typed, the most used first */

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

  /* A drop-down: a click elsewhere closes it (one listener for every page, with instant navigation). */
  document.addEventListener("click", function (event) {
    document.querySelectorAll("details[data-pc-tags][open]").forEach(function (details) {
      if (!details.contains(event.target)) { details.open = false; }
    });
  });

  function TagFacet(details) {
    this.find = details.querySelector("[data-pc-tag-find]");
    this.list = details.querySelector("[data-pc-tag-options]");
    this.more = details.querySelector("[data-pc-tag-more]");
    this.chosen = details.querySelector("[data-pc-tags-chosen]");
    this.options = Object.create(null);  /* tag -> its option; keys from data (`constructor`), so no prototype */
    this.counts = Object.create(null);
    this.selected = [];
    var facet = this;
    details.addEventListener("keydown", function (event) {  /* Escape closes it */
      if (event.key === "Escape" && details.open) {
        details.open = false;
        details.querySelector("summary").focus();
      }
    });
    /* Typing a tag's name filters the options only; checking one changes the form (and so the state). */
    this.find.addEventListener("input", function (event) { event.stopPropagation(); facet.show(); });
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

  /* The checked tags. */
  TagFacet.prototype.values = function () {
    return Array.prototype.filter.call(this.list.querySelectorAll("input"), function (box) { return box.checked; })
      .map(function (box) { return box.value; });
  };

  /* Show `selected` (checked) and the tags of `counts` (tag: number of results carrying it; without prototype). */
  TagFacet.prototype.update = function (counts, selected) {
    this.counts = counts;
    this.selected = selected;
    this.chosen.textContent = selected.length ? selected.join(", ") : "Any tag";
    this.show();
  };

  TagFacet.prototype.show = function () {
    var counts = this.counts, selected = this.selected, typed = this.find.value.trim().toLowerCase();
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

  window.PersonaCatalog.TagFacet = TagFacet;  /* catalog.js, loaded first, made PersonaCatalog */
  window.PersonaCatalog.replaceChildren = replaceChildren;  /* listing.js's cards too */
})();
