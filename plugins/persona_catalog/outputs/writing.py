"""Writing the machine-readable outputs into the site folder: each file as it is made (never all held at once),
never outside the site folder, never through a link, and stopped when a newer build has begun; and removing
what an earlier build of the same preview wrote that this one no longer does (a deleted or renamed persona's
JSON document, raw file and exports)."""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable
from pathlib import Path

from persona_catalog.catalog.progress import Progress


class UnsafeOutput(Exception):
    """An output path that would leave the site folder or write through a link."""


def write_outputs(outputs: Iterable[tuple[str, bytes]], site_dir: str | os.PathLike[str], progress: Progress,
                  stopping: threading.Event | None = None, written: set[str] | None = None) -> bool:
    """Write each `(site path, bytes)` under `site_dir` (adding each path to `written`); False when `stopping`
    was set before the last file."""
    root = os.path.realpath(site_dir)
    folders: set[Path] = set()
    for path, content in outputs:
        if stopping is not None and stopping.is_set():
            return False
        progress.step()
        target = Path(root, path)
        if target.parent not in folders:  # slugs are validated; this is the last guard, once per folder
            if os.path.commonpath([os.path.realpath(target.parent), root]) != root:
                raise UnsafeOutput(f"refused to write outside the site folder: {path!r}")
            target.parent.mkdir(parents=True, exist_ok=True)
            folders.add(target.parent)
        if target.is_symlink():
            raise UnsafeOutput(f"refused to write through a link: {path!r}")
        target.write_bytes(content)
        if written is not None:
            written.add(path)
    return True


def remove_outputs(paths: Iterable[str], site_dir: str | os.PathLike[str]) -> None:
    """Remove the files at these site paths (never a link, a folder or anything outside `site_dir`), and the
    folders they leave empty."""
    root = os.path.realpath(site_dir)
    for path in paths:
        target = Path(root, path)
        if os.path.commonpath([os.path.realpath(target.parent), root]) != root or not target.is_file() \
                or target.is_symlink():
            continue
        target.unlink()
        folder = target.parent
        while folder != Path(root) and not any(folder.iterdir()):
            folder.rmdir()
            folder = folder.parent
