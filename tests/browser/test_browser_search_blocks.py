"""Search over an index cut as small as it goes (`search_block_size: 1`: one posting a block, so every word of
more than one page is read block by block, and chunk files of a few terms): the bundled catalog built so answers
as it does with the default blocks (tests/browser/test_browser_search.py), where each word is one block."""

from __future__ import annotations

from collections import Counter

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_browser_search import LISTING, persona_path, results, served_page

from conftest import Site, demo_project
from persona_catalog import Persona, load_catalog

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def blocked_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = demo_project(tmp_path_factory.mktemp("blocked") / "project")
    site_dir = root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    config.plugins["persona-catalog"].config["search_block_size"] = 1
    build(config)
    return Site(root, site_dir)


@pytest.fixture(scope="module")
def personas(blocked_site: Site) -> tuple[Persona, ...]:
    return load_catalog(blocked_site.root / "personas").catalog.personas


@pytest.fixture(scope="module")
def search_page(browser, blocked_site: Site):  # type: ignore[no-untyped-def]
    yield from served_page(browser, blocked_site)


@pytest.fixture(scope="module")
def one_block_page(browser, bundled_site: Site):  # type: ignore[no-untyped-def]
    yield from served_page(browser, bundled_site)


def test_the_index_is_in_many_chunks_and_blocks(blocked_site: Site) -> None:
    meta = blocked_site.json("search-index/persona/meta.json")
    assert len(meta["chunks"]) >= 6 and meta["block"] == 1  # type: ignore[index]
    blocks = list((blocked_site.site_dir / "search-index/persona/b").glob("*.json"))
    assert len(blocks) > 100 and list((blocked_site.site_dir / "search-index/persona/b").glob("*.bits"))


def test_exact_name_puts_that_persona_first(search_page, personas: tuple[Persona, ...]) -> None:
    for persona in personas:
        found = results(search_page, persona.name)
        assert found and found[0] == persona_path(persona), (persona.name, found[:3])


def test_tags_fill_the_top_results_with_their_personas(search_page, personas: tuple[Persona, ...]) -> None:
    for tag in ("sre", "kubernetes", Counter(t for p in personas for t in p.tags).most_common(1)[0][0]):
        tagged = {persona_path(p) for p in personas if tag in p.tags}
        found = results(search_page, tag)
        assert set(found[:len(tagged)]) == tagged, (tag, found, tagged)


def test_docs_rank_below_personas(search_page) -> None:
    kinds_seen = set()
    for query in ("persona", "tags", "prompt", "front matter", "schema"):
        found = results(search_page, query)
        kinds = ["persona" if path.startswith("/personas/") else "docs" for path in found]
        assert kinds == sorted(kinds, key=lambda kind: kind != "persona"), (query, found)
        assert not [path for path in found if LISTING.search(path)], (query, found)
        kinds_seen.update(kinds)
    assert kinds_seen == {"persona", "docs"}


@pytest.mark.parametrize("query", ["review", "incident response", "code review security", "kube", "the", "data pi"])
def test_many_blocks_answer_as_one(search_page, one_block_page, query: str) -> None:
    assert results(search_page, query) == results(one_block_page, query)
