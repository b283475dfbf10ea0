"""When each persona file was added and changed, and its version at each change, from `git log`.

`read_history(folder, sources)` runs four git processes whatever the number of files: `rev-parse`, one
`git log --name-status` over the folder (renames are followed by parsing its output rather than running
`git log --follow` per file; with `-B -M`, so files that swap names keep their own histories), one
`git log -G^version: --raw` for the commits whose diff touches a `version:` line and one `git cat-file --batch`
that reads the front matter `version` before and after each of them (a `version:` line in a prompt is not one).
Files git does not know (untracked, no git, git missing) are dated by their modification time instead:

| where the files are        | published (Added)          | updated                    | revisions |
|----------------------------|----------------------------|----------------------------|-----------|
| a git clone with history   | first commit of the file   | last commit of the file    | every commit, newest first |
| a shallow clone            | oldest commit in the clone | last commit in the clone   | those in the clone (`shallow` is set) |
| untracked file / no git    | file modification time     | file modification time     | none |

Dates are committer dates (when the change reached the branch), in UTC, from 1970-01-01 to 2099-12-31
(`DATE_RANGE`; the gzip header where MkDocs writes the sitemap's date ends in 2106): a date outside is clamped
to the nearest end, with a warning naming the file.

Git reads the repository as data, never as code: a `.git` folder inside the personas folder (a persona pack
unpacked with its history, a submodule) may carry any configuration, so every git call switches off text
conversions, external diffs, the pager, fsmonitor, hooks, signatures and the system configuration.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

from persona_catalog.catalog.files import display_path
from persona_catalog.catalog.problems import Problem
from persona_catalog.catalog.yaml_boundary import FrontMatter, read_front_matter

GIT_TIMEOUT = 120  # seconds; a catalog's whole history is read in one process
DATE_RANGE = (datetime(1970, 1, 1, tzinfo=UTC), datetime(2099, 12, 31, 23, 59, 59, tzinfo=UTC))


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
    problems: list[Problem] = field(default_factory=list)  # dates outside `DATE_RANGE`, as warnings

    def get(self, source: str) -> FileDates | None:
        return self.files.get(source)


def read_history(folder: Path, sources: Iterable[str], use_git: bool = True) -> History:
    """Dates for every file in `sources` (paths relative to `folder`): from git where it knows them, else mtime."""
    history = _git_history(folder) if use_git else History()
    for source in sources:
        if source not in history.files:
            try:
                seconds = (folder / source).stat().st_mtime
            except OSError:
                continue
            mtime = clamp_date(seconds)
            if mtime is None:
                mtime = DATE_RANGE[0] if seconds < 0 else DATE_RANGE[1]
                history.problems.append(_out_of_range(folder, source, "the file's modification time",
                                                      f"{seconds:.0f} seconds after 1970"))
            history.files[source] = FileDates(mtime, mtime)
    return history


# Git reads the repository as data only: nothing that a repository's own configuration (or a `.git` folder
# unpacked inside the personas folder) names may run or redirect the reading. Text conversions and external
# diffs are switched off by flags (`_DATA_ONLY`); these settings override every other command a setting names.
_SAFE_CONFIG = ("core.fsmonitor=false", f"core.hooksPath={os.devnull}", "core.pager=cat", "core.untrackedCache=false",
                "log.showSignature=false", "log.follow=false", "i18n.logOutputEncoding=UTF-8",
                "protocol.allow=never", "gpg.program=false", "diff.noprefix=false")
_DATA_ONLY = ("--no-textconv", "--no-ext-diff", "--no-color")
# Variables that name commands or other repositories; a log needs none.
_UNSET = ("GIT_EXTERNAL_DIFF", "GIT_PAGER", "PAGER", "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE",
          "GIT_CONFIG_PARAMETERS", "GIT_CONFIG_COUNT")


def git_command(folder: Path, *args: str) -> list[str]:
    """A git command that reads `folder`'s repository as data (see `_SAFE_CONFIG`)."""
    config = [part for setting in _SAFE_CONFIG for part in ("-c", setting)]
    return ["git", "--no-pager", *config, "-C", str(folder), *args]


def _git(folder: Path, *args: str, stdin: bytes | None = None) -> bytes | None:
    env = {key: value for key, value in os.environ.items() if key not in _UNSET}
    env.update(GIT_OPTIONAL_LOCKS="0", GIT_CONFIG_NOSYSTEM="1", GIT_TERMINAL_PROMPT="0", GIT_NO_LAZY_FETCH="1",
               GIT_ATTR_NOSYSTEM="1")
    try:
        done = subprocess.run(git_command(folder, *args), input=stdin, capture_output=True, timeout=GIT_TIMEOUT,
                              env=env, check=False)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout if done.returncode == 0 else None


def _git_history(folder: Path) -> History:
    info = _git(folder, "rev-parse", "--is-shallow-repository", "--show-prefix")
    if info is None:
        return History()
    shallow, _, prefix = info.decode("utf-8", "replace").partition("\n")
    log = _git(folder, "log", "-z", "--name-status", "-B", "-M", "--relative", *_DATA_ONLY,
               "--format=%x1e%H%x00%ct%x00%s", "--", ".")
    if log is None:  # e.g. a repository without commits
        return History()
    problems: list[Problem] = []
    files = parse_log(log, problems, folder)
    changes = _version_changes(folder)
    if changes:
        files = with_versions(files, changes)
    return History(files, prefix.strip(), git=True, shallow=shallow.strip() == "true", problems=problems)


def clamp_date(seconds: float) -> datetime | None:
    """The UTC time `seconds` after the epoch if it lies in `DATE_RANGE`, else None."""
    try:
        date = datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return None
    return date if DATE_RANGE[0] <= date <= DATE_RANGE[1] else None


def _out_of_range(folder: Path | None, source: str, what: str, found: str) -> Problem:
    where = display_path(folder / source) if folder is not None else source
    first, last = (d.date().isoformat() for d in DATE_RANGE)
    return Problem(where, f"{what} lies outside the dates a site can carry; the nearest one is used",
                   level="warning", field="date", expected=f"a date from {first} to {last}", found=found,
                   hint="correct the date (touch the file, or amend the commit), or set git_history: false")


def parse_log(output: bytes, problems: list[Problem] | None = None, folder: Path | None = None) -> dict[str, FileDates]:
    """Parse `git log -z --name-status --format=%x1e%H%x00%ct%x00%s` (newest first), following renames.

    Walking back in time, a rename `old -> new` makes older entries of `old` belong to the file now at the
    end of the chain; an add or a delete ends a path's life, so older entries of that path are another file.
    A commit's renames take effect together, so files that swap names keep their own pasts. A date outside
    `DATE_RANGE` is clamped into it, with a warning per file in `problems`.
    """
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    alias: dict[str, str | None] = {}  # path at some commit -> the file's current path (None: another file)
    ended: set[str] = set()  # paths whose file's life starts at this commit (added, or renamed from elsewhere)
    renamed: dict[str, str] = {}  # this commit's rename sources -> the file's current path
    revisions: dict[str, list[Revision]] = {}
    clamped: dict[str, str] = {}  # file -> the first out-of-range commit date found for it
    i, count = 0, len(tokens)
    commit, date, subject, outside = "", DATE_RANGE[0], "", ""
    while i < count:
        token = tokens[i].lstrip("\n")
        if token.startswith("\x1e"):  # a commit header: hash, time, subject
            alias.update(dict.fromkeys(ended))
            alias.update(renamed)  # after: in a swap, a rename's source is also another rename's target
            ended.clear()
            renamed.clear()
            commit, stamp, subject = token[1:], tokens[i + 1], tokens[i + 2]
            seconds = int(stamp) if stamp.lstrip("-").isdigit() else 0
            found = clamp_date(seconds)
            date = found or (DATE_RANGE[0] if seconds < 0 else DATE_RANGE[1])
            outside = "" if found else f"commit {commit[:12]} dated {seconds} seconds after 1970"
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
            ended.add(path)
            continue
        revisions.setdefault(key, []).append(Revision(commit, date, _clean(subject), path))
        if outside:
            clamped.setdefault(key, outside)
        if status in "ARC":
            ended.add(path)
        if status == "R" and old is not None:
            renamed[old] = key
    if problems is not None:
        problems.extend(_out_of_range(folder, key, "a commit's date", found) for key, found in clamped.items())
    return {path: FileDates(revs[-1].date, revs[0].date, tuple(revs)) for path, revs in revisions.items()}


def _version_changes(folder: Path) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    """(commit, path) -> (old, new) front matter `version`, for the commits whose diff touches a `version:` line.

    The diff only selects the commits (`-G`); the versions come from the file's front matter before and after
    each (one `git cat-file --batch` for them all), so a `version:` line inside a prompt is never one."""
    raw = _git(folder, "log", "-z", "--raw", "--no-abbrev", "-B", "-M", "--diff-filter=MR", "-G^version:",
               "--relative", *_DATA_ONLY, "--format=%x1e%H", "--", ".")
    pairs = parse_raw(raw or b"")
    blobs = sorted({oid for old, new in pairs.values() for oid in (old, new) if oid.strip("0")})
    if not blobs:
        return {}
    versions = read_versions(_git(folder, "cat-file", "--batch", stdin="".join(f"{b}\n" for b in blobs).encode()))
    changes: dict[tuple[str, str], tuple[str | None, str | None]] = {}
    for key, (old, new) in pairs.items():
        before, after = versions.get(old), versions.get(new)
        if before != after:
            changes[key] = (before, after)
    return changes


def parse_raw(output: bytes) -> dict[tuple[str, str], tuple[str, str]]:
    """(commit, path) -> (old blob, new blob) from `git log -z --raw --no-abbrev --format=%x1e%H`."""
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    pairs: dict[tuple[str, str], tuple[str, str]] = {}
    commit, i = "", 0
    while i < len(tokens):
        token = tokens[i].lstrip("\n")
        if token.startswith("\x1e"):
            commit, _, token = token[1:].partition("\n")
            token = token.lstrip("\n")
        if not token.startswith(":"):
            i += 1
            continue
        fields = token.split()
        renamed = len(fields) == 5 and fields[4][:1] in ("R", "C")
        if len(fields) != 5 or i + (2 if renamed else 1) >= len(tokens):
            break
        path = tokens[i + 2] if renamed else tokens[i + 1]
        pairs[commit, path] = (fields[2], fields[3])
        i += 3 if renamed else 2
    return pairs


def read_versions(output: bytes | None) -> dict[str, str | None]:
    """blob -> the `version` of its front matter (None without one), from `git cat-file --batch` output."""
    versions: dict[str, str | None] = {}
    at = 0
    while output and at < len(output):
        end = output.find(b"\n", at)
        if end < 0:
            break
        header = output[at:end].split()
        if len(header) != 3 or not header[2].isdigit():  # "<oid> missing": no content follows
            at = end + 1
            continue
        size = int(header[2])
        versions[header[0].decode("ascii", "replace")] = front_matter_version(output[end + 1:end + 1 + size])
        at = end + 1 + size + 1
    return versions


def front_matter_version(data: bytes) -> str | None:
    """The `version` field of a persona file's front matter, when it is text."""
    text = data.decode("utf-8", "replace").removeprefix("\ufeff").replace("\r\n", "\n")
    front = read_front_matter(text, "")
    value = front.fields.get("version") if isinstance(front, FrontMatter) else None
    return (value.strip() or None) if isinstance(value, str) else None


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


def _clean(text: str) -> str:
    """Undo surrogate escapes of undecodable bytes so the text can be written anywhere."""
    return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
