"""The build cache (`build.cache`): a second `mkdocs build` after each kind of change writes the site a clean build
of the same sources writes, byte for byte, and takes from the cache only the pages the change does not show on."""

from __future__ import annotations

import json
import re
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.exceptions import Abort, PluginError

from conftest import persona_text

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
    documents = sorted((root / CACHE / "search").iterdir())
    assert len(documents) == indexed(first) == 12 + 1  # each persona page and the docs page (not home), once
    documents[0].unlink()
    (root / CACHE / "search" / "0").mkdir()  # an earlier version's Pagefind shard, in the same folder
    (root / CACHE / "search" / "0" / "pagefind-entry.json").write_text("{}", "utf-8")
    documents[1].write_bytes(b"")
    data = documents[2].read_bytes()
    documents[2].write_bytes(data[:60] + bytes([data[60] ^ 1]) + data[61:])  # no longer its checksum
    documents[3].write_bytes(documents[3].read_bytes()[:40])
    again, _ = build_into(root, tmp_path / "again", caplog)
    assert again == first  # each damaged one read again from its page
    assert not (root / CACHE / "search" / "0").exists()
    delete(root)  # its page gone, its document goes too
    after, _ = build_into(root, tmp_path / "after", caplog)
    assert len(list((root / CACHE / "search").iterdir())) == indexed(after) == indexed(first) - 1
