"""What the Pagefind search index holds, and how the theme is pointed at it, on real builds."""

from __future__ import annotations

import base64
import gzip
import json
import os
import re
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml
from mkdocs.exceptions import Abort
from test_serve import fetch, free_port, wait_until

from conftest import BuildSite, Site, persona_text
from persona_catalog import SearchIndexError, ShardedIndex, index_site, search_document, searchable
from persona_catalog.search.theme import STUB_INDEX, use_worker

PERSONAS = {
    "dev/reviewer.md": persona_text("Patch Reviewer", "dev", tags=["review", "quality"],
                                    body="# Patch Reviewer\n\nYou review patches. Look for zebra-striped locks.\n"),
    "ops/oncall.md": persona_text("On-call Buddy", "ops", tags=["incident", "quality"], body="You help.\n"),
}
DOCS = {"index.md": "# Home\n\nWelcome.\n", "guide.md": "# Guide\n\nHow to write a persona.\n"}


def indexed_pages(site: Site) -> int:
    """Pages in the index, counted in each shard's own Pagefind entry file (the manifest's count must agree)."""
    manifest = site.json("pagefind/shards.json")
    counted = sum(language["page_count"] for shard in manifest["shards"]  # type: ignore[index]
                  for language in site.json(f"pagefind/{shard}pagefind-entry.json")["languages"].values())
    assert manifest["pages"] == counted  # type: ignore[index]
    return counted


def config_search(html: str) -> str:
    match = re.search(r'<script id="__config" type="application/json">(.*?)</script>', html, re.DOTALL)
    assert match, "no theme configuration"
    return json.loads(match.group(1))["search"]


def test_only_persona_and_docs_pages_are_indexed(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs=DOCS)
    assert indexed_pages(site) == len(PERSONAS) + 1  # the guide; never home, tag or category pages
    for listing in ("tags/", "tags/quality/", "categories/", "categories/dev/", ""):
        assert "data-pagefind-body" not in site.page(listing), listing
    assert 'data-pagefind-body data-pagefind-filter="kind:docs"' in site.page("guide/")
    persona = site.page("personas/patch-reviewer/")
    assert 'data-pagefind-body data-pagefind-filter="kind:persona"' in persona
    exports = persona.index('id="use-it"')
    assert persona.rfind('data-pagefind-ignore="all"', 0, exports) > persona.index('id="prompt"')


def test_pagefind_reads_only_the_searchable_element(build_site: BuildSite) -> None:
    """Pagefind is given the element marked `data-pagefind-body` alone (the same ranking text, filters, meta and
    weights), not the theme's chrome; a docs page that writes the end mark itself keeps the rest of its text."""
    docs = {**DOCS, "marked.md": "# Marked\n\nBefore <!--/pagefind-body--> the mark, and quokka after it.\n"}
    site = build_site(PERSONAS, docs=docs)
    persona = site.page("personas/patch-reviewer/")
    fed = search_document(persona)
    assert len(fed) < len(persona) / 2
    assert fed.startswith("<!DOCTYPE html><html><body><article ") and fed.endswith("</article></body></html>")
    for kept in ('data-pagefind-filter="kind:persona"', 'data-pagefind-weight="10"', 'data-pagefind-meta="category"',
                 'data-pagefind-meta="tags[data-pc-tags]"', ">Patch Reviewer</h1>", "zebra-striped locks"):
        assert kept in fed, kept
    for chrome in ("md-header", "md-footer", "md-nav", "<title>", "__config"):
        assert chrome not in fed, chrome
    marked = search_document(site.page("marked/"))
    assert 'data-pagefind-filter="kind:docs"' in marked and "quokka after it" in marked and "md-footer" not in marked
    listing = site.page("tags/")
    assert search_document(listing) == listing  # nothing marked: left whole (and never indexed, `searchable`)


def test_theme_search_box_is_drawn_and_answered_by_the_pagefind_worker(build_site: BuildSite) -> None:
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
    assert not (lunr.site_dir / "pagefind").exists()
    assert "search-worker.js" not in lunr.page("")


def test_search_false_builds_no_index(build_site: BuildSite) -> None:
    site = build_site(PERSONAS, docs=DOCS, plugin={"search": False})
    assert not (site.site_dir / "pagefind").exists()
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
        status, text = fetch(url + "pagefind/shards.json")
        return json.loads(text)["pages"] if status == 200 else -1

    try:
        assert wait_until(lambda: pages() == 1), "no search index served"
        assert "search-worker.js" in fetch(url)[1]
        unrelated = persona_text("Zebra Keeper", "ops", body="Quokka quasar.\n")  # --dirty: first.md not rebuilt
        (tmp_path / "personas" / "second.md").write_text(unrelated)
        assert wait_until(lambda: pages() == 2), "index not rebuilt after an edit"
    finally:
        process.terminate()
        process.wait(timeout=10)


def shard_urls(site: Site) -> list[set[str]]:
    """The page URLs each shard holds, read from its Pagefind fragments (gzipped `pagefind_dcd` + JSON)."""
    manifest = site.json("pagefind/shards.json")
    return [{json.loads(gzip.decompress(path.read_bytes()).removeprefix(b"pagefind_dcd"))["url"]
             for path in (site.site_dir / "pagefind" / shard / "fragment").iterdir()}
            for shard in manifest["shards"]]  # type: ignore[index]


MANY = {f"p{n}.md": persona_text(f"Persona Number {n}", "dev", body=f"You help with task {n}.\n") for n in range(5)}


def test_index_is_written_in_shards_of_the_configured_size(build_site: BuildSite) -> None:
    site = build_site(MANY, docs=DOCS, plugin={"search_shard_size": 2})
    shards = shard_urls(site)
    expected = {f"/personas/persona-number-{n}/" for n in range(5)} | {"/guide/"}
    assert [len(urls) for urls in shards] == [2, 2, 2]
    assert set().union(*shards) == expected and sum(map(len, shards)) == len(expected)  # each page once
    assert site.json("pagefind/shards.json") == {"pages": 6, "shards": ["0/", "1/", "2/"]}
    assert sorted(p.name for p in (site.site_dir / "pagefind").iterdir()) == ["0", "1", "2", "shards.json"]
    for shard in ("0", "1", "2"):
        bundle = site.site_dir / "pagefind" / shard
        assert (bundle / "pagefind.js").is_file() and (bundle / "pagefind-entry.json").is_file()
        assert not list(bundle.glob("pagefind-*ui.*")) and not (bundle / "pagefind-highlight.js").exists()
    # `--dirty` renders only what changed, so the index is then made from the written files: the same pages
    index_site(None, site.site_dir, 4, threading.Event())
    assert [len(urls) for urls in shard_urls(site)] == [4, 2] and set().union(*shard_urls(site)) == expected
    assert sorted(p.name for p in (site.site_dir / "pagefind").iterdir()) == ["0", "1", "shards.json"]


def test_shard_size_must_be_positive(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    with pytest.raises(Abort):
        build_site(MANY, plugin={"search_shard_size": 0})
    assert "search_shard_size must be at least 1, not 0" in caplog.text


def test_only_real_markup_makes_a_page_searchable() -> None:
    assert searchable('<article class="pc-persona" data-slug="a" data-pagefind-body data-pagefind-filter="k:p">')
    assert searchable('<div data-pagefind-body>\n<p>docs</p></div>')
    for hostile in ('<div title="x data-pagefind-body">', "<p>&lt;div data-pagefind-body&gt;</p>",
                    '<a href="#" data-x="a" title=" data-pagefind-body ">', "data-pagefind-body"):
        assert not searchable(hostile), hostile


def fake_pagefind(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, script: str) -> Path:
    """A `pagefind` executable running the shell `script`, put where the plugin finds the binary first (Pagefind's
    own `PAGEFIND_BINARY_PATH`, read by `pagefind.service.get_executable`). Returns the file it writes its pid to."""
    executable, pid = tmp_path / "fake-pagefind", tmp_path / "fake-pagefind.pid"
    executable.write_text(f"#!/bin/sh\necho $$ > '{pid}'\n{script}\n")
    executable.chmod(0o755)
    monkeypatch.setenv("PAGEFIND_BINARY_PATH", str(executable))
    return pid


def test_a_pagefind_that_fails_fails_the_build_with_its_message(
        build_site: BuildSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture) -> None:
    fake_pagefind(tmp_path, monkeypatch, "echo 'Error: the index is on fire' >&2\nexit 3")
    with pytest.raises(Abort):
        build_site(PERSONAS, docs=DOCS)
    assert ("persona-catalog: building the search index failed: pagefind exited with 3; "
            "pagefind said: Error: the index is on fire") in caplog.text


def _answer(text: str) -> str:
    return base64.b64encode(text.encode()).decode()


@pytest.mark.parametrize("answer, expected", [
    ("!!!", "pagefind's answer could not be read (binascii.Error: "),
    (_answer("not json"), "pagefind's answer could not be read (json.decoder.JSONDecodeError: "),
    (_answer('{"message_id": 1}'), "pagefind's answer could not be read (KeyError: 'payload')"),
    (_answer('{"message_id": 1, "payload": {"type": "IndexedFile"}}'),
     "pagefind's answer to NewIndex could not be read (KeyError: 'index_id')"),
])
def test_a_garbled_answer_fails_the_build_with_a_search_index_error(
        build_site: BuildSite, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture,
        answer: str, expected: str) -> None:
    """Whatever Pagefind answers, the build fails with the plugin's message (not a traceback), Pagefind's stderr
    quoted, and its process (which would go on waiting for requests) ended."""
    pid = fake_pagefind(tmp_path, monkeypatch, f"echo 'half a message' >&2\nprintf '%s,' '{answer}'\nexec cat >/dev/null")
    index = ShardedIndex(tmp_path / "site", 2)
    index.add("/a/", "<div data-pagefind-body>A</div>")
    with pytest.raises(SearchIndexError) as raised:
        index.finish()
    assert str(raised.value).startswith(expected) and str(raised.value).endswith("; pagefind said: half a message")
    assert not Path(f"/proc/{pid.read_text().strip()}").exists()  # killed and reaped
    pid.unlink()
    with pytest.raises(Abort):
        build_site(PERSONAS, docs=DOCS)
    assert f"persona-catalog: building the search index failed: {expected}" in caplog.text
    assert "Traceback" not in caplog.text
    assert not Path(f"/proc/{pid.read_text().strip()}").exists()


def test_stop_ends_a_pagefind_that_never_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    pid = fake_pagefind(tmp_path, monkeypatch, "exec cat >/dev/null")  # takes every request, answers none
    index = ShardedIndex(tmp_path / "site", 2)
    index.add("/a/", "<div data-pagefind-body>A</div>")
    assert wait_until(lambda: index.shard is not None and pid.exists(), 10), "pagefind not started"
    time.sleep(0.3)  # the indexer is now waiting for the answer to its first request
    stopping = threading.Thread(target=index.stop, daemon=True)  # a hung `stop` fails the test, not the suite
    stopping.start()
    stopping.join(10)
    assert not stopping.is_alive(), "stop() waited for a Pagefind that never answers"
    assert not index.thread.is_alive()
    assert not Path(f"/proc/{pid.read_text().strip()}").exists()
