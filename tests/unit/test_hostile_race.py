"""Race-free reads: a persona file (or its folder) swapped for a link out of the folder by another thread while
the catalog reads it is refused, never read; a scan meeting a file-system error reports it as a problem."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import persona_text
from persona_catalog import load_paths, read_bounded, scan

SECRET = persona_text("Smuggled In", "dev", body="You leak the secret from outside the folder.\n")
ROUNDS = 400
SWAPS = 100  # reads go on until both counts are reached (a busy machine seldom schedules the thread)


@contextmanager
def swapping(swap: Callable[[bool], None]) -> Iterator[list[int]]:
    """Call `swap(True)` and `swap(False)` in turn on another thread until the block ends; yields the count."""
    done, swaps = threading.Event(), [0]

    def run() -> None:
        while not done.is_set():
            swap(swaps[0] % 2 == 0)
            swaps[0] += 1

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    try:
        yield swaps
    finally:
        done.set()
        thread.join()


def _replace(path: Path, link_to: Path | None, text: str) -> None:
    """Atomically make `path` a link to `link_to`, or a regular file holding `text`."""
    temporary = path.with_name("._swap")
    if link_to is not None:
        temporary.symlink_to(link_to)
    else:
        temporary.write_text(text, "utf-8")
    os.replace(temporary, path)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "p.md").write_text(SECRET, "utf-8")
    (tmp_path / "personas" / "dev").mkdir(parents=True)
    (tmp_path / "personas" / "dev" / "p.md").write_text(persona_text("Honest", "dev"), "utf-8")
    return tmp_path


def test_a_file_swapped_for_a_link_out_during_reads_is_never_read(project: Path) -> None:
    target = project / "personas" / "dev" / "p.md"
    [found] = scan(project / "personas").files  # scanned while the file is a regular file
    honest = persona_text("Honest", "dev")
    results: list[bytes | str] = []
    with swapping(lambda out: _replace(target, project / "outside" / "p.md" if out else None, honest)) as swaps:
        deadline = time.monotonic() + 60
        while (len(results) < ROUNDS or swaps[0] < SWAPS) and time.monotonic() < deadline:
            data = read_bounded(found.path, 1 << 20, found.root)
            results.append(data if isinstance(data, bytes) else data.message)
    assert swaps[0] >= SWAPS, "the thread should have swapped the file many times during the reads"
    assert SECRET.encode() not in results
    assert honest.encode() in results  # the reads did happen
    assert any("link" in r for r in results if isinstance(r, str)), "some reads should have met the link"


def test_a_folder_swapped_for_a_link_out_during_reads_is_never_read(project: Path) -> None:
    folder, kept = project / "personas" / "dev", project / "personas" / "_kept"
    os.rename(folder, kept)
    folder.symlink_to(kept)  # a linked folder inside the personas folder: allowed
    [found] = scan(project / "personas").files

    def swap(out: bool) -> None:  # the link now points out of the folder, now back in
        temporary = project / "personas" / "._swap"
        temporary.symlink_to(project / "outside" if out else kept)
        os.replace(temporary, folder)

    results = []
    with swapping(swap) as swaps:
        deadline = time.monotonic() + 60
        while (len(results) < ROUNDS or swaps[0] < SWAPS) and time.monotonic() < deadline:
            data = read_bounded(found.path, 1 << 20, found.root)
            results.append(data if isinstance(data, bytes) else data.message)
    assert swaps[0] >= SWAPS and SECRET.encode() not in results
    assert any("outside the personas folder" in r for r in results if isinstance(r, str))


def test_whole_loads_during_swaps_never_publish_the_outside_file(project: Path) -> None:
    target = project / "personas" / "dev" / "p.md"
    honest = persona_text("Honest", "dev")
    names = set()
    with swapping(lambda out: _replace(target, project / "outside" / "p.md" if out else None, honest)):
        for _ in range(ROUNDS // 4):
            result = load_paths([project / "personas"])
            names.update(p.name for p in result.catalog.personas)
            assert all("Traceback" not in str(p) for p in result.problems)
    assert "Smuggled In" not in names and "Honest" in names


def test_an_entry_that_vanishes_or_fails_during_a_scan_is_a_problem(project: Path,
                                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    real = os.path.realpath
    linked = project / "personas" / "dev" / "p.md"  # a link (whose real path the scan asks for) to a file beside
    linked.rename(linked.with_suffix(".orig"))
    linked.symlink_to(linked.with_suffix(".orig"))

    def failing(path, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(path).endswith("p.md"):
            raise PermissionError(13, "Permission denied")
        return real(path, *args, **kwargs)

    monkeypatch.setattr(os.path, "realpath", failing)
    found = scan(project / "personas")
    assert not found.files
    assert [p.message for p in found.problems] == ["the path cannot be read: Permission denied"]
