"""Two kinds of documentation, kept apart: the contributors' pages (format, adding a persona, checks,
contributing) are searchable docs under the Docs tab; the generator's reference (configuration, engines, search,
exports, collections, API, publishing) is out of the nav (linked from home), marked `search: exclude: true`, never in the index."""

from __future__ import annotations

import re

import pytest
from test_search import indexed_urls

from conftest import ROOT, BuildSite, Site, persona_text

GENERATOR = ("configuration", "engines", "search", "exports", "collections", "api", "publishing")
CONTRIBUTORS = ("adding-a-persona", "format", "lint")


def front_matter(page: str) -> str:
    text = (ROOT / "docs" / f"{page}.md").read_text()
    return text.split("\n---\n", 1)[0] if text.startswith("---\n") else ""


@pytest.mark.parametrize("page", GENERATOR)
def test_every_generator_page_is_out_of_the_search(page: str) -> None:
    assert re.search(r"^search:\n  exclude: true$", front_matter(page), re.MULTILINE), page


def test_the_index_holds_personas_and_contributors_docs_only(bundled_site: Site) -> None:
    indexed = indexed_urls(bundled_site, "persona") | indexed_urls(bundled_site, "docs")
    assert {f"/{page}/" for page in CONTRIBUTORS} <= indexed
    assert not {f"/{page}/" for page in GENERATOR} & indexed
    assert re.search(r"<div data-pagefind-body", bundled_site.page("format/"))
    for page in GENERATOR:
        assert not re.search(r"<div data-pagefind-body", bundled_site.page(f"{page}/")), page
    tabs = re.findall(r'<a href="[^"]*" class="md-tabs__link">\s*([^<]+?)\s*</a>', bundled_site.page(""))
    assert tabs[-1] == "Docs" and "Generator" not in tabs, tabs  # no tab more before the first persona
    assert all(f'href="{page}/"' in bundled_site.page("") for page in GENERATOR)  # linked from home


def test_search_exclude_is_honoured_on_any_docs_page(build_site: BuildSite) -> None:
    site = build_site({"k.md": persona_text("Kube Helper", "ops", tags=["kubernetes"])},
                      docs={"index.md": "# Home\n", "kept.md": "# Kept\n\nkubernetes notes\n",
                            "gone.md": "---\nsearch:\n  exclude: true\n---\n\n# Gone\n\nkubernetes internals\n",
                            "odd.md": "---\nsearch: yes\n---\n\n# Odd\n\nkubernetes\n"})
    indexed = indexed_urls(site, "persona") | indexed_urls(site, "docs")
    assert {"/kept/", "/odd/", "/personas/kube-helper/"} <= indexed and "/gone/" not in indexed
