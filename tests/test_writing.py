"""The output writer: files land under the site folder only, never through a link, and a stop ends it."""

from __future__ import annotations

import logging
import threading
from pathlib import Path

import pytest

from persona_catalog.progress import Progress
from persona_catalog.writing import UnsafeOutput, write_outputs

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


def test_a_stop_ends_the_writing_before_the_next_file(tmp_path: Path) -> None:
    stopping = threading.Event()

    def outputs():
        yield "first.txt", b"1"
        stopping.set()  # a newer build began while this one was writing
        yield "second.txt", b"2"

    assert write_outputs(outputs(), tmp_path, PROGRESS, stopping) is False
    assert (tmp_path / "first.txt").exists() and not (tmp_path / "second.txt").exists()
