"""Generated pages' HTML from the Jinja2 templates in `templates/`: the environment, its globals and filters, and
the outline of a page (which pages there are and where each belongs: `pages.py`).

Every field reaches the HTML through Jinja2's autoescaping. A prompt is rendered by `prompt.py`.
"""

from __future__ import annotations

import base64
import functools
import json
import re
import zlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import jinja2
from markupsafe import Markup, escape

from persona_catalog.catalog.characters import hidden_characters
from persona_catalog.catalog.model import CONTEXT_WINDOW_MEANINGS, CONTEXT_WINDOWS, Catalog, Persona
from persona_catalog.catalog.problems import Problem
from persona_catalog.catalog.readers.base import tool_text
from persona_catalog.catalog.readers.registry import TOOL_FORMATS
from persona_catalog.exports import FORMATS, ExportFormat, Exports, Marketplace, formats_for
from persona_catalog.exports.formats import LimitNote
from persona_catalog.prompt.html import mark_invisible, prompt_html
from persona_catalog.prompt.length import CHARACTERS_PER_TOKEN, prompt_length
from persona_catalog.site.history import History
from persona_catalog.site.pages import PageSpec
from persona_catalog.site.publishing import Publishing, human_date
from persona_catalog.site.urls import (
    ALL_URI,
    CATEGORIES_INDEX,
    CONTRIBUTING_URI,
    LISTING_PATH,
    MARKETPLACE_JSON_PATH,
    TAGS_INDEX,
    TOOLS_URI,
    bundle_path,
    category_feed_path,
    category_uri,
    marketplace_path,
    persona_json_path,
    persona_uri,
    raw_path,
    skill_zip_path,
    tag_uri,
)

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


def json_for_script(value: object) -> Markup:
    """JSON safe inside a `<script type="application/json">` element: no `<`, `>` or `&` appears."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def packed_text(text: str) -> Markup:
    """`text` for a page's `<script>` in a fraction of its bytes (the prompt is on the page already, rendered): its
    UTF-8 deflated (raw, as the browser's `DecompressionStream("deflate-raw")` reads it), in base64, as a JSON
    string, which holds no character a script could end at. catalog.js `inflate` reads it."""
    deflate = zlib.compressobj(9, zlib.DEFLATED, -15)
    packed = deflate.compress(text.encode("utf-8")) + deflate.flush()
    return Markup('"' + base64.b64encode(packed).decode("ascii") + '"')


def invisible_marks(body: str) -> list[tuple[int, str]]:
    """Where the Raw view marks an invisible character: (code point index, `U+200B ZERO WIDTH SPACE`)."""
    return [(hidden.index, hidden.label) for hidden in hidden_characters(body)]


def marked(text: object) -> Markup:
    """Text from outside the catalog's fields (a commit subject) as HTML, its invisible characters marked."""
    return Markup(mark_invisible(str(escape(str(text)))))


@dataclass(frozen=True)
class ExportTab:
    """One tool's tab among a persona's exports, worked out in Python once for the template: its verdicts, the
    file's name and place, whether the persona is written for the tool, the files beside it, and the file around
    the prompt as the page's JSON (computed in the template, they cost twice as much)."""

    fmt: ExportFormat
    notes: list[LimitNote]
    filename: str
    destination: str | None
    written_for: bool
    companions: dict[str, str]
    parts: Markup


class Renderer:
    """Renders generated pages for one catalog."""

    def __init__(self, catalog: Catalog, icons: Mapping[str, str] | None = None, remote_images: bool = False,
                 publishing: Publishing | None = None, exports: Exports | None = None,
                 export_files: bool = False, prompts: Callable[[str], str] | None = None,
                 feeds: bool = False, marketplace: Marketplace | None = None,
                 site_url: Callable[[str], str] | None = None, zips: bool = True,
                 downloads: tuple[bool, bool] = (True, True)) -> None:
        """`prompts` gives a prompt's HTML (default: `prompt_html` here; a build hands it a `PromptPool`'s);
        `feeds`: the Atom feeds are published (with a `site_url`), so a category page links its own;
        `marketplace`: the Claude Code marketplace (served from the site when it has a `url`); `site_url`: a site
        path as an absolute URL (for install commands), None without a site address; `zips`: the tools' zips are
        published (the `zips` option), so pages link them; `downloads`: the personas' source files and JSON
        documents are published (`raw_files`, `persona_json`), so pages link them."""
        self.catalog = catalog
        self.icons = dict(icons or {})
        self.exports = exports
        self.env = jinja2.Environment(loader=jinja2.PackageLoader("persona_catalog.site", "templates"), autoescape=True,
                                      undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                                      auto_reload=False)  # the package's templates: no stat of each per include
        self.env.globals.update(catalog=catalog, persona_uri=persona_uri, category_uri=category_uri,
                                tag_uri=tag_uri, raw_path=raw_path, icon=self.icon,
                                context_windows=CONTEXT_WINDOWS, context_window_meanings=CONTEXT_WINDOW_MEANINGS,
                                characters_per_token=CHARACTERS_PER_TOKEN,
                                export_tabs=self.export_tabs,
                                bundle_path=bundle_path, formats=FORMATS, bundle_formats=[f for f in FORMATS if f.bundled],
                                marketplace_path=marketplace_path, CATEGORIES_INDEX=CATEGORIES_INDEX,
                                ALL_URI=ALL_URI, LISTING_PATH=LISTING_PATH, persona_json_path=persona_json_path,
                                TAGS_INDEX=TAGS_INDEX, CONTRIBUTING_URI=CONTRIBUTING_URI, TOOLS_URI=TOOLS_URI,
                                publishing=publishing or Publishing(History()),
                                export_files=export_files, feeds=feeds, zips=zips, category_feed_path=category_feed_path,
                                raw_files=downloads[0], persona_json=downloads[1],
                                INLINE_SOURCE_LIMIT=INLINE_SOURCE_LIMIT, skill_zip_path=skill_zip_path,
                                format_label=format_label,
                                marketplace=marketplace if marketplace and marketplace.url else None,
                                marketplace_url=marketplace.url(MARKETPLACE_JSON_PATH)
                                if marketplace and marketplace.url else None,
                                absolute_url=site_url)
        self.env.filters.update(
            prompt_html=lambda body: Markup(prompts(body) if prompts else prompt_html(body, remote_images)),
            script_json=json_for_script, packed_text=packed_text, human_date=human_date, prompt_length=prompt_length,
            invisible_marks=invisible_marks, marked=marked, tool_text=tool_text,
            file_size=file_size)

    def icon(self, name: str | None) -> Markup:
        """An inline SVG icon handed over by the site (trusted), or nothing."""
        return Markup(self.icons.get(name or "", ""))

    def export_tabs(self, persona: Persona) -> list[ExportTab]:
        """The persona's tool tabs, the tools it is written for first (`_exports.html`)."""
        return [ExportTab(fmt, fmt.limit_notes(persona), fmt.download_name(persona.slug), fmt.destination(persona.slug),
                          bool(set(fmt.models) & set(persona.models)), fmt.companion_files(persona),
                          json_for_script(self.export_parts(fmt, persona)))
                for fmt in formats_for(persona)]

    def export_parts(self, fmt: ExportFormat, persona: Persona) -> list[str]:
        """The persona's file for `fmt` as the page carries it: [prefix, encoding, suffix] (see exports.formats)."""
        parts = self.exports[fmt.id, persona.slug] if self.exports is not None else fmt.parts(persona)
        return [parts.prefix, parts.encoding, parts.suffix]

    def problems_notice(self, problems: Sequence[Problem], skipped: Sequence[str]) -> str:
        """The preview's notice listing every problem (`mkdocs serve` puts it on top of every page)."""
        return self.env.get_template("problems.html").render(problems=problems, skipped=skipped)

    def render(self, page: PageSpec, url: UrlFor) -> str:
        """The page's HTML; `url` turns a docs path (`personas/x.md`) into a link relative to the page (each
        target worked out once per page: a listing links the same tags and categories from many cards)."""
        return self.env.get_template(page.template).render(page=page, url=functools.cache(url), **page.context)

    def fragment(self, template: str, **context: Any) -> str:
        """A partial template that is not a page (e.g. `_head.html`), rendered with `context`."""
        return self.env.get_template(template).render(**context)


def format_label(format_id: str) -> str:
    """`claude-code` -> `Claude Code sub-agent`: the tool format a persona was read from."""
    fmt = TOOL_FORMATS.get(format_id)
    return fmt.label if fmt else format_id


def file_size(size: int) -> str:
    """`1234` -> `1.2 KB`."""
    if size < 1024:
        return f"{size:,} bytes"
    return f"{size / 1024:,.1f} KB" if size < 1024 * 1024 else f"{size / 1024 / 1024:,.1f} MB"
