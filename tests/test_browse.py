"""Browsing pages in the built site: tag index, tag pages, category overview and the home catalog."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from mkdocs.exceptions import Abort

from conftest import BuildSite, Site, persona_text
from persona_catalog.loader import load_catalog

PERSONAS = {
    "a.md": persona_text("Alpha", "dev", tags=["api", "sql"], models=["cursor"]),
    "b.md": persona_text("Beta", "dev", tags=["api", "rest"], models=["claude-code"]),
    "c.md": persona_text("Gamma", "ops", tags=["api", "sql", "rest"]),
    "d.md": persona_text("Delta", "ops", tags=["oncall"]),
}


def tag_counts(html: str) -> dict[str, int]:
    rows = re.findall(r'<tr><td><a class="md-tag" href="[^"]+">([^<]+)</a></td><td>(\d+)</td></tr>', html)
    return {tag: int(count) for tag, count in rows}


def test_tag_index_counts_equal_the_sources(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    assert tag_counts(site.page("tags/")) == {"api": 3, "oncall": 1, "rest": 2, "sql": 2}
    assert "data-pc-sortable" in site.page("tags/")


def test_tag_page_lists_its_personas_and_related_tags(build_site: BuildSite) -> None:
    page = build_site(PERSONAS).page("tags/sql/")
    assert re.findall(r'data-slug="([^"]+)"', page) == ["alpha", "gamma"]
    related = page.split('aria-label="Related tags"')[1].split("</nav>")[0]
    assert re.findall(r">([a-z-]+)</a>", related) == ["api", "rest"]  # api co-occurs twice, rest once


def test_category_overview_has_counts_and_descriptions(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"categories": {"ops": {"title": "Operations", "description": "Run it.",
                                                               "order": 1}}})
    overview = site.page("categories/")
    titles = re.findall(r'<p class="pc-card__title"><a href="[^"]+">([^<]+)</a>', overview)
    assert titles == ["Operations", "Dev"]  # configured categories first, even with a higher order
    assert "Run it." in overview and "2 personas" in overview
    assert re.findall(r'data-slug="([^"]+)"', site.page("categories/ops/")) == ["delta", "gamma"]


def test_home_lists_every_persona_as_a_card(build_site: BuildSite) -> None:
    home = build_site(PERSONAS).page("")
    assert sorted(re.findall(r'<li class="pc-card" data-slug="([^"]+)"', home)) == ["alpha", "beta", "delta", "gamma"]
    assert 'data-tags="api sql"' in home and 'data-models="cursor"' in home
    assert '<form class="pc-filters" data-pc-filters hidden' in home  # shown by JavaScript only


def test_catalog_page_can_be_moved(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"catalog_page": "browse.md"},
                      docs={"index.md": "# Home\n", "browse.md": "# Browse\n"})
    assert "pc-browse" not in site.page("") and "pc-browse" in site.page("browse/")


def test_missing_catalog_page_is_a_warning(build_site: BuildSite) -> None:
    with pytest.raises(Abort):  # strict: the warning fails the build
        build_site(PERSONAS, plugin={"catalog_page": "browse.md"})
    site = build_site(PERSONAS, plugin={"catalog_page": ""})
    assert "pc-browse" not in site.page("")


def test_bundled_tag_index_matches_the_sources(bundled_site: Site) -> None:
    catalog = load_catalog(bundled_site.root / "personas").catalog
    expected = Counter(tag for persona in catalog.personas for tag in persona.tags)
    assert tag_counts(bundled_site.page("tags/")) == dict(expected)
    for tag, count in expected.items():
        assert len(re.findall(r'<li class="pc-card"', bundled_site.page(f"tags/{tag}/"))) == count
