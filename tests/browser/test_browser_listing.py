"""The home listing on a catalog many pages long (30 personas, 4 per page), in real headless Chromium: filters
over every page, pages in the URL, cards added by the script, the card copy button, and every persona within three
clicks of home without JavaScript."""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from conftest import Site, listing_slugs, persona_text, serve, write_and_build

pytestmark = pytest.mark.browser

PAGE_SIZE = 4
SIZES = {"page_size": PAGE_SIZE, "listing_page_size": PAGE_SIZE}  # home's pages as the server's listings
CATEGORIES = ("build", "run", "write")


def numbered(i: int) -> str:
    """Persona `i`: every third by octocat (version 1.<i>.0), odd ones in a group, every fourth for Cursor."""
    extra = {"author": "octocat", "version": f"1.{i}.0"} if i % 3 == 0 else {}
    return persona_text(f"Persona {i:02d}", CATEGORIES[i % 3], tags=["common"] + ([f"group-{i % 5}"] if i % 2 else []),
                        models=["cursor"] if i % 4 == 0 else [], **extra,
                        body=f"You are persona {i:02d}.\n\n## Steps\n\n1. Do **{i}** things.\n")


PERSONAS = {f"p{i:02d}.md": numbered(i) for i in range(30)}
SLUGS = [f"persona-{i:02d}" for i in range(30)]


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    return write_and_build(tmp_path_factory.mktemp("listing") / "project", PERSONAS, plugin=SIZES)


@pytest.fixture(scope="module")
def url(site: Site) -> Iterator[str]:
    address, stop = serve(site.site_dir)
    yield address
    stop()


@pytest.fixture(scope="module")
def flat_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The same catalog built with `use_directory_urls: false` (pages at `personas/<slug>.html`)."""
    flat = write_and_build(tmp_path_factory.mktemp("flat") / "project", PERSONAS, plugin=SIZES,
                           config={"use_directory_urls": False})
    address, stop = serve(flat.site_dir)
    yield address
    stop()


def test_filters_find_personas_beyond_the_first_page(browser, url: str, site: Site) -> None:
    page = browser.new_page()
    page.goto(f"{url}?tag=common&category=run")
    want = [s for i, s in enumerate(SLUGS) if i % 3 == 1]
    assert listing_slugs(page) == want and len(want) > 2 * PAGE_SIZE
    assert page.url.endswith(f"?category=run&tag=common&page={-(-len(want) // PAGE_SIZE)}")
    page.goto(f"{url}?tag=group-1&model=cursor")
    assert listing_slugs(page) == []  # odd personas carry group tags, multiples of four carry cursor
    page.goto(f"{url}?find=persona+2")  # every word begins a word of the name, description, tags or prompt
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    assert not page.locator("#__search").is_checked()  # ?find= is the listing's: Material's search stays closed
    assert page.url == f"{url}?find=persona+2" and page.get_by_label("Search names").input_value() == "persona 2"
    # (words split at anything but letters and digits: the tag group-2 is "group" and "2")
    texts = {f"persona-{i:02d}": re.findall(r"[^\W_]+", numbered(i).split("\n---\n")[1].lower() +
                                            f" persona {i:02d} " + (f"group-{i % 5}" if i % 2 else ""))
             for i in range(30)}
    want = [s for s in SLUGS if any(w.startswith("2") for w in texts[s]) and "persona" in texts[s]]
    assert sorted(listing_slugs(page)) == want and PAGE_SIZE < len(want) < len(SLUGS)  # best match first
    page.close()


def test_a_shared_link_opens_its_page_and_back_returns(browser, url: str) -> None:
    page = browser.new_page()
    page.goto(f"{url}?category=build&page=2")
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    build = [s for i, s in enumerate(SLUGS) if i % 3 == 0]
    shown = lambda: page.eval_on_selector_all(".pc-cards .pc-card", "cs => cs.map(c => c.dataset.slug)")  # noqa: E731
    assert shown() == build[PAGE_SIZE:2 * PAGE_SIZE]
    assert page.locator("[data-pc-pages] [aria-current=page]").inner_text() == "2"
    page.locator("[data-pc-pages]").get_by_role("link", name="3", exact=True).click()
    assert page.url.endswith("?category=build&page=3") and shown() == build[2 * PAGE_SIZE:3 * PAGE_SIZE]
    page.go_back()
    page.wait_for_function("() => location.search === '?category=build&page=2'")
    assert shown() == build[PAGE_SIZE:2 * PAGE_SIZE]
    page.get_by_label("Category").select_option("")  # a new filter starts again at page 1
    assert page.url == url and shown() == SLUGS[:PAGE_SIZE]
    page.close()


# Counts the listing's own history writes (its state argument is null; Material's are objects).
COUNT_WRITES = """() => {
    window.pcWrites = 0;
    const replace = history.replaceState.bind(history);
    history.replaceState = (state, ...rest) => { if (state === null) window.pcWrites += 1; return replace(state, ...rest); };
}"""


def test_one_change_filters_once(browser, url: str) -> None:
    page = browser.new_page()
    page.goto(url)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    page.evaluate(COUNT_WRITES)
    page.get_by_label("Category").select_option("run")
    page.get_by_label("Sort by").select_option("updated")
    assert page.evaluate("window.pcWrites") == 2 and page.url.endswith("?category=run&sort=updated")
    page.close()


def test_instant_navigation_leaves_no_listener_behind(browser, tmp_path) -> None:
    """Material's instant navigation swaps pages without reloading: after three visits to home, one change of a
    filter writes the listing's state once (the window's listeners belong to the page, not to each visit)."""
    site_dir = tmp_path / "project" / "site"
    site_dir.mkdir(parents=True)
    address, stop = serve(site_dir)
    write_and_build(tmp_path / "project", PERSONAS, plugin=SIZES, config={
        "site_url": address, "theme": {"name": "material", "font": False, "features": ["navigation.instant"]}})
    page = browser.new_page()
    page.goto(address)
    page.evaluate("window.pcFirstLoad = true")  # gone if a page reloads
    for _ in range(2):
        page.wait_for_selector(".pc-browse[data-pc-loaded]")
        page.locator(".pc-card .pc-card__category").first.click()  # to a category page, without reloading
        page.wait_for_url("**/categories/**")
        page.locator(".md-header__button.md-logo").click()  # and home again
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    assert page.evaluate("window.pcFirstLoad")
    page.evaluate(COUNT_WRITES)
    page.get_by_label("Category").select_option("run")
    page.wait_for_function("() => window.pcWrites > 0")
    page.evaluate("new Promise(done => setTimeout(done, 100))")
    assert page.evaluate("window.pcWrites") == 1
    toggle = "document.getElementById('__search')"  # Material's search box: ?q= is its own, not the listing's
    page.evaluate(f"{toggle}.click()")
    page.evaluate(f"{toggle}.click()")
    page.evaluate("new Promise(done => setTimeout(done, 100))")
    assert page.evaluate("window.pcWrites") == 1 and page.url.endswith("?category=run")
    page.close()
    stop()


STRUCTURE = """card => {
    const walk = node => node.nodeType === Node.TEXT_NODE ? node.textContent.trim() : [
        node.tagName,
        [...node.classList].filter(c => c !== 'focus-visible').sort().join(' '),
        node.href || '', node.dataset.pcPrompt ? new URL(node.dataset.pcPrompt, location).href : '',
        node.getAttribute('datetime') || '', node.dataset.slug || '', node.hidden,
        [...node.childNodes].filter(n => !(n.classList && n.classList.contains('pc-pick')))  // bundle.js's box
            .map(walk).filter(part => part !== ''),
    ];
    return walk(card);
}"""


@pytest.mark.parametrize("flat", [False, True], ids=["directory-urls", "use_directory_urls-false"])
def test_cards_added_by_the_script_are_the_server_rendered_cards(browser, url: str, flat_url: str, flat: bool) -> None:
    """Same markup, same links (MkDocs' own page URLs, with or without `use_directory_urls`)."""
    base = flat_url if flat else url
    page = browser.new_page()
    page.goto(f"{base}all/page/3{'.html' if flat else '/'}")  # the server's third page of the all-personas listing
    server = page.eval_on_selector_all(".pc-cards .pc-card", f"cs => cs.map({STRUCTURE})")
    assert any(".html" in str(card) for card in server) == flat
    page.goto(f"{base}?page=3")  # the home page's third page, filled in by listing.js from copies of a card
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    script = page.eval_on_selector_all(".pc-cards .pc-card", f"cs => cs.map({STRUCTURE})")
    assert [card[5] for card in script] == SLUGS[2 * PAGE_SIZE:3 * PAGE_SIZE]
    assert script == server
    # Besides, on the home page each card has one "Add to bundle" box (bundle.js), the server's listing none.
    assert page.eval_on_selector_all(".pc-cards .pc-card", "cs => cs.map(c => c.querySelectorAll('.pc-pick input').length)") \
        == [1] * PAGE_SIZE
    page.close()


PAGER = "nav => [...nav.children].map(e => e.textContent.trim() + (e.matches('[aria-current]') ? '*' : ''))"


def test_the_script_pages_as_the_server_pager(browser, url: str) -> None:
    """One rule for the home listing's pager and the server's: first, last, two either side of the current page,
    "…" between; the all-personas listing's first page alone links every page (three clicks, see below)."""
    pages = -(-len(SLUGS) // PAGE_SIZE)
    page = browser.new_page()
    page.goto(f"{url}all/")
    assert page.eval_on_selector(".pc-pager", PAGER) == ["1*", *map(str, range(2, pages + 1)), "Next"]
    for number in range(2, pages + 1):
        page.goto(f"{url}all/page/{number}/")
        server = page.eval_on_selector(".pc-pager", PAGER)
        page.goto(f"{url}?page={number}")
        page.wait_for_selector(".pc-browse[data-pc-loaded]")
        assert page.eval_on_selector("[data-pc-pages]", PAGER) == server, number
    assert server == ["Previous", "1", "\u2026", "6", "7", "8*"]
    page.close()


@pytest.mark.parametrize("where", ["?page=5", ""], ids=["added-by-script", "server-rendered"])
def test_card_copy_button_copies_the_prompt_without_opening_the_page(browser, url: str, where: str) -> None:
    from persona_catalog import parse_persona

    context = browser.new_context(permissions=["clipboard-read", "clipboard-write"])
    page = context.new_page()
    page.goto(url + where)
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    card = page.locator(".pc-cards .pc-card").nth(1)
    slug = card.get_attribute("data-slug")
    name = card.locator(".pc-card__title a").inner_text()
    page.evaluate("navigator.clipboard.writeText('')")
    card.get_by_role("button", name=f"Copy prompt of {name}").click()
    card.locator(".pc-copy-status", has_text="Copied").wait_for()
    source = PERSONAS[f"p{slug.removeprefix('persona-')}.md"]
    assert page.evaluate("navigator.clipboard.readText()") == parse_persona(source.encode(), "x.md")[0].body
    assert page.url == url + where
    context.close()


def test_without_javascript_every_persona_is_within_three_clicks(browser, url: str) -> None:
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    clicks: dict[str, int] = {}
    queue, seen = deque([(url, 0)]), {url}
    while queue:  # breadth first over the listings; persona pages are where a path ends
        address, depth = queue.popleft()
        page.goto(address)
        for href in page.eval_on_selector_all("article a[href], .md-tabs a[href]", "as => as.map(a => a.href)"):
            href = href.split("#")[0]
            path = urlsplit(href).path
            if not href.startswith(url) or href in seen or not path.endswith("/"):
                continue
            seen.add(href)
            if path.startswith("/personas/"):
                clicks[path.split("/")[2]] = depth + 1
            elif depth + 1 < 3:
                queue.append((href, depth + 1))
    assert sorted(clicks) == SLUGS and max(clicks.values()) <= 3
    assert max(clicks.values()) == 3  # the catalog is long enough to need the paginated listings
    context.close()
