"""What the search index reads of a page: the element marked `data-pagefind-body`, read as Pagefind documents its
attributes (https://pagefind.app/docs/indexing/, the engine of an earlier version, whose markup the templates
keep): text under `data-pagefind-ignore` left out (its metadata kept), `data-pagefind-weight`,
`data-pagefind-meta` and a `kind` filter; headings with an `id` start a section."""

from __future__ import annotations

import contextlib
import gzip
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser

from persona_catalog.search.terms import terms

KINDS = ("persona", "docs")
TEXT_LIMIT = 20_000  # characters of a section's text kept for excerpts
HEADING_WEIGHTS = {"h1": 7.0, "h2": 6.0, "h3": 5.0, "h4": 4.0, "h5": 3.0, "h6": 2.0}  # Pagefind's, as before
FIELD_LIMIT = 20.0  # a word's weight from names, tags and headings counts up to this

_MARK = "data-pagefind-body"
# Where what search reads of the element marked `_MARK` ends: after it (theme.docs_body), or after a persona's
# prompt (persona.html: what follows is ignored, and not parsed at all). The last one on the page counts (page
# content cannot make it: persona fields are escaped, Markdown's comments come before the end of the docs wrapper).
BODY_END = "<!--/pagefind-body-->"
# A real tag carrying the attribute (persona data is escaped, so it never makes a `<` or a closed attribute).
_SEARCHABLE = re.compile(r'<[a-z]+(?:\s+[a-z-]+(?:="[^"<>]*")?)*?\s+data-pagefind-body[\s>]')
_VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
_SKIP = {"script", "style", "template", "svg", "noscript"}
# Text elements: their text runs on with the text beside them; every other element's ends a word in the excerpts'
# text (a heading and its paragraph, two list items).
_INLINE = {"a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "i", "ins", "kbd", "mark", "q",
           "s", "samp", "small", "span", "strong", "sub", "sup", "time", "u", "var", "wbr"}


def _body_at(html: str) -> int:
    """Where the first tag carrying `data-pagefind-body` starts in `html`, or -1."""
    at = html.find(_MARK)
    while at >= 0:  # each mention, checked from the tag it may be in (a listing has none: one quick scan)
        tag = html.rfind("<", 0, at)
        if tag >= 0 and _SEARCHABLE.match(html, tag):
            return tag
        at = html.find(_MARK, at + 1)
    return -1


def searchable(html: str) -> bool:
    """Whether the page marks content for search (`data-pagefind-body`): persona and docs pages, not listings."""
    return _body_at(html) >= 0


def search_document(html: str) -> str:
    """What the indexer is given of a searchable page: the element marked `data-pagefind-body`, up to the
    `BODY_END` the templates write after it (the theme's header, navigation and footer are never indexed: half a
    persona page's bytes). The whole page without the mark."""
    start, end = _body_at(html), html.rfind(BODY_END)
    if start < 0 or end < start:
        return html
    return f"<!DOCTYPE html><html><body>{html[start:end]}</body></html>"


@dataclass
class Document:
    """One searchable page as the index reads it: its kind, title and metadata, its fragment (what a result shows),
    and each term's weight from fields (name, tags, headings) and its count in the body."""

    url: str
    kind: str
    title: str
    meta: dict[str, str]
    fragment: bytes  # gzipped JSON: url, title, meta and sections ([title, anchor, text]; the first: the page's top)
    fields: dict[str, float]
    body: dict[str, int]
    length: int

    @property
    def sections(self) -> list[list[str]]:
        return json.loads(gzip.decompress(self.fragment))["sections"]


def fragment(url: str, title: str, meta: dict[str, str], sections: list[list[str]]) -> bytes:
    """A result's data as the search worker fetches it: compact JSON, gzipped (no time stamp: the same page, the same
    bytes). Made once when the page is read, so a page the build cache keeps is not compressed again."""
    data = {"url": url, "title": title, "meta": meta, "sections": sections}
    return gzip.compress(json.dumps(data, ensure_ascii=False, separators=(",", ":")).encode(), mtime=0)


class _Reader(HTMLParser):
    """Reads the marked element as Pagefind did: `data-pagefind-ignore` (text left out), `-weight`, `-meta`
    (`key:value`, `key` for the element's text, `key[attribute]`), `-filter="kind:..."`, headings with an `id`
    start a section."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, float, str | None, bool]] = []  # tag, ignored, weight, meta key, heading
        self.kind = "docs"
        self.meta: dict[str, str] = {}
        self.sections: list[list[str]] = [["", "", ""]]
        self.texts: dict[str, list[str]] = {}  # meta key -> text gathered
        self.heading: list[str] | None = None
        self.h1 = ""
        self.fields: dict[str, float] = {}
        self.body: dict[str, int] = {}
        self.length = 0
        self.skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _SKIP:
            self.skipping += 1
            return
        if tag not in _INLINE:
            self._apart()
        if tag in _VOID:
            return
        a = {k: v or "" for k, v in attrs}
        ignored, weight = (self.stack[-1][1], self.stack[-1][2]) if self.stack else (False, 1.0)
        # Markdown's permalink after a heading (toc's `¶`) is no word of the page, nor of its titles
        ignored = ignored or "data-pagefind-ignore" in a or (tag == "a" and "headerlink" in a.get("class", "").split())
        if "data-pagefind-weight" in a:
            with contextlib.suppress(ValueError):
                weight = min(max(float(a["data-pagefind-weight"]), 0.0), 10.0)
        elif tag in HEADING_WEIGHTS:
            weight = HEADING_WEIGHTS[tag]
        kind = a.get("data-pagefind-filter", "")
        if kind.startswith("kind:"):
            self.kind = kind[5:]
        key = None
        spec = a.get("data-pagefind-meta", "")
        if spec:
            name, _, value = spec.partition(":")
            if _ and "[" not in name:
                self.meta[name] = value
            elif name.endswith("]") and "[" in name:
                name, attribute = name[:-1].split("[", 1)
                self.meta[name] = a.get(attribute, "")
            else:
                key = name
                self.texts[key] = []
        heading = tag in HEADING_WEIGHTS and not ignored
        if heading and tag != "h1" and a.get("id"):
            self.sections.append(["", a["id"], ""])
            self.heading = self.sections[-1]
        self.stack.append((tag, ignored, weight, key, heading))

    def handle_endtag(self, tag: str) -> None:
        if tag in _SKIP:
            self.skipping = max(0, self.skipping - 1)
            return
        if tag not in _INLINE:
            self._apart()
        if tag in _VOID or all(t != tag for t, *_ in self.stack):  # `<br />`, or a stray end tag: nothing ends
            return
        while self.stack:
            top, _, _, key, heading = self.stack.pop()
            if key is not None:
                self.meta[key] = " ".join("".join(self.texts.pop(key)).split())
            if heading:
                self.heading = None
            if top == tag:
                break

    def _apart(self) -> None:
        section = self.sections[-1]
        if section[2] and not section[2].endswith(" ") and len(section[2]) < TEXT_LIMIT:
            section[2] += " "

    def handle_data(self, data: str) -> None:
        if self.skipping:
            return
        for *_, key, _ in self.stack:
            if key is not None:
                self.texts[key].append(data)
        if not self.stack or self.stack[-1][1]:
            return
        if not data.strip():  # between two tags (tag links, a code block's lines): words apart
            self._apart()
            return
        weight = self.stack[-1][2]
        if any(h for *_, h in self.stack) and self.heading is not None:
            self.heading[0] += data
        if any(t == "h1" for t, *_ in self.stack):
            self.h1 += data
        section = self.sections[-1]
        if len(section[2]) < TEXT_LIMIT:
            section[2] += data
        for term in terms(data):
            if weight > 1:
                self.fields[term] = self.fields.get(term, 0.0) + weight
            elif weight > 0:
                self.body[term] = self.body.get(term, 0) + 1
                self.length += 1


def read_document(url: str, html: str) -> Document:
    """The searchable element of `html` (`search_document`) read into a `Document`."""
    reader = _Reader()
    reader.feed(search_document(html))
    reader.close()
    title = reader.meta.pop("title", "") or " ".join(reader.h1.split())
    sections = [[" ".join(t.split()), anchor, " ".join(text.split())] for t, anchor, text in reader.sections]
    return Document(url, reader.kind if reader.kind in KINDS else "docs", title, reader.meta,
                    fragment(url, title, reader.meta, [s for s in sections if s[1] or s[2]] or [["", "", ""]]),
                    reader.fields, reader.body, reader.length)


