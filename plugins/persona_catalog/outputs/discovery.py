"""Files that let people and machines find and follow a hosted catalog: the Atom feeds, `llms.txt` and
`robots.txt`, as site path -> bytes. They need absolute URLs, so they are written only with a `site_url`."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from persona_catalog.catalog.model import Catalog, Persona
from persona_catalog.outputs.feeds import Feed, atom_feed, feed_entries
from persona_catalog.site.publishing import Publishing
from persona_catalog.site.urls import (
    FEED_PATH,
    INDEX_PATH,
    LLMS_PATH,
    ROBOTS_PATH,
    SCHEMA_PATH,
    category_feed_path,
    category_path,
    page_path,
    raw_path,
)

Absolute = Callable[[str], str]
# Markdown syntax that could make a link, an image, an autolink, code or HTML out of text: escaped.
_MARKDOWN_SYNTAX = re.compile(r"([\\`\[\]<>])")


def llms_txt(catalog: Catalog, site_name: str, summary: str, absolute: Absolute, raw_files: bool = True) -> str:
    """The llms.txt convention (llmstxt.org): an H1, a summary quote, notes, then H2 sections of link lists,
    here one per category, each persona linking to its raw Markdown file (without `raw_files`: its page) with
    its description."""
    what = ("a persona's source file: YAML front matter (described by the JSON Schema at "
            f"{absolute(SCHEMA_PATH)}), then the prompt in Markdown") if raw_files else "a persona's page"
    lines = [f"# {_markdown(site_name)}", "", f"> {_markdown(summary)}", "",
             f"Each link is {what}. The JSON index of every persona is at {absolute(INDEX_PATH)}.", ""]
    for category in catalog.categories:
        lines += [f"## {_markdown(category.title)}", ""]
        for persona in catalog.by_category[category.id]:
            target = raw_path(persona.slug) if raw_files else page_path(persona.slug)
            lines.append(f"- [{_markdown(persona.name)}]({absolute(target)}): "
                         f"{_markdown(persona.description)}")
        lines.append("")
    return "\n".join(lines)


def robots_txt(absolute: Absolute) -> str:
    return f"User-agent: *\nAllow: /\n\nSitemap: {absolute('sitemap.xml')}\n"


def discovery_outputs(catalog: Catalog, publishing: Publishing, absolute: Absolute, site_name: str,
                      summary: str, feed_size: int, raw_files: bool = True) -> dict[str, bytes]:
    """Every feed, llms.txt and robots.txt, keyed by site path (`raw_files`: llms.txt links the source files)."""
    def feed(path: str, title: str, page: str, personas: Iterable[Persona]) -> bytes:
        info = Feed(title, absolute(path), absolute(page), site_name)
        entries = feed_entries(personas, publishing, feed_size)
        return atom_feed(info, entries, publishing, absolute, lambda cid: catalog.category(cid).title)

    files = {
        FEED_PATH: feed(FEED_PATH, f"{site_name}: new and updated personas", "", catalog.personas),
        LLMS_PATH: llms_txt(catalog, site_name, summary, absolute, raw_files).encode("utf-8"),
        ROBOTS_PATH: robots_txt(absolute).encode("utf-8"),
    }
    for category in catalog.categories:
        path = category_feed_path(category.id)
        files[path] = feed(path, f"{site_name}: {category.title}", category_path(category.id),
                           catalog.by_category[category.id])
    return files


def _markdown(text: str) -> str:
    """`text` as one line of Markdown text: whitespace runs made one space, link, image, autolink, code and HTML
    syntax escaped (`\\[`), so a name, description, category title or site name is text in llms.txt."""
    return _MARKDOWN_SYNTAX.sub(r"\\\1", " ".join(text.split()))
