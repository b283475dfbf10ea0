"""When each persona file was added and changed, and its version at each change, from `git log`.

`read_history(folder, sources)` runs three git processes whatever the number of files: `rev-parse`, one
`git log --name-status` over the folder (renames are followed by parsing its output rather than running
`git log --follow` per file) and one `git log -G^version:` for the commits that changed a `version:` line.
Files git does not know (untracked, no git, git missing) are dated by their modification time instead:

| where the files are        | published (Added)          | updated                    | revisions |
|----------------------------|----------------------------|----------------------------|-----------|
| a git clone with history   | first commit of the file   | last commit of the file    | every commit, newest first |
| a shallow clone            | oldest commit in the clone | last commit in the clone   | those in the clone (`shallow` is set) |
| untracked file / no git    | file modification time     | file modification time     | none |

Dates are committer dates (when the change reached the branch), in UTC.
"""

from __future__ import annotations

import codecs
import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

GIT_TIMEOUT = 120  # seconds; a catalog's whole history is read in one process


@dataclass(frozen=True)
class Revision:
    """One commit that changed a file; `path` is the file's path in the personas folder at that commit."""

    commit: str
    date: datetime
    subject: str
    path: str
    version: str | None = None  # the front matter's version after this commit, when git shows it changing


@dataclass(frozen=True)
class FileDates:
    """When a file was published and last updated, and its revisions (newest first) when git knows it."""

    published: datetime
    updated: datetime
    revisions: tuple[Revision, ...] = ()

    @property
    def from_git(self) -> bool:
        return bool(self.revisions)


@dataclass
class History:
    """Dates of the persona files, keyed by their path relative to the personas folder."""

    files: dict[str, FileDates] = field(default_factory=dict)
    prefix: str = ""  # the personas folder's path inside the repository ("personas/"), "" without git
    git: bool = False  # the folder is inside a git work tree with at least one commit
    shallow: bool = False  # a shallow clone: dates only reach back to the oldest fetched commit

    def get(self, source: str) -> FileDates | None:
        return self.files.get(source)


def read_history(folder: Path, sources: Iterable[str], use_git: bool = True) -> History:
    """Dates for every file in `sources` (paths relative to `folder`): from git where it knows them, else mtime."""
    history = _git_history(folder) if use_git else History()
    for source in sources:
        if source not in history.files:
            try:
                mtime = datetime.fromtimestamp((folder / source).stat().st_mtime, UTC)
            except OSError:
                continue
            history.files[source] = FileDates(mtime, mtime)
    return history


def _git(folder: Path, *args: str) -> bytes | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, timeout=GIT_TIMEOUT,
                              env={**os.environ, "GIT_OPTIONAL_LOCKS": "0"}, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_history(folder: Path) -> History:
    info = _git(folder, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if info is None:
        return History()
    shallow, _, prefix = info.decode("utf-8", "replace").partition("\n")
    log = _git(folder, "log", "-z", "--name-status", "-M", "--relative", "--no-color",
               "--format=%x1e%H%x00%ct%x00%s", "--", ".")
    if log is None:  # e.g. a repository without commits
        return History()
    files = parse_log(log)
    changes = _git(folder, "-c", "core.quotePath=false", "log", "-p", "--unified=0", "-M", "--diff-filter=MR",
                   "-G^version:", "--relative", "--no-color", "--format=%x1e%H", "--", ".")
    if changes:
        files = with_versions(files, parse_version_changes(changes))
    return History(files, prefix.strip(), git=True, shallow=shallow.strip() == "true")


def parse_log(output: bytes) -> dict[str, FileDates]:
    """Parse `git log -z --name-status --format=%x1e%H%x00%ct%x00%s` (newest first), following renames.

    Walking back in time, a rename `old -> new` makes older entries of `old` belong to the file now at the
    end of the chain; an add or a delete ends a path's life, so older entries of that path are another file.
    """
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    alias: dict[str, str | None] = {}  # path at some commit -> the file's current path (None: another file)
    revisions: dict[str, list[Revision]] = {}
    i, count = 0, len(tokens)
    commit, date, subject = "", datetime.min.replace(tzinfo=UTC), ""
    while i < count:
        token = tokens[i].lstrip("\n")
        if token.startswith("\x1e"):  # a commit header: hash, time, subject
            commit = token[1:]
            date = datetime.fromtimestamp(int(tokens[i + 1]), UTC)
            subject = tokens[i + 2]
            i += 3
            continue
        if not token:
            i += 1
            continue
        status = token[0]
        if status in "RC":
            old, path = tokens[i + 1], tokens[i + 2]
            i += 3
        else:
            old, path = None, tokens[i + 1]
            i += 2
        key = alias.get(path, path)
        if key is None or status == "D":
            alias[path] = None
            continue
        revisions.setdefault(key, []).append(Revision(commit, date, _clean(subject), path))
        alias[path] = None if status in "ARC" else key
        if status == "R" and old is not None:
            alias[old] = key
    return {path: FileDates(revs[-1].date, revs[0].date, tuple(revs)) for path, revs in revisions.items()}


def parse_version_changes(output: bytes) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(commit, path) -> (old, new) `version:` value, from `git log -p --unified=0 --format=%x1e%H`."""
    changes: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    commit, path = "", None
    for line in output.decode("utf-8", "surrogateescape").split("\n"):
        if line.startswith("\x1e"):
            commit, path = line[1:], None
        elif line.startswith("diff --git "):
            path = None
        elif line.startswith("+++ ") and path is None:
            path = _unquote(line[4:].removesuffix("\t")).removeprefix("b/")  # git ends names with spaces by a tab
        elif path is not None and line.startswith(("-version:", "+version:")):
            old, new = changes.get((commit, path), (None, None))
            value = line[len("+version:"):].strip().strip("'\"") or None
            changes[commit, path] = (old or value, new) if line[0] == "-" else (old, new or value)
    return changes


def with_versions(files: dict[str, FileDates],
                  changes: dict[tuple[str, str], tuple[str | None, str | None]]) -> dict[str, FileDates]:
    """Give each revision the version its file had after it, for files whose version changed in git."""
    result = {}
    for key, dates in files.items():
        found = [changes.get((r.commit, r.path)) for r in dates.revisions]
        if not any(found):
            result[key] = dates
            continue
        current = next(change[0] for change in reversed(found) if change)  # before the oldest change
        versions = []
        for change in reversed(found):
            current = change[1] if change else current
            versions.append(current)
        revisions = tuple(replace(r, version=v) for r, v in zip(dates.revisions, reversed(versions)))
        result[key] = replace(dates, revisions=revisions)
    return result


def _unquote(path: str) -> str:
    """A path as git prints it in a diff header, C-quoted ("b/a\\"b.md") when it has special characters."""
    if not path.startswith('"'):
        return path
    raw = codecs.escape_decode(path[1:-1].encode("utf-8", "surrogateescape"))[0]  # type: ignore[attr-defined]
    return raw.decode("utf-8", "surrogateescape")


def _clean(text: str) -> str:
    """Undo surrogate escapes of undecodable bytes so the text can be written anywhere."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
