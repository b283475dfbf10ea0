"""What the search index holds, how it is written (`persona_catalog.search.index`), and how the theme is pointed
at it, on real builds."""

from __future__ import annotations

import gzip
import json
import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from mkdocs.exceptions import Abort
from test_serve import fetch, free_port, wait_until

from conftest import BuildSite, Site, persona_text
from persona_catalog import (
    SearchIndex,
    SearchIndexError,
    chunk_terms,
    index_site,
    read_document,
    search_document,
    search_terms,
    searchable,
)
from persona_catalog.search.theme import STUB_INDEX, use_worker

STEMS = Path(__file__).parents[1] / "data" / "stems.json"  # the stemmer's table, shared with search-worker.js

PERSONAS = {
    "dev/reviewer.md": persona_text("Patch Reviewer", "dev", tags=["review", "quality"],
                                    body="# Patch Reviewer\n\nYou review patches. Look for zebra-striped locks.\n"),
    "ops/oncall.md": persona_text("On-call Buddy", "ops", tags=["incident", "quality"], body="You help.\n"),
}
DOCS = {"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nHow to write a persona.\n"}


def indexed_urls(site: Site, kind: str) -> set[str]:
    """The pages of one kind in the index, read from its fragments (their number must be the meta's)."""
    folder = site.site_dir / "search-index" / kind
    urls = {json.loads(gzip.decompress(path.read_bytes()))["url"] for path in (folder / "d").glob("*.json.gz")}
    assert site.json(f"search-index/{kind}/meta.json")["docs"] == len(urls)  # type: ignore[index]
    return urls


def config_search(html: str) -> str:
    match = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert match, "no theme configuration"
    return json.loads(match.group(1))["search"]


def test_only_persona_and_docs_pages_are_indexed(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs=DOCS)
    assert indexed_urls(site, "persona") == {"/personas/patch-reviewer/", "/personas/on-call-buddy/"}
    assert indexed_urls(site, "docs") == {"/guide/"}  # never home, tag or category pages
    for listing in ("tags/", "tags/quality/", "categories/", "categories/dev/", ""):
        assert "data-pagefind-body" not in site.page(listing), listing
    assert 'data-pagefind-body data-pagefind-filter="kind:docs"' in site.page("guide/")
    persona = site.page("personas/patch-reviewer/")
    assert 'data-pagefind-body data-pagefind-filter="kind:persona"' in persona
    exports = persona.index('id="use-it"')
    assert persona.rfind('data-pagefind-ignore="all"', 0, exports) > persona.index('id="prompt"')


def test_the_index_reads_only_the_searchable_element(build_site: BuildSite) -> None:
    """The indexer is given the element marked `data-pagefind-body` alone (the same ranking text, filters, meta and
    weights), up to the prompt's end: not the theme's chrome, nor the exports and links below the prompt; a docs
    page that writes the end mark itself keeps the rest of its text."""
    docs = {**DOCS, "marked.md": "# Marked\n\nBefore <!--/pagefind-body--> the mark, and quokka after it.\n"}
    site = build_site(PERSONAS, docs=docs)
    persona = site.page("personas/patch-reviewer/")
    fed = search_document(persona)
    assert len(fed) < len(persona) / 2
    assert fed.startswith("<!DOCTYPE html><html><body><article ") and fed.endswith("</script>\n</div>\n</body></html>")
    for kept in ('data-pagefind-filter="kind:persona"', 'data-pagefind-weight="10"', 'data-pagefind-meta="category"',
                 'data-pagefind-meta="tags[data-pc-tags]"', ">Patch Reviewer</h1>", "zebra-striped locks"):
        assert kept in fed, kept
    for chrome in ("md-header", "md-footer", "md-nav", "<title>", "__config", "pc-exports", "Related personas"):
        assert chrome not in fed, chrome
    marked = search_document(site.page("marked/"))
    assert 'data-pagefind-filter="kind:docs"' in marked and "quokka after it" in marked and "md-footer" not in marked
    listing = site.page("tags/")
    assert search_document(listing) == listing  # nothing marked: left whole (and never indexed, `searchable`)


def test_theme_search_box_is_drawn_and_answered_by_our_worker(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs=DOCS)
    for url in ("", "guide/", "personas/patch-reviewer/", "tags/quality/"):
        html = site.page(url)
        assert 'class="md-search"' in html, url
        worker = config_search(html)
        assert worker.endswith("assets/persona-catalog/search-worker.js"), (url, worker)
    assert config_search(site.html("404.html")) == "/assets/persona-catalog/search-worker.js"
    assert (site.site_dir / "assets/persona-catalog/search-worker.js").exists()
    assert site.json("search/search_index.json") == STUB_INDEX


def test_material_search_plugin_keeps_lunr(build_site: BuildSite) -> None:
    lunr = build_site(PERSONAS, docs=DOCS, config={"plugins": ["search", "persona-catalog"]})
    docs = lunr.json("search/search_index.json")["docs"]  # type: ignore[index]
    assert any(doc["location"].startswith("personas/patch-reviewer") for doc in docs)
    assert not (lunr.site_dir / "search-index").exists()
    assert "search-worker.js" not in lunr.page("")


def test_search_false_builds_no_index(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs=DOCS, plugin={"search": False})
    assert not (site.site_dir / "search-index").exists()
    assert 'class="md-search"' not in site.page("")


def test_use_worker_keeps_the_prefix_and_escapes() -> None:
    page = '<p>x</p><script id="__config" type="application/json">{"search": "../../assets/javascripts/workers/search.1.min.js", "t": "</"}</script>'
    out = use_worker(page, "assets/w.js")
    assert '"search": "../../assets/w.js"' in out and "</p>" in out and '"\\u003c/"' in out
    assert use_worker("<p>no theme</p>", "assets/w.js") == "<p>no theme</p>"


@pytest.mark.parametrize("dirty", ["", "--dirty"])  # --dirty: made from the written files, not fed the pages
def test_serve_rebuilds_the_index_after_every_edit(tmp_path: Path, dirty: str) -> None:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "first.md").write_text(persona_text("First One", "dev"))
    config = {"site_name": "Serve", "theme": {"name": "material", "font": False}, "plugins": ["persona-catalog"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    process = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}",
                                *filter(None, [dirty])], cwd=tmp_path,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})

    def pages() -> int:
        status, text = fetch(url + "search-index/persona/meta.json")
        return json.loads(text)["docs"] if status == 200 else -1

    try:
        assert wait_until(lambda: pages() == 1), "no search index served"
        assert "search-worker.js" in fetch(url)[1]
        unrelated = persona_text("Zebra Keeper", "ops", body="Quokka quasar.\n")  # --dirty: first.md not rebuilt
        (tmp_path / "personas" / "second.md").write_text(unrelated)
        assert wait_until(lambda: pages() == 2), "index not rebuilt after an edit"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_a_page_is_read_as_its_marks_say() -> None:
    """Text under `data-pagefind-ignore` is left out (its meta kept), weights and meta are read, scripts are not
    text, headings with an id start sections, and entities are decoded once (the worker escapes them again)."""
    html = ('<header>chrome words</header><article data-pagefind-body data-pagefind-filter="kind:persona">'
            '<h1 data-pagefind-weight="10" data-pagefind-meta="slug:the-slug">Zebra &lt;b&gt; Keeper</h1>'
            '<dl data-pagefind-ignore><dd><a data-pagefind-meta="category">Ops &amp; Care</a> claude-code</dd></dl>'
            '<div data-pc-tags="zoo, night" data-pagefind-weight="10" data-pagefind-meta="tags[data-pc-tags]">zoo night</div>'
            '<p>Feed the zebras<br>daily.</p><script type="application/json">"secret words"</script>'
            '<h2 id="care">Care plan</h2><p>Brush zebra stripes.</p>'
            '<div data-pagefind-ignore="all"><h2 id="exports">Exports</h2>hidden</div></article><!--/pagefind-body-->'
            '<footer>footer words</footer>')
    document = read_document("/personas/z/", html)
    assert document.kind == "persona" and document.title == "Zebra <b> Keeper"
    assert document.meta == {"slug": "the-slug", "category": "Ops & Care", "tags": "zoo, night"}
    assert [s[:2] for s in document.sections] == [["", ""], ["Care plan", "care"]]
    assert document.sections[0][2].startswith("Zebra <b> Keeper") and "secret" not in str(document.sections)
    assert document.fields == {"zebra": 10.0, "b": 10.0, "keeper": 10.0, "zoo": 10.0, "night": 10.0, "care": 6.0,
                               "plan": 6.0}
    assert document.body == {"feed": 1, "the": 1, "zebra": 2, "daily": 1, "brush": 1, "stripe": 1}
    for left_out in ("claude", "chrome", "footer", "hidden", "export", "secret"):
        assert left_out not in document.fields and left_out not in document.body, left_out


def test_self_closing_and_stray_tags_end_nothing() -> None:
    """MkDocs writes `<br />` and `<img ... />`; a `</span>` may close nothing: the marks around them hold."""
    html = ('<div data-pagefind-body data-pagefind-filter="kind:docs"><h1>Notes</h1>'
            '<p>Line one<br />line two</span> still here</p>'
            '<div data-pagefind-ignore><img alt="" src="x.png" /> hidden words</div>'
            '<p data-pagefind-weight="10">heavy<hr/>weight</p></div><!--/pagefind-body-->')
    document = read_document("/notes/", html)
    assert {"line", "two", "still", "here"} <= document.body.keys()
    assert "hidden" not in document.body and "hidden" not in document.fields
    assert document.fields.get("heavy") == document.fields.get("weight") == 10.0


def test_the_excerpts_text_keeps_blocks_apart_and_text_elements_in_their_words() -> None:
    """A heading, a paragraph, list items, and elements with white space between them (tag links, a code block's
    lines) are words apart in the text excerpts are cut from ("Notes Line", not "NotesLine"); bold or code inside
    a word stays in it; a heading's permalink (`¶`) is in neither the text nor the heading."""
    html = ('<div data-pagefind-body data-pagefind-filter="kind:docs"><h1>Notes</h1><p>Line one.</p>'
            '<ul><li>first</li><li>second</li></ul><p>un<strong>break</strong><wbr>able <code>x</code>.</p>'
            '<div><a href="#">tag-one</a>\n  <a href="#">tag-two</a></div>'
            '<h2 id="more">More<a class="headerlink" href="#more" title="Permanent link">¶</a></h2><pre><code><span>a: 1</span>\n<span>---</span></code></pre></div>'
            '<!--/pagefind-body-->')
    document = read_document("/notes/", html)
    assert document.sections == [["", "", "Notes Line one. first second unbreakable x. tag-one tag-two"],
                                 ["More", "more", "More a: 1 ---"]]


def index_of(tmp_path: Path, pages: list[tuple[str, str]], block: int = 2) -> Path:
    index = SearchIndex(tmp_path / "site", block)
    for url, html in pages:
        index.add(url, html)
    report = index.finish()
    assert report is not None and report.pages == len([p for p in pages if searchable(p[1])])
    return tmp_path / "site" / "search-index"


def body(text: str, kind: str = "persona", title: str = "") -> str:
    return (f'<article data-pagefind-body data-pagefind-filter="kind:{kind}"><h1 data-pagefind-weight="10">{title}'
            f'</h1><p>{text}</p></article>')


def postings(folder: Path, term: str) -> list[int]:
    """A term's postings read back as the worker reads them: its chunk's first block, then its block files."""
    meta = json.loads((folder / "meta.json").read_text())
    number = max((i for i, p in enumerate(meta["chunks"]) if term.startswith(p)), key=lambda i: len(meta["chunks"][i]))
    chunk = json.loads((folder / "c" / f"{number}.json").read_text())
    [position] = [n for n, entry in enumerate(chunk) if entry[0] == term]
    _, df, blocks, last, first = chunk[position]
    flat = first + [x for n in range(1, blocks) for x in json.loads((folder / "b" / f"{number}.{position}.{n}.json").read_text())]
    assert len(flat) == 2 * df and flat[-1] == last
    assert flat[1::2] == sorted(flat[1::2], reverse=True)  # by impact, best first
    if blocks > 1:
        bits = (folder / "b" / f"{number}.{position}.bits").read_bytes()
        assert {d for d in range(8 * len(bits)) if bits[d >> 3] >> (d & 7) & 1} == set(flat[0::2])
    return flat


def test_postings_are_cut_into_blocks_by_impact_and_ranked_by_field_weight(tmp_path: Path) -> None:
    pages = [(f"/p{n}/", body("common words " * (n + 1) + ("zebra" if n == 3 else ""), title=f"Name {n}"))
             for n in range(7)] + [("/docs/", body("common docs", kind="docs")), ("/list/", "<p>common</p>")]
    folder = index_of(tmp_path, pages)
    common = postings(folder / "persona", "common")
    assert sorted(common[0::2]) == list(range(7))  # every persona once; 4 blocks of 2
    assert postings(folder / "persona", "zebra")[0::2] == [3]
    name = postings(folder / "persona", "name")
    assert min(name[1::2]) > max(common[1::2])  # a word of the name (weight 10) outranks the body's
    assert postings(folder / "docs", "common")[0::2] == [0]  # docs pages: an index of their own
    assert json.loads(gzip.decompress((folder / "persona" / "d" / "3.json.gz").read_bytes()))["url"] == "/p3/"
    assert not (folder / "persona" / "d" / "7.json.gz").exists()  # the listing is not indexed


@given(st.lists(st.text(alphabet="abc\u00e9\u65e5", min_size=1, max_size=6), min_size=1, max_size=60, unique=True),
       st.integers(1, 200))
def test_every_term_is_in_the_chunk_of_its_longest_listed_prefix(terms: list[str], limit: int) -> None:
    chunks = chunk_terms(sorted(terms), {t: 40 for t in terms}, limit)
    prefixes = [p for p, _ in chunks]
    assert prefixes == sorted(prefixes) and len(set(prefixes)) == len(prefixes)
    assert sorted(t for _, members in chunks for t in members) == sorted(terms)  # each term once
    for prefix, members in chunks:
        for term in members:
            assert max((p for p in prefixes if term.startswith(p)), key=len) == prefix


def test_the_stemmer_agrees_with_its_table() -> None:
    for text, expected in json.loads(STEMS.read_text("utf-8"))["text→terms"]:
        assert search_terms(text) == expected, text


@pytest.mark.skipif(shutil.which("node") is None and not os.environ.get("CI"), reason="no node to run the worker's JS")
def test_the_workers_stemmer_agrees_with_the_same_table() -> None:
    script = ("const fs = require('fs');"
              "const f = new Function('self', fs.readFileSync(process.argv[1], 'utf8') + ';return terms;');"
              "const terms = f({location: {href: 'http://x/assets/persona-catalog/search-worker.js'}});"
              "const table = JSON.parse(fs.readFileSync(process.argv[2], 'utf8'))['text→terms'];"
              "console.log(JSON.stringify(table.map(([text]) => terms(text))));")
    worker = Path(__file__).parents[2] / "plugins/persona_catalog/site/assets/search-worker.js"
    out = subprocess.run(["node", "-e", script, str(worker), str(STEMS)], capture_output=True, text=True, check=True)
    assert json.loads(out.stdout) == [expected for _, expected in json.loads(STEMS.read_text("utf-8"))["text→terms"]]


def test_block_size_must_be_positive(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        build_site(PERSONAS, plugin={"search_block_size": 0})
    assert "search_block_size must be at least 1, not 0" in caplog.text


def test_the_old_shard_size_is_said_to_be_unused(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("WARNING")
    with pytest.raises(Abort):  # strict: a configuration warning stops the build, naming the option
        build_site(PERSONAS, plugin={"search_shard_size": 750})
    assert "'search_shard_size' is no longer used" in caplog.text


def test_only_real_markup_makes_a_page_searchable() -> None:
    assert searchable('<article class="pc-persona" data-slug="a" data-pagefind-body data-pagefind-filter="k:p">')
    assert searchable('<div data-pagefind-body>\n<p>docs</p></div>')
    for hostile in ('<div title="x data-pagefind-body">', "<p>&lt;div data-pagefind-body&gt;</p>",
                    '<a href="#" data-x="a" title=" data-pagefind-body ">', "data-pagefind-body"):
        assert not searchable(hostile), hostile


def test_an_indexer_that_fails_fails_with_its_reason(tmp_path: Path) -> None:
    (tmp_path / "site").write_text("a file where the site folder should be")
    index = SearchIndex(tmp_path / "site", 2)
    index.add("/a/", body("alpha"))
    with pytest.raises(SearchIndexError, match=r"NotADirectoryError|FileExistsError"):
        index.finish()
    index = SearchIndex(tmp_path / "site", 2)  # its reason, too, when more pages come than its queue holds
    with pytest.raises(SearchIndexError, match=r"NotADirectoryError|FileExistsError"):
        for number in range(500):
            index.add(f"/p{number}/", body("alpha"))
        index.finish()


def test_stop_ends_the_indexer(tmp_path: Path) -> None:
    stopping = threading.Event()
    index = SearchIndex(tmp_path / "site", 2, stopping)
    index.add("/a/", body("alpha"))
    stopping.set()
    assert index_site(index, tmp_path / "site", 2, stopping) is None
    assert not index.process.is_alive()
