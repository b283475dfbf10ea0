"""Persona dates and revisions from one `git log` pass, in temporary repositories with known commits."""

from __future__ import annotations

import os
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest

from persona_catalog import read_history

T0 = datetime(2024, 1, 10, 9, 0, tzinfo=UTC)


def day(n: int) -> datetime:
    return T0.replace(day=T0.day + n)


def git(repo: Path, *args: str, when: datetime | None = None) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.com", "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    if when is not None:
        env["GIT_AUTHOR_DATE"] = env["GIT_COMMITTER_DATE"] = when.isoformat()
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def commit(repo: Path, message: str, when: datetime) -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", message, when=when)
    return git(repo, "rev-parse", "HEAD").strip()


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, "utf-8")


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    """A repository whose personas folder has adds, edits, a rename chain, a delete and re-add, and noise outside."""
    root = tmp_path / "repo"
    personas = root / "catalog" / "personas"
    root.mkdir()
    git(root, "init", "-q", "-b", "main")
    write(personas / "kept.md", "---\nversion: 1.0.0\n---\nv1\n")
    write(personas / "old-name.md", "renamed\n")
    write(personas / "gone.md", "first life\n")
    write(personas / 'say "hi".md', "---\nversion: 0.1.0\n---\nHi.\n")  # git quotes this name in diffs
    write(root / "README.md", "outside the personas folder\n")
    commit(root, "Add three personas", day(0))
    (personas / "dev").mkdir()
    (personas / "old-name.md").rename(personas / "dev" / "middle-name.md")
    commit(root, "Move into dev/", day(1))
    (personas / "gone.md").unlink()
    write(personas / "kept.md", "---\nversion: '1.1.0'\n---\nv2\n")
    write(personas / 'say "hi".md', "---\nversion: 0.2.0\n---\nHi.\n")
    commit(root, "Edit kept, remove gone", day(2))
    (personas / "dev" / "middle-name.md").rename(personas / "dev" / "new name ü.md")
    write(personas / "gone.md", "second life\n")
    commit(root, "Rename again; bring gone back", day(3))
    write(root / "README.md", "changed outside\n")
    commit(root, "Only the README", day(4))
    write(personas / "dev" / "new name ü.md", "---\nversion: 2.0.0\n---\nrenamed and edited\n")
    commit(root, "Edit the renamed persona", day(5))
    return personas


def test_dates_are_first_and_last_commit_following_renames(repo: Path) -> None:
    history = read_history(repo, ["kept.md", "dev/new name ü.md", "gone.md"])
    assert history.git and not history.shallow and history.prefix == "catalog/personas/"
    kept, renamed, gone = (history.get(s) for s in ("kept.md", "dev/new name ü.md", "gone.md"))
    assert (kept.published, kept.updated) == (day(0), day(2))
    assert [(r.subject, r.version) for r in kept.revisions] == [("Edit kept, remove gone", "1.1.0"),
                                                                ("Add three personas", "1.0.0")]
    assert (renamed.published, renamed.updated) == (day(0), day(5))
    assert [(r.subject, r.path) for r in renamed.revisions] == [
        ("Edit the renamed persona", "dev/new name ü.md"),
        ("Rename again; bring gone back", "dev/new name ü.md"),
        ("Move into dev/", "dev/middle-name.md"),
        ("Add three personas", "old-name.md"),
    ]
    assert (gone.published, gone.updated) == (day(3), day(3)), "a re-added file starts a new life"
    assert all(len(r.commit) == 40 for r in renamed.revisions)
    assert [r.version for r in renamed.revisions] == ["2.0.0", None, None, None], "no version before the edit"
    assert [r.version for r in gone.revisions] == [None]
    assert [r.version for r in read_history(repo, []).get('say "hi".md').revisions] == ["0.2.0", "0.1.0"]


def test_untracked_files_and_no_git_use_the_file_time(repo: Path, tmp_path: Path) -> None:
    write(repo / "draft.md", "not committed\n")
    stamp = datetime(2023, 5, 6, 7, 8, 9, tzinfo=UTC)
    os.utime(repo / "draft.md", (stamp.timestamp(), stamp.timestamp()))
    history = read_history(repo, ["kept.md", "draft.md"])
    assert history.get("draft.md").published == history.get("draft.md").updated == stamp
    assert not history.get("draft.md").from_git and history.get("kept.md").from_git

    off = read_history(repo, ["kept.md"], use_git=False)
    assert not off.git and not off.get("kept.md").revisions

    plain = tmp_path / "tarball"
    write(plain / "p.md", "x\n")
    os.utime(plain / "p.md", (stamp.timestamp(), stamp.timestamp()))
    unpacked = read_history(plain, ["p.md", "missing.md"])
    assert not unpacked.git and unpacked.get("p.md").updated == stamp and unpacked.get("missing.md") is None


def test_a_shallow_clone_is_flagged_and_dated_by_what_it_has(repo: Path, tmp_path: Path) -> None:
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo.parent.parent}", str(clone))
    history = read_history(clone / "catalog" / "personas", ["kept.md"])
    assert history.shallow
    assert history.get("kept.md").published == history.get("kept.md").updated == day(5)
