"""The output writer: files land under the site folder only, never through a link, and a stop ends it."""

from __future__ import annotations

import logging
import shutil
import threading
from pathlib import Path

import pytest

from persona_catalog import Progress, UnsafeOutput, remove_outputs, write_outputs

PROGRESS = Progress(logging.getLogger("test"), "wrote", 0, "files")


def test_outputs_are_written_under_the_site_folder(tmp_path: Path) -> None:
    assert write_outputs([("api/v1/a.json", b"{}"), ("b.txt", b"b")], tmp_path, PROGRESS)
    assert (tmp_path / "api/v1/a.json").read_bytes() == b"{}" and (tmp_path / "b.txt").read_bytes() == b"b"


@pytest.mark.parametrize("path", ["../escaped.txt", "api/../../escaped.txt", "/tmp/escaped-absolute.txt"])
def test_a_path_out_of_the_site_folder_is_refused(tmp_path: Path, path: str) -> None:
    site = tmp_path / "site"
    site.mkdir()
    with pytest.raises(UnsafeOutput, match="outside the site folder"):
        write_outputs([(path, b"x")], site, PROGRESS)
    assert not (tmp_path / "escaped.txt").exists()


def test_a_linked_folder_or_file_is_never_written_through(tmp_path: Path) -> None:
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir(), elsewhere.mkdir()
    (site / "api").symlink_to(elsewhere)
    with pytest.raises(UnsafeOutput, match="outside the site folder"):
        write_outputs([("api/x.json", b"x")], site, PROGRESS)
    (elsewhere / "target.txt").write_bytes(b"kept")
    (site / "link.txt").symlink_to(elsewhere / "target.txt")
    with pytest.raises(UnsafeOutput, match="through a link"):
        write_outputs([("link.txt", b"x")], site, PROGRESS)
    assert sorted(p.name for p in elsewhere.iterdir()) == ["target.txt"]
    assert (elsewhere / "target.txt").read_bytes() == b"kept"


def test_removing_stale_outputs_stays_inside_the_site_folder(tmp_path: Path) -> None:
    """What a `--dirty` rebuild removes (the files an earlier build wrote and this one does not): the file and the
    folders it leaves empty, never a folder, a link, what it points to or anything outside the site folder."""
    site, elsewhere = tmp_path / "site", tmp_path / "elsewhere"
    site.mkdir(), elsewhere.mkdir()
    (tmp_path / "outside.txt").write_bytes(b"kept")
    (elsewhere / "target.zip").write_bytes(b"kept")
    assert write_outputs([("api/v1/bundles/kiro/categories/music.zip", b"z"), ("api/v1/kept.json", b"{}"),
                          ("api/v1/folder/inner.txt", b"i")], site, PROGRESS)
    (site / "api/v1/link.zip").symlink_to(elsewhere / "target.zip")
    (site / "api/v1/linked").symlink_to(elsewhere)
    remove_outputs(["api/v1/bundles/kiro/categories/music.zip", "../outside.txt", str(tmp_path / "outside.txt"),
                    "api/v1/link.zip", "api/v1/linked/target.zip", "api/v1/folder", "api/v1/missing.zip"], site)
    assert not (site / "api/v1/bundles").exists()  # the zip, and the folders it left empty
    assert (site / "api/v1/kept.json").read_bytes() == b"{}" and (site / "api/v1/folder/inner.txt").exists()
    assert (tmp_path / "outside.txt").read_bytes() == b"kept" and (elsewhere / "target.zip").read_bytes() == b"kept"
    assert (site / "api/v1/link.zip").is_symlink() and (site / "api/v1/linked").is_symlink()


def test_a_stop_ends_the_writing_before_the_next_file(tmp_path: Path) -> None:
    stopping = threading.Event()

    def outputs():
        yield "first.txt", b"1"
        stopping.set()  # a newer build began while this one was writing
        yield "second.txt", b"2"

    assert write_outputs(outputs(), tmp_path, PROGRESS, stopping) is False
    assert (tmp_path / "first.txt").exists() and not (tmp_path / "second.txt").exists()


def test_an_unsafe_output_still_fails_the_build(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """The outputs are written by `background.SiteWork` (beside the search index's last shard): its error stops
    the build. (A link in the site folder survives only a `--dirty` build, which does not clean the folder.)"""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config
    from mkdocs.exceptions import Abort

    from conftest import persona_text, write_and_build

    site = write_and_build(tmp_path / "project", {"a.md": persona_text("Alpha Helper", "dev")})
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    shutil.rmtree(site.site_dir / "api")
    (site.site_dir / "api").symlink_to(elsewhere)
    with pytest.raises(Abort):
        build(load_config(str(site.root / "mkdocs.yml"), site_dir=str(site.site_dir)), dirty=True)
    assert "refused to write outside the site folder" in caplog.text
    assert not list(elsewhere.iterdir())
