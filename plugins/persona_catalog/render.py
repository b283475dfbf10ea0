"""Generated pages: which pages the catalog has, and their HTML from the Jinja2 templates in `templates/`.

Every field reaches the HTML through Jinja2's autoescaping. A prompt is rendered by `prompt.py`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import jinja2
from markupsafe import Markup

from .characters import hidden_characters
from .exports import FORMATS, ExportFormat, Exports, formats_for
from .history import History
from .length import CHARACTERS_PER_TOKEN, prompt_length
from .model import CONTEXT_WINDOW_MEANINGS, CONTEXT_WINDOWS, FIELDS, SEMVER_PATTERN, SLUG_PATTERN, Catalog, Persona
from .paths import (ALL_URI, CATEGORIES_INDEX, CONTRIBUTING_URI, LISTING_PATH, TAGS_INDEX, bundle_path, category_path,
                    category_uri, listing_uri, marketplace_path, page_path, persona_json_path, persona_uri, raw_path,
                    tag_path, tag_uri)
from .problems import Problem
from .prompt import prompt_html
from .publishing import Publishing, human_date

UrlFor = Callable[[str], str]
# The outline lists the prompt's first headings only: Material draws ~250 bytes per entry, so a prompt with
# hundreds of headings would otherwise weigh more in the sidebar than on the page.
PROMPT_OUTLINE_LIMIT = 24
# A prompt up to this many characters is embedded once as the page's exact source (copy, exports, raw view);
# a longer one is read from the persona's JSON document instead, so the page does not carry it twice.
INLINE_SOURCE_LIMIT = 16_000
_HEADING = re.compile(r'<h([1-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def toc_tokens(html: str) -> list[dict[str, Any]]:
    """The outline of a generated page (its headings with ids, nested, at most PROMPT_OUTLINE_LIMIT of the
    prompt's), as MkDocs' `toc_tokens`.

    As for a Markdown page, the `<h1>` comes first with the sections nested in it: Material's skip link leads
    to it, and its table of contents lists the `<h1>`'s children.
    """
    root: dict[str, Any] = {"level": 0, "children": []}
    stack = [root]
    prompt_headings = 0
    for level, anchor, inner in _HEADING.findall(html):
        if anchor.startswith("prompt-"):
            prompt_headings += 1
            if prompt_headings > PROMPT_OUTLINE_LIMIT:
                continue
        token = {"level": int(level), "id": anchor, "name": _TAG.sub("", inner).strip(), "children": []}
        while stack[-1]["level"] >= token["level"]:
            stack.pop()
        stack[-1]["children"].append(token)
        stack.append(token)
    return root["children"]


@dataclass(frozen=True)
class PageSpec:
    """One generated page: where it lives in the docs tree, its title and what renders it."""

    src_uri: str
    title: str
    description: str
    template: str
    context: dict[str, Any] = field(default_factory=dict, hash=False, compare=False)
    in_nav: bool = False
    parent: str | None = None  # the page it belongs under (a persona: its category), for breadcrumbs and tabs


DEFAULT_PAGE_SIZE = 24
LISTING_MARKER = "<!-- persona-catalog:listing -->"  # where the catalog page wants its listing (else at its end)
# The card the home page's script fills for later pages (listing.js): every optional part present, all empty.
BLANK = Persona(slug="", name="", description="", category="", body="", source="")


@dataclass(frozen=True)
class Listing:
    """One page of a paginated listing: its personas, its number and the docs path of every page."""

    personas: tuple[Persona, ...]
    number: int
    uris: tuple[str, ...]
    total: int

    @property
    def uri(self) -> str:
        return self.uris[self.number - 1]

    @property
    def next_uri(self) -> str | None:
        return self.uris[self.number] if self.number < len(self.uris) else None


def paginate(personas: tuple[Persona, ...], first: str, size: int) -> list[Listing]:
    """`personas` in pages of `size`: the first at `first` (today's URL), the others at `<first>/page/<n>/`."""
    count = max(1, -(-len(personas) // size))
    uris = tuple(listing_uri(first, n) for n in range(1, count + 1))
    return [Listing(personas[(n - 1) * size:n * size], n, uris, len(personas)) for n in range(1, count + 1)]


def _above(listing: Listing, index: str | None) -> str | None:
    """Where a listing's page belongs: page 1 under `index`, the later pages under page 1."""
    return index if listing.number == 1 else listing.uris[0]


def _numbered(title: str, listing: Listing) -> str:
    return title if listing.number == 1 else f"{title} (page {listing.number})"


def home_page(src_uri: str, catalog: Catalog, page_size: int = DEFAULT_PAGE_SIZE) -> PageSpec:
    """The catalog listing with its filters, added to an existing page (the home page by default): the first page
    of the all-personas listing; the page's script loads the rest from `LISTING_PATH`."""
    return PageSpec(src_uri, "", "", "home.html", {"listing": paginate(catalog.personas, ALL_URI, page_size)[0]})


def site_pages(catalog: Catalog, page_size: int = DEFAULT_PAGE_SIZE, home: str | None = None) -> list[PageSpec]:
    """Every page the catalog generates; category, tag and all-personas listings in pages of `page_size`. The
    all-personas listing belongs under `home` (the catalog page, whose listing it continues)."""
    pages = [
        PageSpec(CATEGORIES_INDEX, "Categories", "Every category of the catalog.", "categories.html", in_nav=True),
        PageSpec(TAGS_INDEX, "Tags", "Every tag of the catalog.", "tags.html", in_nav=True),
        PageSpec(CONTRIBUTING_URI, "Contributing", "How to write, check and propose a persona.", "contributing.html",
                 {"fields": FIELDS, "slug_pattern": SLUG_PATTERN, "semver_pattern": SEMVER_PATTERN}, in_nav=True),
    ]
    for listing in paginate(catalog.personas, ALL_URI, page_size):
        pages.append(PageSpec(listing.uri, _numbered("All personas", listing), "Every persona of the catalog.",
                              "all.html", {"listing": listing}, parent=_above(listing, home)))
    for category in catalog.categories:
        for listing in paginate(catalog.by_category[category.id], category_uri(category.id), page_size):
            pages.append(PageSpec(listing.uri, _numbered(category.title, listing), category.description or
                                  f"Personas in the {category.title} category.", "category.html",
                                  {"category": category, "listing": listing},
                                  parent=_above(listing, CATEGORIES_INDEX)))
    for tag, tagged in catalog.by_tag.items():
        for listing in paginate(tagged, tag_uri(tag), page_size):
            pages.append(PageSpec(listing.uri, _numbered(f"#{tag}", listing), f"Personas tagged {tag}.", "tag.html",
                                  {"tag": tag, "listing": listing}, parent=_above(listing, TAGS_INDEX)))
    for persona in catalog.personas:
        pages.append(PageSpec(persona_uri(persona.slug), persona.name, persona.description, "persona.html",
                              {"persona": persona}, parent=category_uri(persona.category)))
    return pages


def page_inputs(page: PageSpec, catalog: Catalog, dates: Callable[[Persona], object]) -> int:
    """A value that changes whenever the page's HTML would: the records and dates of the personas the page shows
    (a persona page: the persona, its category and its related personas; a listing page: its slice, its place
    among the listing's pages and its total; a tag page also its related tags), every persona for the other
    pages. Site-wide inputs (options, icons, notice) are the caller's."""
    context = page.context
    listing = context.get("listing")
    if "persona" in context:
        persona = context["persona"]
        shown, extra = (persona, *catalog.related_personas(persona)), catalog.category(persona.category)
    elif isinstance(listing, Listing):
        tag = context.get("tag")
        shown = listing.personas
        extra = (listing.number, listing.uris, listing.total, context.get("category"), tag,
                 tuple(catalog.related_tags(tag)) if tag else ())
    else:
        shown, extra = catalog.personas, catalog.categories
    return hash((page.src_uri, page.template, page.title, page.description, extra, shown,
                 tuple(dates(p) for p in shown)))


def json_for_script(value: object) -> Markup:
    """JSON safe inside a `<script type="application/json">` element: no `<`, `>` or `&` appears."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def invisible_marks(body: str) -> list[tuple[int, str]]:
    """Where the Raw view marks an invisible character: (code point index, `U+200B ZERO WIDTH SPACE`)."""
    return [(hidden.index, hidden.label) for hidden in hidden_characters(body)]


class Renderer:
    """Renders generated pages for one catalog."""

    def __init__(self, catalog: Catalog, icons: Mapping[str, str] | None = None, remote_images: bool = False,
                 publishing: Publishing | None = None, exports: Exports | None = None,
                 export_files: bool = False) -> None:
        self.catalog = catalog
        self.icons = dict(icons or {})
        self.exports = exports
        self.env = jinja2.Environment(loader=jinja2.PackageLoader("persona_catalog", "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(catalog=catalog, persona_uri=persona_uri, category_uri=category_uri,
                                tag_uri=tag_uri, raw_path=raw_path, icon=self.icon,
                                context_windows=CONTEXT_WINDOWS, context_window_meanings=CONTEXT_WINDOW_MEANINGS,
                                characters_per_token=CHARACTERS_PER_TOKEN,
                                formats_for=formats_for,
                                bundle_path=bundle_path, bundle_formats=[f for f in FORMATS if f.bundled],
                                marketplace_path=marketplace_path, CATEGORIES_INDEX=CATEGORIES_INDEX,
                                ALL_URI=ALL_URI, LISTING_PATH=LISTING_PATH, BLANK=BLANK,
                                persona_json_path=persona_json_path, site_paths={  # for listing.js, `{}` = the id
                                    "persona": page_path("{}"), "category": category_path("{}"),
                                    "tag": tag_path("{}"), "json": persona_json_path("{}")},
                                TAGS_INDEX=TAGS_INDEX, CONTRIBUTING_URI=CONTRIBUTING_URI,
                                publishing=publishing or Publishing(History()), export_parts=self.export_parts,
                                export_files=export_files,
                                INLINE_SOURCE_LIMIT=INLINE_SOURCE_LIMIT)
        self.env.filters.update(
            prompt_html=lambda body: Markup(prompt_html(body, remote_images)),
            script_json=json_for_script, human_date=human_date, prompt_length=prompt_length,
            invisible_marks=invisible_marks)

    def icon(self, name: str | None) -> Markup:
        """An inline SVG icon handed over by the site (trusted), or nothing."""
        return Markup(self.icons.get(name or "", ""))

    def export_parts(self, fmt: ExportFormat, persona: Persona) -> list[str]:
        """The persona's file for `fmt` as the page carries it: [prefix, encoding, suffix] (see exports.formats)."""
        parts = self.exports[fmt.id, persona.slug] if self.exports is not None else fmt.parts(persona)
        return [parts.prefix, parts.encoding, parts.suffix]

    def problems_notice(self, problems: Sequence[Problem], skipped: Sequence[str]) -> str:
        """The preview's notice listing every problem (`mkdocs serve` puts it on top of every page)."""
        return self.env.get_template("problems.html").render(problems=problems, skipped=skipped)

    def render(self, page: PageSpec, url: UrlFor) -> str:
        """The page's HTML; `url` turns a docs path (`personas/x.md`) into a link relative to the page."""
        return self.env.get_template(page.template).render(page=page, url=url, **page.context)

    def fragment(self, template: str, **context: Any) -> str:
        """A partial template that is not a page (e.g. `_head.html`), rendered with `context`."""
        return self.env.get_template(template).render(**context)
