"""The home page's script takes keys from data and the URL: names of `Object.prototype`'s members (`constructor`,
`__proto__`, `toString`, `hasOwnProperty`) as slug, tag, category, model and URL parameter, in real Chromium."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from conftest import Site, listing_slugs, persona_text, serve, write_and_build

pytestmark = pytest.mark.browser

KEYS = ("constructor", "tostring", "hasownproperty", "valueof", "proto")  # slugs are lowercase: the only forms
PERSONAS = {
    **{f"p{i}.md": persona_text(f"Aa Persona {i}", "plain", tags=["common"]) for i in range(4)},
    **{f"{key}.md": persona_text(f"Zz {key}", key, slug=key, tags=list(dict.fromkeys(["common", key, "constructor"])),
                                 models=list(dict.fromkeys([key, "constructor"]))) for key in KEYS},
}
CATEGORIES = {key: {"title": f"Category {key}"} for key in ("plain", *KEYS)}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return write_and_build(tmp_path_factory.mktemp("proto") / "project", PERSONAS,
                           plugin={"page_size": 2, "listing_page_size": 2, "categories": CATEGORIES})


@pytest.fixture(scope="module")
def url(site: Site) -> Iterator[str]:
    address, stop = serve(site.site_dir)
    yield address
    stop()


@pytest.mark.parametrize("query, want", [
    ("", [f"aa-persona-{i}" for i in range(4)] + sorted(KEYS)),
    ("?tag=constructor", sorted(KEYS)),
    ("?tag=tostring", ["tostring"]),
    ("?category=constructor", ["constructor"]),
    ("?model=constructor", sorted(KEYS)),
    ("?model=hasownproperty", ["hasownproperty"]),
    ("?tag=__proto__", []),
    ("?tag=common&tag=__proto__", []),
    ("?tag=toString", []),
    ("?category=__proto__", []),
    ("?model=hasOwnProperty&context=constructor", []),
    ("?tag=constructor&sort=updated", sorted(KEYS)),
])
def test_prototype_names_work_as_keys(browser, url: str, query: str, want: list[str]) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + query)
    got = listing_slugs(page)
    assert sorted(got) == sorted(want) and not errors, (got, errors)
    cards = page.eval_on_selector_all(".pc-cards .pc-card", "cs => cs.map(c => c.textContent)")
    assert not any("native code" in card for card in cards)
    page.close()


def test_the_tag_facet_offers_and_counts_prototype_names(browser, url: str) -> None:
    page = browser.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(url + "?tag=__proto__")
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    page.goto(url)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    page.locator("details[data-pc-tags] summary").click()
    page.locator("[data-pc-tag-find]").fill("constr")
    option = page.locator(".pc-tag-option", has_text="constructor")
    assert option.inner_text().strip() == f"constructor ({len(KEYS)})"
    option.locator("input").check()
    assert sorted(listing_slugs(page)) == sorted(KEYS)
    category = page.locator(".pc-card__category").first.inner_text()
    assert category.startswith("Category "), category
    assert page.locator("select[name=category] option[value=constructor]").inner_text().startswith("Category constructor")
    assert not errors, errors
    page.close()
