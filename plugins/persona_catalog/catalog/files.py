"""The file policy: which paths are persona files, how they are read, and how files are written.

- A persona file is a regular file named `*.md` or `*.markdown` (any case) whose real path lies inside the
  personas folder. Path segments starting with `_` or `.` are ignored (templates, drafts).
- A link is followed when its target stays inside the folder; a link out of it, or one pointing nowhere,
  is an error naming the link (never quoting its target). Linked folders are followed the same way, once.
- FIFOs, devices and sockets are errors, never opened for a blocking read; the size comes from `fstat`
  before reading, and the read itself is bounded.
- Reads are race-free: a file is opened with `O_NOFOLLOW` (a link found by the scan is resolved and its target
  opened the same way), and what was opened is checked on the open file descriptor (`fstat`, and where the
  system tells, its real path lies inside the folder), never by a second lookup by name. A file swapped for a
  link out of the folder while a build reads it is refused, not published.
- Every error of the file system met while scanning (a folder or entry that cannot be read) is a problem
  naming the path, never an exception.
- Writes (`lint --fix`, `new`) go only to files inside a given root, never through a link, and are atomic:
  a temporary file in the same folder, then a rename, so nothing is left half-written.
"""

from __future__ import annotations

import contextlib
import errno
import os
import stat
import sys
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from persona_catalog.catalog.model import Attachment
from persona_catalog.catalog.problems import Problem

SUFFIXES = (".md", ".markdown")
ATTACHMENT_MAX_BYTES = 10 * 1024 * 1024  # a skill's other file larger than this is left out of it (and named)
_KINDS = {stat.S_IFIFO: "a FIFO (named pipe)", stat.S_IFCHR: "a character device", stat.S_IFBLK: "a block device",
          stat.S_IFSOCK: "a socket", stat.S_IFDIR: "a folder"}


@dataclass(frozen=True)
class PersonaFile:
    """A persona file as found: its path (a link is named as itself), its name relative to the folder and the
    folder's real path, which the file must lie in when it is read."""

    path: Path
    source: str
    root: str = ""


@dataclass
class Scan:
    """The persona files under a folder, and the paths that look like persona files but cannot be used."""

    files: list[PersonaFile] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def display_path(path: Path | str) -> str:
    """The path relative to the working folder when it lies inside it, else absolute."""
    absolute = os.path.abspath(path)  # not resolve(): a link is named as itself, not as its target
    relative = os.path.relpath(absolute)
    return absolute if relative.startswith("..") else relative


def is_persona_name(name: str) -> bool:
    return name.lower().endswith(SUFFIXES) and not name.startswith(("_", "."))


def inside(path: str, root: str) -> bool:
    """Is the (real) `path` the real folder `root` or below it?"""
    return os.path.commonpath([path, root]) == root


def scan(target: Path, accept: Callable[[str], bool] = is_persona_name, ignore: tuple[str, ...] = ("_", ".")) -> Scan:
    """Persona files under a folder (or the one file given), sorted, with a problem for each unusable one.

    `accept` says which file names are taken; names starting with one of `ignore` are passed over (a source of
    another tool's format ignores only hidden names: its `scripts/__init__.py` belongs to a skill)."""
    found = Scan()
    try:
        if target.is_symlink() or target.is_file():
            _add(found, target, target.name, os.path.realpath(target.parent))
            return found
    except OSError as exc:
        found.problems.append(_unreadable(target, exc))
        return found
    if not target.is_dir():
        found.problems.append(Problem(display_path(target), "the personas folder does not exist",
                                      hint="create it, or point personas_dir at the folder that holds the personas"))
        return found
    root = os.path.realpath(target)
    seen = {root}
    stack: list[tuple[Path, str]] = [(target, "")]
    linked: list[tuple[Path, str]] = []  # linked folders come last: a folder reached directly keeps its own path
    while stack or linked:
        folder, prefix = stack.pop() if stack else linked.pop(0)
        if folder.is_symlink():
            real = os.path.realpath(folder)
            if real in seen:
                continue
            seen.add(real)
        try:
            entries = sorted(os.scandir(folder), key=lambda e: e.name)
        except OSError as exc:
            found.problems.append(Problem(display_path(folder), f"the folder cannot be read: {exc.strerror}",
                                          hint="check its permissions"))
            continue
        for entry in entries:
            if entry.name.startswith(ignore):
                continue
            path, source = Path(entry.path), prefix + entry.name
            try:
                link = entry.is_symlink()
                real = os.path.realpath(path) if link or entry.is_dir(follow_symlinks=False) else ""
                if link and os.path.isdir(real):
                    if not inside(real, root):
                        found.problems.append(_link_out(path, "folder"))
                    else:
                        linked.append((path, source + "/"))
                elif entry.is_dir(follow_symlinks=False):
                    if real not in seen:
                        seen.add(real)
                        stack.append((path, source + "/"))
                elif accept(entry.name):
                    _add(found, path, source, root, link)
            except OSError as exc:  # the entry changed or vanished while it was looked at
                found.problems.append(_unreadable(path, exc))
    found.files.sort(key=lambda f: f.source)
    return found


def _add(found: Scan, path: Path, source: str, root: str, link: bool | None = None) -> None:
    if path.is_symlink() if link is None else link:
        real = os.path.realpath(path)
        if not inside(real, root):
            found.problems.append(_link_out(path, "file"))
            return
        if not os.path.exists(path):
            found.problems.append(Problem(display_path(path), "the file is a link that points nowhere",
                                          hint="remove the link or make it point to a persona file in the folder"))
            return
    found.files.append(PersonaFile(path, source, root))


def _unreadable(path: Path, exc: OSError) -> Problem:
    return Problem(display_path(path), f"the path cannot be read: {exc.strerror or exc}",
                   hint="check that it exists and its permissions; it may have changed while it was read")


def _link_out(path: Path, kind: str) -> Problem:
    return Problem(display_path(path), f"the {kind} is a link to a place outside the personas folder",
                   expected="files inside the personas folder", hint="copy the file into the folder instead of linking")


_READ = os.O_RDONLY | os.O_NONBLOCK | os.O_NOFOLLOW | getattr(os, "O_NOCTTY", 0) | getattr(os, "O_CLOEXEC", 0)


def read_bounded(path: Path, max_bytes: int, root: str | None = None) -> bytes | Problem:
    """The file's bytes, or a problem: not a regular file, too large (from `fstat`, before reading), unreadable,
    or (with `root`, the folder's real path) not inside `root` when opened: a link is opened only as its
    resolved target, with `O_NOFOLLOW` both times, and the open descriptor's real path is checked."""
    shown = display_path(path)
    try:
        fd = _open(path, root)
    except OSError as exc:
        if exc.errno == errno.ELOOP:
            return Problem(shown, "the file was replaced by a link while it was read", expected="a regular file",
                           hint="build again; if it persists, replace the link by the file")
        return Problem(shown, f"the file cannot be read: {exc.strerror}", hint="check the path and its permissions")
    if fd is None:
        return _link_out(path, "file")
    with os.fdopen(fd, "rb") as handle:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            return Problem(shown, "the path is not a regular file", expected="a text file",
                           found=_KINDS.get(stat.S_IFMT(info.st_mode), "a special file"),
                           hint="remove it from the personas folder")
        if root is not None and not inside(opened_path(fd) or root, root):
            return _link_out(path, "file")
        if info.st_size > max_bytes:
            return too_large(shown, max_bytes, info.st_size)
        try:
            data = handle.read(max_bytes + 1)
        except OSError as exc:
            return Problem(shown, f"the file cannot be read: {exc.strerror}", hint="check the path and its permissions")
    return too_large(shown, max_bytes, len(data)) if len(data) > max_bytes else data


def _open(path: Path, root: str | None) -> int | None:
    """A descriptor of `path` opened without following a link; a link (that `scan` let through) is resolved
    once and its target opened the same way, or None when the target lies outside `root`."""
    try:
        return os.open(path, _READ)
    except OSError as exc:
        if exc.errno != errno.ELOOP or root is None:  # ELOOP: the last component is a link
            raise
    real = os.path.realpath(path)
    return os.open(real, _READ) if inside(real, root) else None


def opened_path(fd: int) -> str | None:
    """The real path of an open file descriptor, where the system tells it (Linux, macOS), else None."""
    try:
        if sys.platform == "darwin":
            import fcntl
            return os.fsdecode(fcntl.fcntl(fd, 50, b"\0" * 1024).rstrip(b"\0"))  # F_GETPATH
        path = os.readlink(f"/proc/self/fd/{fd}")
    except OSError:
        return None
    return path if path.startswith("/") and not path.endswith(" (deleted)") else None


def _swap_if_unchanged(path: str, new: str, unchanged: bytes) -> str | None:
    """Put the file `new` at `path` if `path` still holds `unchanged`, as one compare-and-swap against savers that
    write or rename a file to `path`: the old file is renamed aside (from then on no save can slip in unseen),
    compared, and `new` is linked in only if nothing was saved at `path` meanwhile (a link never replaces)."""
    aside = f"{new}.old"
    try:
        os.rename(path, aside)
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        if _current(aside, len(unchanged)) == unchanged:
            os.link(new, path)
            return None
        with contextlib.suppress(FileExistsError):  # a newer save is there already: the aside is older still
            os.link(aside, path)
        return _CHANGED
    except FileExistsError:
        return _CHANGED
    finally:
        os.unlink(aside)


_CHANGED = "it changed since it was read (saved meanwhile?); run the command again"


def _current(path: str, size: int) -> bytes | None:
    """The file's bytes (at most `size` + 1), read without following a link; None if it cannot be read."""
    try:
        fd = os.open(path, _READ)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as handle:
        return handle.read(size + 1)


def too_large(shown: str, max_bytes: int, size: int) -> Problem:
    return Problem(shown, "the file is too large", expected=f"at most {max_bytes} bytes", found=f"{size} bytes",
                   hint="shorten the prompt or raise max_file_size")


def write_atomic(path: Path, data: bytes, root: Path, *, create: bool = False,
                 unchanged: bytes | None = None) -> str | None:
    """Replace (or, with `create`, newly create) `path` under `root`; the reason it was refused, or None.

    Refused: a path outside `root`, a path through any link, a read-only file, an existing file with `create`,
    and, with `unchanged` (the bytes the change was made from), a file that no longer holds them, or that is
    saved again while it is replaced (`_swap_if_unchanged`): a save made meanwhile (an editor's) is never lost.
    """
    absolute, base = os.path.abspath(path), os.path.abspath(root)
    if not inside(absolute, base):
        return "it lies outside the project"
    # Below the root, the real path must be the path itself: no component (the file included) is a link.
    if os.path.realpath(absolute) != os.path.join(os.path.realpath(base), os.path.relpath(absolute, base)):
        return "it is a link, or lies in a linked folder; change the file it points to instead"
    exists = os.path.lexists(absolute)
    if create and exists:
        return "it already exists"
    if exists and not os.stat(absolute).st_mode & stat.S_IWUSR:  # the mode, not access(): root may write anyway
        return "it is read-only"
    folder = os.path.dirname(absolute)
    try:
        os.makedirs(folder, exist_ok=True)
        mode = stat.S_IMODE(os.stat(absolute).st_mode) if exists else 0o644
        fd, temporary = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(absolute)}.", suffix=".tmp")
    except OSError as exc:
        return exc.strerror or str(exc)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(temporary, mode)
        if unchanged is not None:
            return _swap_if_unchanged(absolute, temporary, unchanged)
        if create:
            os.link(temporary, absolute)  # fails if the file appeared meanwhile: never overwrites
        else:
            os.replace(temporary, absolute)
    except OSError as exc:
        return exc.strerror or str(exc)
    finally:
        if os.path.lexists(temporary):
            os.unlink(temporary)
    return None


def attachments(folder: Path) -> tuple[tuple[Attachment, ...], list[Problem]]:
    """Every file under `folder` (hidden names passed over, links out of it refused), as a skill's other files."""
    found = scan(folder, accept=lambda name: True, ignore=(".",))
    files: list[Attachment] = []
    problems = list(found.problems)
    for file in found.files:
        kept = attachment(file.path, file.source)
        if isinstance(kept, Problem):
            problems.append(kept)
        else:
            files.append(kept)
    return tuple(files), problems


def attachment(path: Path, name: str) -> Attachment | Problem:
    """The file at `path` as a skill's file `name` (its path inside the skill's folder), or the warning that
    leaves it out: it cannot be read, or it is over `ATTACHMENT_MAX_BYTES`."""
    try:
        size = os.stat(path).st_size
    except OSError as exc:
        return Problem(display_path(path), f"the file cannot be read: {exc.strerror or exc}", level="warning",
                       hint="check its permissions; it is left out of the skill's page and zip")
    if size > ATTACHMENT_MAX_BYTES:
        return Problem(display_path(path), "the file is too large to go with its skill", level="warning",
                       expected=f"at most {ATTACHMENT_MAX_BYTES} bytes", found=f"{size} bytes",
                       hint="it is left out of the skill's page and zip")
    return Attachment(name, size, str(path))
