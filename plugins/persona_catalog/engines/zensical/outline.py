"""A Markdown extension the Zensical build adds: the outline (table of contents) of a page made of HTML.

Zensical takes a page's outline from Python-Markdown's `toc_tokens`, which only Markdown headings fill; a
generated page is HTML that Markdown passes through, so its outline would be empty. After the HTML is restored
(Python-Markdown's raw HTML postprocessor has priority 30), a page without Markdown headings gets the outline of
its HTML headings, made by the same `toc_tokens` as under MkDocs.
"""

from __future__ import annotations

from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]  # Python-Markdown ships no types
from markdown.postprocessors import Postprocessor  # type: ignore[import-untyped]

from persona_catalog.site.render import toc_tokens


class _Outline(Postprocessor):
    def run(self, text: str) -> str:
        if not getattr(self.md, "toc_tokens", None):
            self.md.toc_tokens = [_token(token) for token in toc_tokens(text)]
        return text


def _token(token: dict[str, Any]) -> dict[str, Any]:
    """One heading as the `toc` extension describes it (its text as HTML in both: Zensical prints `name` as it
    is in an attribute, so it stays escaped)."""
    return {"level": token["level"], "id": token["id"], "name": token["name"], "html": token["name"],
            "data-toc-label": "", "children": [_token(child) for child in token["children"]]}


class OutlineExtension(Extension):
    def extendMarkdown(self, md: Markdown) -> None:  # Python-Markdown's name
        md.postprocessors.register(_Outline(md), "persona-catalog-outline", 0)


def makeExtension(**kwargs: Any) -> OutlineExtension:  # Python-Markdown's entry point
    return OutlineExtension(**kwargs)
