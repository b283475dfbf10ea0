"""The build cache (`build.cache`): a second `mkdocs build` after each kind of change writes the site a clean build
of the same sources writes, byte for byte, and takes from the cache only the pages the change does not show on."""

from __future__ import annotations

import hashlib
import json
import logging
import re
import shutil
import time
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from conftest import persona_text
from persona_catalog import CacheChanged, PagePlacer

CACHE = Path(".cache/plugin/persona-catalog")

PERSONAS = {
    f"p{i}.md": persona_text(f"Persona {i}", ("writing", "ops", "data")[i % 3], tags=["alpha", f"t{i % 4}"],
                             description=f"Helps with task {i}.",
                             body=f"You help with task {i}.\n\n## Steps\n\nFirst do {i}, then check it.\n")
    for i in range(12)
}
CONFIG = {
    "site_name": "Cache Test",
    "site_url": "https://catalog.example.org/",
    "theme": {"name": "material", "font": False, "custom_dir": "overrides"},
    "plugins": [{"persona-catalog": {"listing_page_size": 4}}],
    "strict": True,
}


def project(root: Path) -> Path:
    (root / "docs").mkdir(parents=True)
    (root / "docs" / "index.md").write_text("# Home\n", "utf-8")
    (root / "docs" / "about.md").write_text("# About\n\nA page of the docs.\n", "utf-8")
    (root / "overrides").mkdir()
    (root / "overrides" / "main.html").write_text('{% extends "base.html" %}\n', "utf-8")
    (root / "personas").mkdir()
    for name, text in PERSONAS.items():
        (root / "personas" / name).write_text(text, "utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump(CONFIG, sort_keys=False), "utf-8")
    return root


def build_into(root: Path, site: Path, caplog: pytest.LogCaptureFixture) -> tuple[dict[str, bytes], int]:
    """Build `root` into `site`: every file (the search index too: the same pages make the same index), and how
    many pages came from the cache."""
    caplog.clear()
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site)))
    reused = [r.getMessage() for r in caplog.records if "taken from the build cache" in r.getMessage()]
    assert len(reused) == 1
    files = {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}
    return files, int(reused[0].split()[1])


def built(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> tuple[Path, dict[str, bytes]]:
    """The test project, built once (its cache filled): its folder and the site's files."""
    caplog.set_level("INFO")
    root = project(tmp_path / "project")
    return root, build_into(root, tmp_path / "first", caplog)[0]


def edit(root: Path) -> None:
    path = root / "personas" / "p4.md"
    path.write_text(path.read_text("utf-8").replace("then check it", "then check it twice"), "utf-8")


def replace_in(name: str, old: str, new: str) -> Callable[[Path], None]:
    """A change of one persona file's text (each field a page shows of other personas: cards, related links)."""
    def change(root: Path) -> None:
        path = root / "personas" / name
        assert old in path.read_text("utf-8")
        path.write_text(path.read_text("utf-8").replace(old, new), "utf-8")
    return change


def add(root: Path) -> None:
    (root / "personas" / "p99.md").write_text(
        persona_text("Persona 99", "ops", tags=["alpha", "t1"], description="A new one."), "utf-8")


def delete(root: Path) -> None:
    (root / "personas" / "p5.md").unlink()


def rename(root: Path) -> None:  # its file and its name (so its slug and page)
    (root / "personas" / "p6.md").rename(root / "personas" / "p6-renamed.md")
    path = root / "personas" / "p6-renamed.md"
    path.write_text(path.read_text("utf-8").replace('name: "Persona 6"', 'name: "Persona Six"'), "utf-8")


def recategorize(root: Path) -> None:
    path = root / "personas" / "p7.md"
    path.write_text(path.read_text("utf-8").replace('category: "ops"', 'category: "data"'), "utf-8")


def retitle_docs(root: Path) -> None:  # the nav every page shows
    (root / "docs" / "about.md").write_text("# About this catalog\n\nA page of the docs.\n", "utf-8")


def configure(root: Path) -> None:
    (root / "mkdocs.yml").write_text(yaml.safe_dump({**CONFIG, "site_name": "Renamed"}, sort_keys=False), "utf-8")


def override(root: Path) -> None:  # the theme's own files
    (root / "overrides" / "main.html").write_text('{% extends "base.html" %}\n{% block announce %}Changed{% endblock %}\n', "utf-8")


CHANGES: dict[str, tuple[Callable[[Path], None], bool]] = {  # change -> whether some pages stay as they were
    "edit": (edit, True),
    "description": (replace_in("p8.md", "Helps with task 8.", "Helps with task eight."), True),
    "tags": (replace_in("p8.md", '"t0"', '"t3"'), True),
    "version": (replace_in("p9.md", 'category: "writing"', 'category: "writing"\nversion: "2.0.0"'), True),
    "add": (add, True), "delete": (delete, True), "rename": (rename, True),
    "category": (recategorize, True), "docs title": (retitle_docs, False), "config": (configure, False),
    "theme override": (override, False),
}


@pytest.mark.parametrize("name", CHANGES)
def test_a_cached_build_after_a_change_writes_what_a_clean_build_writes(tmp_path: Path, name: str,
                                                                        caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    root = project(tmp_path / "project")
    first, reused = build_into(root, tmp_path / "first", caplog)
    assert reused == 0 and (root / CACHE / "state.pickle").is_file()
    change, partly = CHANGES[name]
    change(root)
    cached, reused = build_into(root, tmp_path / "cached", caplog)
    shutil.rmtree(root / ".cache")
    clean, _ = build_into(root, tmp_path / "clean", caplog)
    assert cached.keys() == clean.keys()
    assert [path for path in clean if cached[path] != clean[path]] == []
    assert cached != first  # the change shows
    pages = sum(1 for path in clean if path.startswith(("personas/", "categories/", "tags/")) and
                path.endswith("index.html"))
    assert (0 < reused < pages) if partly else reused == 0


def test_an_unchanged_site_is_taken_whole_from_the_cache(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    root, first = built(tmp_path, caplog)
    again, reused = build_into(root, tmp_path / "again", caplog)
    assert again == first
    kept = len(list((root / CACHE / "pages").iterdir()))  # every generated page outside the nav
    assert reused == kept >= 12 + 3 + 4 + 3  # personas, categories, tags (one on 3 pages), the catalog on 3 pages
    assert not [r for r in caplog.records if "Page skipped" in r.getMessage()]  # copied, not skipped
    logging.getLogger("mkdocs.commands.build").info("Page skipped: 'personas/persona-1.md'. Generated empty output.")
    assert "Page skipped" in caplog.records[-1].getMessage()  # after the build, MkDocs' notice is said again


HOOK = """from mkdocs.plugins import event_priority


@event_priority({priority})
def on_post_page(output, page, config):
    return output.replace("</body>", "<!-- stamped by a hook --></body>")
"""


@pytest.mark.parametrize("priority", [0, -200])  # before the catalog keeps each page, or after it
def test_a_plugin_that_changes_pages_gets_the_same_site_from_a_cached_build(tmp_path: Path, priority: int,
                                                                            caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    root = project(tmp_path / "project")
    (root / "hooks.py").write_text(HOOK.format(priority=priority), "utf-8")
    (root / "mkdocs.yml").write_text(yaml.safe_dump({**CONFIG, "hooks": ["hooks.py"]}, sort_keys=False), "utf-8")
    build_into(root, tmp_path / "first", caplog)
    edit(root)
    cached, reused = build_into(root, tmp_path / "cached", caplog)
    shutil.rmtree(root / ".cache")
    clean, _ = build_into(root, tmp_path / "clean", caplog)
    assert cached == clean
    assert b"<!-- stamped by a hook -->" in clean["personas/persona-1/index.html"]
    assert reused > 0 if priority == 0 else reused == 0  # a page changed after it is kept is never taken


def test_a_page_changed_in_the_cache_is_made_again_or_stops_the_build(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    root, first = built(tmp_path, caplog)
    pages = sorted((root / CACHE / "pages").iterdir())
    pages[0].write_bytes(b"<p>stale</p>")  # another size: seen before the page is taken, made again
    again, reused = build_into(root, tmp_path / "again", caplog)
    assert again == first and reused == len(pages) - 1
    damaged = next(p for p in sorted((root / CACHE / "pages").iterdir()) if p.stat().st_size > 100)
    damaged.write_bytes(damaged.read_bytes().replace(b"<", b"[", 1))  # the same size: seen as it is read
    caplog.clear()
    with pytest.raises((PluginError, Abort)) as caught:
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "damaged")))
    said = str(caught.value) if caught.type is PluginError else "\n".join(r.getMessage() for r in caplog.records)
    assert "holds a damaged file" in said and "build again" in said
    assert not (root / CACHE).exists()  # cleared: the next build is a full one
    after, reused = build_into(root, tmp_path / "after", caplog)
    assert after == first and reused == 0


@pytest.mark.parametrize("garbage", [b"", b"not a pickle", b"\x80\x05N."])
def test_an_unreadable_cache_means_a_full_build(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                 garbage: bytes) -> None:
    root, first = built(tmp_path, caplog)
    (root / CACHE / "state.pickle").write_bytes(garbage)
    again, reused = build_into(root, tmp_path / "again", caplog)
    assert again == first and reused == 0


def test_cache_false_keeps_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    root = project(tmp_path / "project")
    config = {**CONFIG, "plugins": [{"persona-catalog": {"listing_page_size": 4, "cache": False}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    caplog.clear()
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    assert not (root / ".cache").exists()
    assert not any("build cache" in r.getMessage() for r in caplog.records)


@pytest.mark.parametrize("cache_dir", ["../elsewhere", "/tmp/persona-catalog-cache", "link"])
def test_a_cache_dir_outside_the_project_is_refused(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                    cache_dir: str) -> None:
    root = project(tmp_path / "project")
    (tmp_path / "outside").mkdir()
    (root / "link").symlink_to(tmp_path / "outside", target_is_directory=True)  # inside by name, not in fact
    config = {**CONFIG, "plugins": [{"persona-catalog": {"cache_dir": cache_dir}}]}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    caplog.clear()
    with pytest.raises((PluginError, Abort)) as caught:  # MkDocs logs a plugin's error, then aborts
        build(load_config(str(root / "mkdocs.yml"), site_dir=str(tmp_path / "site")))
    said = str(caught.value) if caught.type is PluginError else "\n".join(r.getMessage() for r in caplog.records)
    assert re.search(r"cache_dir: .* is outside the project", said)
    assert not any((tmp_path / "outside").iterdir()) and not (tmp_path / "elsewhere").exists()


def test_the_cache_serves_the_project_wherever_it_is_checked_out(tmp_path: Path,
                                                                 caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level("INFO")
    root = project(tmp_path / "here")
    first, _ = build_into(root, tmp_path / "first", caplog)
    moved = tmp_path / "elsewhere" / "checkout"
    shutil.copytree(root, moved, symlinks=True)  # a CI's cache restored into another path
    again, reused = build_into(moved, tmp_path / "again", caplog)
    assert again == first and reused == len(list((moved / CACHE / "pages").iterdir())) > 0


def indexed(files: dict[str, bytes]) -> int:
    """How many pages a built site's search index holds."""
    return sum(json.loads(files[f"search-index/{kind}/meta.json"])["docs"] for kind in ("persona", "docs"))


def test_search_documents_are_kept_per_page_and_read_again_when_damaged(tmp_path: Path,
                                                                       caplog: pytest.LogCaptureFixture) -> None:
    root, first = built(tmp_path, caplog)
    documents = sorted((root / CACHE / "search").glob("*.pickle"))
    assert len(documents) == indexed(first) == 12 + 1  # each persona page and the docs page (not home), once
    assert sorted(p.with_suffix(".gz") for p in documents) == sorted((root / CACHE / "search").glob("*.gz"))
    documents[0].unlink()
    (root / CACHE / "search" / "0").mkdir()  # an earlier version's Pagefind shard, in the same folder
    (root / CACHE / "search" / "0" / "pagefind-entry.json").write_text("{}", "utf-8")
    documents[1].write_bytes(b"")
    data = documents[2].read_bytes()
    documents[2].write_bytes(data[:60] + bytes([data[60] ^ 1]) + data[61:])  # no longer its checksum
    documents[3].write_bytes(documents[3].read_bytes()[:40])
    fragment = documents[4].with_suffix(".gz")
    fragment.write_bytes(fragment.read_bytes()[::-1])  # its fragment no longer the one the document names
    documents[5].with_suffix(".gz").unlink()
    again, _ = build_into(root, tmp_path / "again", caplog)
    assert again == first  # each damaged one read again from its page
    assert not (root / CACHE / "search" / "0").exists()
    delete(root)  # its page gone, its document goes too
    after, _ = build_into(root, tmp_path / "after", caplog)
    assert len(list((root / CACHE / "search").iterdir())) == 2 * indexed(after) == 2 * (indexed(first) - 1)


def test_a_site_file_changed_in_place_does_not_change_the_next_build(tmp_path: Path,
                                                                     caplog: pytest.LogCaptureFixture) -> None:
    """The site's search fragments are linked to the cache's files where the system links files: a later change
    to the site, in place, is seen by the next build (never served from the cache), and never reaches a kept site."""
    root, first = built(tmp_path, caplog)
    again, _ = build_into(root, tmp_path / "again", caplog)
    assert again == first
    fragments = sorted((tmp_path / "again" / "search-index" / "persona" / "d").iterdir())
    for fragment in fragments:
        with fragment.open("r+b") as stream:  # written over in place, its size the same
            stream.write(b"\0" * 8)
    path = root / "personas" / "p4.md"
    path.write_text(path.read_text("utf-8").replace("then check it", "then check it twice"), "utf-8")
    cached, _ = build_into(root, tmp_path / "cached", caplog)
    shutil.rmtree(root / ".cache")
    clean, _ = build_into(root, tmp_path / "clean", caplog)
    assert cached == clean
    assert all(not p.read_bytes().startswith(b"\0" * 8) for p in (tmp_path / "cached").rglob("*.gz"))


def test_a_page_copied_ahead_lands_only_if_taken_and_a_damaged_one_stops_the_build_only_if_taken(
        tmp_path: Path) -> None:
    """The copies start before the build knows which pages it takes; once it does (`settle`), a page not taken is
    MkDocs' to write (after), so no copy of it may land, and one copied before is removed unless MkDocs wrote it; a
    damaged file matters only for a page taken."""
    pages, site = tmp_path / "cache" / "pages", tmp_path / "site"
    pages.mkdir(parents=True)
    data = b"<p>as the last build wrote it</p>"
    name = hashlib.sha256(data).hexdigest()
    (pages / f"{name}.html").write_bytes(data)
    placer = PagePlacer(pages)
    placer.place([(uri, file, str(site / uri[0] / "index.html"))
                  for uri, file in (("a.md", name), ("b.md", name), ("c.md", name), ("d.md", "0" * 64))])
    copies = [site / letter / "index.html" for letter in "abc"]
    deadline = time.monotonic() + 30
    while not all(copy.exists() for copy in copies) and time.monotonic() < deadline:  # copied before `settle`
        time.sleep(0.01)
    placer.settle(frozenset({"a.md"}))
    (site / "b").mkdir(parents=True, exist_ok=True)
    (site / "b" / "index.html").write_bytes(b"<p>made again by MkDocs</p>")  # after `settle`, as MkDocs does
    placer.finish(written={"b.md"})  # c.md's copy is removed (MkDocs wrote nothing there); d.md's file is missing,
    # but it is not taken
    assert [p.relative_to(site).as_posix() for p in sorted(site.rglob("*.html"))] == ["a/index.html", "b/index.html"]
    assert (site / "a" / "index.html").read_bytes() == data
    assert (site / "b" / "index.html").read_bytes() == b"<p>made again by MkDocs</p>"
    placer = PagePlacer(pages)
    placer.place([("d.md", "0" * 64, str(site / "d" / "index.html"))])
    placer.settle(frozenset({"d.md"}))
    with pytest.raises(CacheChanged, match=r"damaged file for d\.md"):
        placer.finish(written=set())
    assert not (site / "d").exists()
