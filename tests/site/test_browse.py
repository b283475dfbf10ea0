"""Browsing pages in the built site: tag index, tag pages, category overview and the home catalog."""

from __future__ import annotations

import re
from collections import Counter

import pytest
from mkdocs.exceptions import Abort

from conftest import BuildSite, Site, persona_text
from persona_catalog import load_catalog

PERSONAS = {
    "a.md": persona_text("Alpha", "dev", tags=["api", "sql"], models=["cursor"]),
    "b.md": persona_text("Beta", "dev", tags=["api", "rest"], models=["claude-code"]),
    "c.md": persona_text("Gamma", "ops", tags=["api", "sql", "rest"]),
    "d.md": persona_text("Delta", "ops", tags=["oncall"]),
}


def tag_counts(html: str) -> dict[str, int]:
    rows = re.findall(r'<li data-pc-name="([^"]+)" data-pc-count="(\d+)"><a class="md-tag" href="[^"]+">([^<]+)</a> '
                      r'<span class="pc-tag-count">(\d+)</span></li>', html)
    assert all(name == tag and count == shown for name, count, tag, shown in rows)
    return {tag: int(count) for _, count, tag, _ in rows}


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
                                                               "order": 1}}},
                      strict=False)  # the others are not configured: a warning each (test_author_hints.py)
    overview = site.page("categories/")
    titles = re.findall(r'<p class="pc-card__title"><a href="[^"]+">([^<]+)</a>', overview)
    assert titles == ["Operations", "Dev"]  # configured categories first, even with a higher order
    assert "Run it." in overview and "2 personas" in overview
    assert re.findall(r'data-slug="([^"]+)"', site.page("categories/ops/")) == ["delta", "gamma"]


def cards(html: str) -> list[str]:
    return re.findall(r'<li class="pc-card" data-slug="([^"]+)"', html)


def test_home_lists_every_persona_as_a_card(build_site: BuildSite) -> None:
    home = build_site(PERSONAS).page("")
    assert cards(home) == ["alpha", "beta", "delta", "gamma"]  # by name
    assert '<form class="pc-filters" data-pc-filters hidden' in home  # shown by JavaScript only
    assert 'data-pc-listing="api/v1/listing.json"' in home


def test_listings_paginate_at_the_page_size(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"page_size": 3, "listing_page_size": 2})
    assert cards(site.page("")) == ["alpha", "beta", "delta"]  # the home page's size does not grow with the catalog
    # without the script, the all-personas listing's page holding the first persona home does not show (gamma)
    assert re.search(r'<a class="md-button" href="all/page/2/">More personas</a>', site.page(""))
    assert cards(site.page("all/")) == ["alpha", "beta"] and cards(site.page("all/page/2/")) == ["delta", "gamma"]
    assert cards(site.page("tags/api/")) == ["alpha", "beta"] and cards(site.page("tags/api/page/2/")) == ["gamma"]
    assert cards(site.page("categories/dev/")) == ["alpha", "beta"]
    assert not (site.site_dir / "categories/dev/page").exists()  # one page: no page 2, no pager
    assert "md-pagination" not in site.page("categories/dev/")
    second = site.page("tags/api/page/2/")
    assert "<title>#api (page 2) - Test Catalog</title>" in second
    pager = second.split('<nav class="md-pagination pc-pager" aria-label="Pages">')[1].split("</nav>")[0]
    assert re.findall(r'href="([^"]+)"', pager) == ["../../", "../../"]  # Previous and 1: every page linked
    assert '<span class="md-pagination__current" aria-current="page">2</span>' in pager
    assert "page 2 of 2" in second and "3 personas tagged" in second


def test_static_listings_are_longer_than_the_home_pages_first_screen(build_site: BuildSite) -> None:
    """By default home shows 24 cards and the static listings 96 a page (fewer pages to build and store, as
    Material's own tag listings); home's "More personas" then leads to `/all/`, which shows the rest."""
    many = {f"p{i:03d}.md": persona_text(f"Persona {i:03d}", "dev", tags=["api"]) for i in range(100)}
    site = build_site(many)
    slugs = [f"persona-{i:03d}" for i in range(100)]
    assert cards(site.page("")) == slugs[:24]
    assert re.search(r'<a class="md-button" href="all/">More personas</a>', site.page(""))
    for first in ("all/", "tags/api/", "categories/dev/"):
        assert cards(site.page(first)) == slugs[:96], first
        assert cards(site.page(f"{first}page/2/")) == slugs[96:], first
    assert not (site.site_dir / "all/page/3").exists()


def test_listing_cards_carry_no_copy_button_and_name_the_prompts_source(build_site: BuildSite) -> None:
    """The Copy prompt button needs the script, which makes it (catalog.js `addCardButtons`): the page carries
    one URL pattern per list instead of a hidden button per card."""
    site = build_site(PERSONAS)
    for path, json in (("", "api/v1/personas/{}.json"), ("tags/api/", "../../api/v1/personas/{}.json")):
        page = site.page(path)
        assert f'<div class="grid cards pc-cards" data-pc-prompts="{json}">' in page
        listing = page.split('class="grid cards pc-cards"')[1].split("</ul>")[0]
        assert listing.count('<li class="pc-card"') > 1 and "<button" not in listing and "pc-card__copy" not in page


@pytest.mark.parametrize("option", ["page_size", "listing_page_size"])
def test_page_sizes_must_be_positive(build_site: BuildSite, caplog: pytest.LogCaptureFixture, option: str) -> None:
    with pytest.raises(Abort):
        build_site(PERSONAS, plugin={option: 0})
    assert f"{option} must be at least 1, not 0" in caplog.text


def test_listing_json_is_compact_and_complete(build_site: BuildSite) -> None:
    site = build_site({**PERSONAS, "e.md": persona_text("Epsilon", "ops", author="octocat", version="1.2.0",
                                                         context_window="large", description="Fifth.",
                                                         body="You are Epsilon. SECRET PROMPT\n")})
    raw = (site.site_dir / "api/v1/listing.json").read_text("utf-8")
    assert "SECRET PROMPT" not in raw and "\n" not in raw  # no prompts, no indentation
    listing = site.json("api/v1/listing.json")
    assert listing["categories"] == {"dev": "Dev", "ops": "Ops"}
    entries = {p["s"]: p for p in listing["personas"]}
    assert [p["s"] for p in listing["personas"]] == ["alpha", "beta", "delta", "epsilon", "gamma"]
    assert entries["epsilon"].keys() == {"s", "n", "d", "c", "x", "a", "v", "u"}  # empty fields left out
    assert (entries["epsilon"]["a"], entries["epsilon"]["v"], entries["epsilon"]["x"]) == ("octocat", "1.2.0", "large")
    assert entries["alpha"]["t"] == ["api", "sql"] and entries["alpha"]["m"] == ["cursor"]
    assert all(isinstance(p["u"], int) and p["u"] > 1_500_000_000 for p in listing["personas"])


def test_listing_goes_where_the_catalog_page_marks_it(build_site: BuildSite) -> None:
    home = build_site(PERSONAS, docs={"index.md": "Intro.\n\n<!-- persona-catalog:listing -->\n\nOutro.\n"}).page("")
    assert home.index("Intro.") < home.index('class="pc-browse"') < home.index("Outro.")
    assert 'href="#pc-browse-title" class="md-skip"' in home  # no heading of its own: the skip link leads to it


def test_catalog_page_can_be_moved(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"catalog_page": "browse.md"},
                      docs={"index.md": "# Home\n", "browse.md": "# Browse\n"})
    assert "pc-browse" not in site.page("") and "pc-browse" in site.page("browse/")


def test_a_missing_catalog_page_is_made(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"catalog_page": "browse.md"})  # strict: no warning
    assert "pc-browse" in site.page("browse/") and "Test Catalog</h1>" in site.page("browse/")
    assert "pc-browse" not in site.page("")
    site = build_site(PERSONAS, plugin={"catalog_page": ""})
    assert "pc-browse" not in site.page("")


def test_bundled_tag_index_matches_the_sources(bundled_site: Site) -> None:
    catalog = load_catalog(bundled_site.root / "personas").catalog
    expected = Counter(tag for persona in catalog.personas for tag in persona.tags)
    assert tag_counts(bundled_site.page("tags/")) == dict(expected)
    for tag, count in expected.items():
        pages = [bundled_site.page(f"tags/{tag}/")] + [bundled_site.page(f"tags/{tag}/page/{n}/")
                                                       for n in range(2, -(-count // 24) + 1)]
        assert sum(len(cards(page)) for page in pages) == count


def crumbs(html: str) -> list[tuple[str, str]]:
    """Material's breadcrumbs (`navigation.path`) on a built page, as (href, text)."""
    path = re.search(r'<nav class="md-path".*?</nav>', html, re.DOTALL)
    return re.findall(r'<a href="([^"]*)" class="md-path__link">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>',
                      path.group(0)) if path else []


def sidebar_hidden(html: str) -> bool:
    return re.search(r'<div class="md-sidebar md-sidebar--primary"[^>]*\bhidden\b', html) is not None


TABS = {"theme": {"name": "material", "font": False, "features": ["navigation.tabs", "navigation.path"]}}


def test_generated_pages_sit_under_their_index_for_breadcrumbs_and_tabs(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={**TABS, "nav": ["index.md", {"Categories": "categories/index.md"},
                                                          {"Tags": "tags/index.md"}]})
    persona = site.page("personas/alpha/")
    assert crumbs(persona) == [("../..", "Home"), ("../../categories/", "Categories"), ("../../categories/dev/", "Dev")]
    assert re.search(r'md-tabs__item--active">\s*<a href="../../categories/"', persona)
    assert crumbs(site.page("tags/sql/")) == [("../..", "Home"), ("../", "Tags")]
    assert crumbs(site.page("categories/ops/")) == [("../..", "Home"), ("../", "Categories")]
    for path in ("personas/alpha/", "tags/sql/", "categories/ops/", "tags/", "categories/"):
        assert sidebar_hidden(site.page(path)), path  # each tab is one page: its sidebar would list only it


def test_later_pages_of_a_listing_sit_under_its_first(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, plugin={"listing_page_size": 1}, config={**TABS, "nav": [
        "index.md", {"Categories": "categories/index.md"}, {"Tags": "tags/index.md"}]})
    assert [text for _, text in crumbs(site.page("tags/api/page/2/"))] == ["Home", "Tags", "#api"]
    assert [text for _, text in crumbs(site.page("categories/dev/page/2/"))] == ["Home", "Categories", "Dev"]
    assert [text for _, text in crumbs(site.page("all/page/2/"))] == ["Home", "All personas"]
    home_tab = r'md-tabs__item--active">\s*<a href="../../.." class="md-tabs__link">\s*Home'
    assert re.search(home_tab, site.page("all/page/2/"))


def test_a_section_keeps_its_sidebar_and_joins_the_breadcrumbs(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={**TABS, "nav": [
        "index.md", {"Browse": [{"Categories": "categories/index.md"}, {"Tags": "tags/index.md"}]}]})
    persona = site.page("personas/alpha/")
    assert [text for _, text in crumbs(persona)] == ["Home", "Browse", "Categories", "Dev"]
    assert not sidebar_hidden(persona) and not sidebar_hidden(site.page("tags/"))


def test_a_page_the_nav_places_stays_there(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, config={**TABS, "nav": ["index.md", {"Favourites": ["personas/beta.md"]},
                                                          {"Categories": "categories/index.md"}]})
    assert [text for _, text in crumbs(site.page("personas/beta/"))] == ["Home", "Favourites"]
    assert [text for _, text in crumbs(site.page("personas/alpha/"))] == ["Home", "Categories", "Dev"]


def test_without_tabs_no_sidebar_is_hidden(build_site: BuildSite) -> None:
    site = build_site(PERSONAS)
    assert not any(sidebar_hidden(site.page(p)) for p in ("personas/alpha/", "tags/", "categories/"))


def test_breadcrumbs_escape_category_titles(build_site: BuildSite) -> None:
    site = build_site({"a.md": persona_text("Alpha", "dev")}, config=TABS,
                      plugin={"categories": {"dev": {"title": "<b onmouseover=alert(1)>Dev</b> & Ops"}}})
    path = re.search(r'<nav class="md-path".*?</nav>', site.page("personas/alpha/"), re.DOTALL).group(0)
    assert "&lt;b onmouseover=alert(1)&gt;Dev&lt;/b&gt; &amp; Ops" in path and "<b " not in path
