"""Which pages the catalog generates and where each belongs: persona, category, tag and index pages, the paginated
listings (category, tag, all personas) and the catalog page's listing; what each page shows (for live reload)."""

from __future__ import annotations

import html
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

from persona_catalog.catalog.model import FIELDS, SEMVER_PATTERN, SLUG_PATTERN, Catalog, Category, Persona
from persona_catalog.site.urls import (
    ALL_URI,
    CATEGORIES_INDEX,
    CONTRIBUTING_URI,
    TAGS_INDEX,
    TOOLS_URI,
    category_uri,
    listing_uri,
    persona_uri,
    tag_uri,
)


class PageKind(StrEnum):
    """What a generated page is; its value is the template that renders it (in `site/templates/`)."""

    HOME = "home.html"  # the catalog page's listing
    ALL = "all.html"
    CATEGORY = "category.html"
    TAG = "tag.html"
    PERSONA = "persona.html"
    CATEGORIES = "categories.html"
    TAGS = "tags.html"
    CONTRIBUTING = "contributing.html"
    TOOLS = "tools.html"


@dataclass(frozen=True)
class PageSpec:
    """One generated page: where it lives in the docs tree, its title, its kind and what it shows."""

    src_uri: str
    title: str
    description: str
    kind: PageKind
    persona: Persona | None = field(default=None, compare=False)
    category: Category | None = field(default=None, compare=False)
    tag: str | None = None
    listing: Listing | None = field(default=None, compare=False)
    extra: Mapping[str, Any] = field(default_factory=dict, hash=False, compare=False)  # more template values
    in_nav: bool = False
    parent: str | None = None  # the page it belongs under (a persona: its category), for breadcrumbs and tabs

    @property
    def template(self) -> str:
        return self.kind.value

    @property
    def context(self) -> dict[str, Any]:
        """The template's values: what the page shows, and its `extra`."""
        shown = {"persona": self.persona, "category": self.category, "tag": self.tag, "listing": self.listing}
        return {**{key: value for key, value in shown.items() if value is not None}, **self.extra}

    def shows(self, catalog: Catalog) -> tuple[Persona, ...]:
        """The personas whose dates date the page: a persona's own, a category's or tag's, else all."""
        if self.persona is not None:
            return (self.persona,)
        if self.category is not None:
            return catalog.by_category.get(self.category.id, ())
        if self.tag is not None:
            return catalog.by_tag.get(self.tag, ())
        return catalog.personas


DEFAULT_PAGE_SIZE = 24  # the catalog page's first screen of cards (and its script's pages)
# The static listings (all personas, a category, a tag): a page longer than home's first screen, as Material's own
# tag listings list a tag's pages on one page; a multiple of 2, 3 and 4 so the last row of the card grid is full.
DEFAULT_LISTING_PAGE_SIZE = 96
LISTING_MARKER = "<!-- persona-catalog:listing -->"  # where the catalog page wants its listing (else at its end)


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


def home_page(src_uri: str, catalog: Catalog, page_size: int, listing_size: int,
              link_patterns: Mapping[str, str]) -> PageSpec:
    """The catalog listing with its filters, added to an existing page (the home page by default): the first
    `page_size` personas; the page's script loads the rest from `LISTING_PATH` and links the cards it adds by
    `link_patterns` (site paths of a persona, category and tag page and a persona's JSON, `{}` the id). Without
    the script, `more` is the page of the all-personas listing (pages of `listing_size`) that holds the first
    persona not shown."""
    more = listing_uri(ALL_URI, page_size // listing_size + 1) if len(catalog.personas) > page_size else None
    return PageSpec(src_uri, "", "", PageKind.HOME, listing=paginate(catalog.personas, ALL_URI, page_size)[0],
                    extra={"more": more, "link_patterns": dict(link_patterns)})


def home_markdown(title: str, description: str) -> str:
    """The catalog page of a site that has none in its docs: the site's title and description, then the listing
    (a Markdown page like one an author would write, so the theme treats it as the home page)."""
    text = f"\n{html.escape(description, quote=False)}\n" if description else ""
    return (f"---\nhide:\n  - navigation\n  - toc\n---\n\n# {html.escape(title, quote=False)}\n{text}\n"
            f"{LISTING_MARKER}\n")


def site_pages(catalog: Catalog, page_size: int = DEFAULT_LISTING_PAGE_SIZE,
               home: str | None = None) -> list[PageSpec]:
    """Every page the catalog generates; category, tag and all-personas listings in pages of `page_size`. The
    all-personas listing belongs under `home` (the catalog page, whose listing it continues)."""
    pages = [
        PageSpec(CATEGORIES_INDEX, "Categories", "Every category of the catalog.", PageKind.CATEGORIES, in_nav=True),
        PageSpec(TAGS_INDEX, "Tags", "Every tag of the catalog.", PageKind.TAGS, in_nav=True),
        PageSpec(CONTRIBUTING_URI, "Contributing", "How to write, check and propose a persona.", PageKind.CONTRIBUTING,
                 extra={"fields": FIELDS, "slug_pattern": SLUG_PATTERN, "semver_pattern": SEMVER_PATTERN}, in_nav=True),
        PageSpec(TOOLS_URI, "Use a persona in your tool", "Where each tool reads a persona's file, and how it loads it.",
                 PageKind.TOOLS),
    ]
    for listing in paginate(catalog.personas, ALL_URI, page_size):
        pages.append(PageSpec(listing.uri, _numbered("All personas", listing), "Every persona of the catalog.",
                              PageKind.ALL, listing=listing, parent=_above(listing, home)))
    for category in catalog.categories:
        for listing in paginate(catalog.by_category[category.id], category_uri(category.id), page_size):
            pages.append(PageSpec(listing.uri, _numbered(category.title, listing), category.description or
                                  f"Personas in the {category.title} category.", PageKind.CATEGORY,
                                  category=category, listing=listing,
                                  parent=_above(listing, CATEGORIES_INDEX)))
    for tag, tagged in catalog.by_tag.items():
        for listing in paginate(tagged, tag_uri(tag), page_size):
            pages.append(PageSpec(listing.uri, _numbered(f"#{tag}", listing), f"Personas tagged {tag}.", PageKind.TAG,
                                  tag=tag, listing=listing, parent=_above(listing, TAGS_INDEX)))
    for persona in catalog.personas:
        pages.append(PageSpec(persona_uri(persona.slug), persona.name, persona.description, PageKind.PERSONA,
                              persona=persona, parent=category_uri(persona.category)))
    return pages


# What a page shows of another persona than its own: a listing's card (`_macros.html` `cards`, with the persona's
# updated date) and a related persona's link (`_related.html`). The build cache keys pages on these fields, so a
# template that shows more of them must say so here (tests/site/test_build_cache.py edits each field).
CARD_FIELDS = ("slug", "name", "description", "category", "models", "tags", "author", "version")
LINK_FIELDS = ("slug", "name", "description")


def page_shows(page: PageSpec, catalog: Catalog) -> tuple[tuple[object, ...], tuple[Persona, ...], tuple[str, ...]]:
    """What the page's HTML is made of, but the site's options and the personas' dates: its own facts, the
    personas it shows, and the fields it shows of each (`()`: all, with its dates and badge; else `CARD_FIELDS`
    or `LINK_FIELDS`, with the date a card shows). A persona page shows its persona, its category and links to
    its related personas; a listing page its slice as cards, its place among the listing's pages and its total
    (a tag page also its related tags); the other pages every persona."""
    listing = page.listing
    shown: tuple[Persona, ...]
    extra: object
    fields: tuple[str, ...] = ()
    if page.persona is not None:
        persona = page.persona
        shown, extra = (persona, *catalog.related_personas(persona)), catalog.category(persona.category)
    elif listing is not None:
        shown, fields = listing.personas, CARD_FIELDS
        extra = (listing.number, listing.uris, listing.total, page.category, page.tag,
                 tuple(catalog.related_tags(page.tag)) if page.tag else ())
    else:
        shown, extra = catalog.personas, catalog.categories
    return (page.src_uri, page.template, page.title, page.description, extra), shown, fields


def page_inputs(page: PageSpec, catalog: Catalog, dates: Callable[[Persona], object]) -> int:
    """A value that changes whenever the page's HTML would (`page_shows` and the dates of the personas shown), in
    this process. Site-wide inputs (options, icons, notice) are the caller's."""
    own, shown, _ = page_shows(page, catalog)
    return hash((own, shown, tuple(dates(p) for p in shown)))
