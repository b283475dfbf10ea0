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
from .exports import FORMATS, formats_for
from .history import History
from .length import CHARACTERS_PER_TOKEN, prompt_length
from .model import CONTEXT_WINDOW_MEANINGS, CONTEXT_WINDOWS, FIELDS, SEMVER_PATTERN, SLUG_PATTERN, Catalog
from .paths import (CATEGORIES_INDEX, CONTRIBUTING_URI, TAGS_INDEX, bundle_path, category_uri, marketplace_path,
                    persona_uri, raw_path, tag_uri)
from .problems import Problem
from .prompt import prompt_html
from .publishing import Publishing, human_date

UrlFor = Callable[[str], str]
_HEADING = re.compile(r'<h([2-6]) id="([^"]+)"[^>]*>(.*?)</h\1>', re.DOTALL)
_TAG = re.compile(r"<[^>]+>")


def toc_tokens(html: str) -> list[dict[str, Any]]:
    """The outline of a generated page (its `<h2>`-`<h6>` with ids, nested), as MkDocs' `toc_tokens`."""
    root: dict[str, Any] = {"level": 1, "children": []}
    stack = [root]
    for level, anchor, inner in _HEADING.findall(html):
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


def home_page(src_uri: str) -> PageSpec:
    """The catalog listing with its filters, appended to an existing page (the home page by default)."""
    return PageSpec(src_uri, "", "", "home.html")


def site_pages(catalog: Catalog) -> list[PageSpec]:
    """Every page the catalog generates."""
    pages = [
        PageSpec(CATEGORIES_INDEX, "Categories", "Every category of the catalog.", "categories.html", in_nav=True),
        PageSpec(TAGS_INDEX, "Tags", "Every tag of the catalog.", "tags.html", in_nav=True),
        PageSpec(CONTRIBUTING_URI, "Contributing", "How to write, check and propose a persona.", "contributing.html",
                 {"fields": FIELDS, "slug_pattern": SLUG_PATTERN, "semver_pattern": SEMVER_PATTERN}, in_nav=True),
    ]
    for category in catalog.categories:
        pages.append(PageSpec(category_uri(category.id), category.title, category.description or
                              f"Personas in the {category.title} category.", "category.html",
                              {"category": category}))
    for tag in catalog.by_tag:
        pages.append(PageSpec(tag_uri(tag), f"#{tag}", f"Personas tagged {tag}.", "tag.html", {"tag": tag}))
    for persona in catalog.personas:
        pages.append(PageSpec(persona_uri(persona.slug), persona.name, persona.description, "persona.html",
                              {"persona": persona}))
    return pages


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
                 publishing: Publishing | None = None) -> None:
        self.catalog = catalog
        self.icons = dict(icons or {})
        self.env = jinja2.Environment(loader=jinja2.PackageLoader("persona_catalog", "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True)
        self.env.globals.update(catalog=catalog, persona_uri=persona_uri, category_uri=category_uri,
                                tag_uri=tag_uri, raw_path=raw_path, icon=self.icon,
                                context_windows=CONTEXT_WINDOWS, context_window_meanings=CONTEXT_WINDOW_MEANINGS,
                                characters_per_token=CHARACTERS_PER_TOKEN,
                                formats_for=formats_for,
                                bundle_path=bundle_path, bundle_formats=[f for f in FORMATS if f.bundled],
                                marketplace_path=marketplace_path, CATEGORIES_INDEX=CATEGORIES_INDEX,
                                TAGS_INDEX=TAGS_INDEX, CONTRIBUTING_URI=CONTRIBUTING_URI,
                                publishing=publishing or Publishing(History()))
        self.env.filters.update(
            prompt_html=lambda body: Markup(prompt_html(body, remote_images)),
            script_json=json_for_script, human_date=human_date, prompt_length=prompt_length,
            invisible_marks=invisible_marks)

    def icon(self, name: str | None) -> Markup:
        """An inline SVG icon handed over by the site (trusted), or nothing."""
        return Markup(self.icons.get(name or "", ""))

    def problems_notice(self, problems: Sequence[Problem], skipped: Sequence[str]) -> str:
        """The preview's notice listing every problem (`mkdocs serve` puts it on top of every page)."""
        return self.env.get_template("problems.html").render(problems=problems, skipped=skipped)

    def render(self, page: PageSpec, url: UrlFor) -> str:
        """The page's HTML; `url` turns a docs path (`personas/x.md`) into a link relative to the page."""
        return self.env.get_template(page.template).render(page=page, url=url, **page.context)

    def fragment(self, template: str, **context: Any) -> str:
        """A partial template that is not a page (e.g. `_head.html`), rendered with `context`."""
        return self.env.get_template(template).render(**context)
