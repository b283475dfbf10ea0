"""Search over an index in many shards (`search_shard_size`), merged in the browser by Pagefind's multisite API:
the bundled catalog built with shards of 5 pages answers as the single index does (tests/browser/test_browser_search.py).
"""

from __future__ import annotations

from collections import Counter

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config
from test_browser_search import LISTING, persona_path, results, served_page
from test_search import shard_urls

from conftest import Site, demo_project
from persona_catalog import Persona, load_catalog

pytestmark = pytest.mark.browser

SHARD_SIZE = 5


@pytest.fixture(scope="module")
def sharded_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    root = demo_project(tmp_path_factory.mktemp("sharded") / "project")
    site_dir = root / "site"
    config = load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True)
    config.plugins["persona-catalog"].config["search_shard_size"] = SHARD_SIZE
    build(config)
    return Site(root, site_dir)


@pytest.fixture(scope="module")
def personas(sharded_site: Site) -> tuple[Persona, ...]:
    return load_catalog(sharded_site.root / "personas").catalog.personas


@pytest.fixture(scope="module")
def search_page(browser, sharded_site: Site):  # type: ignore[no-untyped-def]
    yield from served_page(browser, sharded_site)


def shard_of(sharded_site: Site) -> dict[str, int]:
    return {url: number for number, urls in enumerate(shard_urls(sharded_site)) for url in urls}


def test_the_site_is_indexed_in_many_shards(sharded_site: Site, personas: tuple[Persona, ...]) -> None:
    shards = shard_of(sharded_site)
    assert len(set(shards.values())) >= 6 and {persona_path(p) for p in personas} <= set(shards)
    assert all(len(urls) <= SHARD_SIZE for urls in shard_urls(sharded_site))


def test_exact_name_puts_that_persona_first_whatever_its_shard(search_page, personas: tuple[Persona, ...]) -> None:
    for persona in personas:
        found = results(search_page, persona.name)
        assert found and found[0] == persona_path(persona), (persona.name, found[:3])


def test_tags_fill_the_top_results_with_their_personas_from_every_shard(search_page, sharded_site: Site,
                                                                       personas: tuple[Persona, ...]) -> None:
    """The tags of tests/browser/test_browser_search.py (there on one index): the same top results, merged."""
    shards = shard_of(sharded_site)
    spread = 0
    for tag in ("sre", "kubernetes", Counter(t for p in personas for t in p.tags).most_common(1)[0][0]):
        tagged = {persona_path(p) for p in personas if tag in p.tags}
        found = results(search_page, tag)
        assert set(found[:len(tagged)]) == tagged, (tag, found, tagged)
        spread = max(spread, len({shards[path] for path in tagged}))
    assert spread >= 3  # the case this test is about: one query, personas of several shards


def test_docs_rank_below_personas_across_shards(search_page, sharded_site: Site) -> None:
    shards, kinds_seen, spread = shard_of(sharded_site), set(), 0
    for query in ("persona", "tags", "prompt", "front matter", "schema"):
        found = results(search_page, query)
        kinds = ["persona" if path.startswith("/personas/") else "docs" for path in found]
        assert kinds == sorted(kinds, key=lambda kind: kind != "persona"), (query, found)
        assert not [path for path in found if LISTING.search(path)], (query, found)
        kinds_seen.update(kinds)
        spread = max(spread, len({shards[path] for path in found}))
    assert kinds_seen == {"persona", "docs"} and spread >= 3  # both filters answered, from several shards


def test_kind_filter_holds_in_shards_without_that_kind(search_page, sharded_site: Site) -> None:
    """Pagefind's own API, merged as the worker merges: a shard with no docs page returns none for `kind:docs`."""
    shards = shard_of(sharded_site)
    assert {n for url, n in shards.items() if not url.startswith("/personas/")} != set(shards.values())
    found = search_page.evaluate("""async () => {
        const root = new URL("/", location.href);
        const manifest = await (await fetch(new URL("pagefind/shards.json", root))).json();
        const urls = manifest.shards.map(shard => new URL("pagefind/" + shard, root).href);
        const pagefind = await import(urls[0] + "pagefind.js");
        await pagefind.options({ baseUrl: "/" });
        for (const url of urls.slice(1)) { await pagefind.mergeIndex(url, { baseUrl: "/" }); }
        const kinds = {};
        for (const kind of ["persona", "docs"]) {
            const search = await pagefind.search("the", { filters: { kind } });
            kinds[kind] = await Promise.all(search.results.map(result => result.data().then(data => data.url)));
        }
        return kinds;
    }""")
    personas = {url for url in shards if url.startswith("/personas/")}
    assert set(found["persona"]) == personas
    assert found["docs"] and not set(found["docs"]) & personas
    assert set(found["docs"]) | personas == set(shards)  # every docs page, from whichever shard holds it
