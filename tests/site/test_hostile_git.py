"""Git as data, never as code: hostile repositories (written here) inside and around the personas folder."""

from __future__ import annotations

import gzip
import logging
import os
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
from test_history import commit, git, write

from conftest import persona_text, write_and_build
from persona_catalog import read_history
from persona_catalog.site.history import DATE_RANGE, parse_log

T0 = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def _hostile_repository(personas: Path, marker: Path) -> None:
    """A persona pack unpacked with its `.git`: its configuration names commands for every hook git offers."""
    personas.mkdir(parents=True)
    git(personas, "init", "-q", "-b", "main")
    write(personas / "pack.md", persona_text("Packed Persona", "dev"))
    write(personas / ".gitattributes", "*.md diff=evil\n")
    commit(personas, "Add a packed persona", T0)
    write(personas / "pack.md", persona_text("Packed Persona", "dev", version="1.0.0"))
    commit(personas, "Give it a version", T0.replace(day=2))
    run = f"sh -c 'echo ran >> {marker}; cat \"$@\"' --"
    for key, value in {"diff.evil.textconv": run, "diff.evil.command": run, "diff.external": run,
                       "core.fsmonitor": run, "core.pager": run, "log.showSignature": "true", "gpg.program": run,
                       "core.hooksPath": str(personas)}.items():
        git(personas, "config", key, value)


def test_a_nested_repository_configuration_runs_nothing(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    project = tmp_path / "project"
    marker = tmp_path / "ran.txt"
    _hostile_repository(project / "personas", marker)
    # The fixture works: plain git runs the repository's textconv filter for a patch.
    subprocess.run(["git", "-C", str(project / "personas"), "log", "-p"], capture_output=True, check=False,
                   env={**os.environ, "GIT_CONFIG_NOSYSTEM": "1"})
    assert marker.exists(), "the fixture's textconv filter should run under a plain `git log -p`"
    marker.unlink()

    with caplog.at_level(logging.INFO):
        site = write_and_build(project, plugin={"categories": {"dev": {}}}, strict=False)
    assert not marker.exists(), "a command named by the nested repository's configuration ran during the build"
    history = read_history(project / "personas", ["pack.md"])
    assert not marker.exists()
    dates = history.get("pack.md")
    assert dates is not None and [r.version for r in dates.revisions] == ["1.0.0", None]
    assert "Give it a version" in site.page("personas/packed-persona/")


def test_dates_outside_the_range_are_clamped_with_a_warning(tmp_path: Path) -> None:
    year_10000 = 253_402_300_800  # 10000-01-01
    log = f"\x1e{'a' * 40}\0{year_10000}\0Far future\0\nA\0far.md\0\x1e{'b' * 40}\0-99999999999\0Past\0\nA\0old.md\0"
    problems: list = []
    files = parse_log(log.encode(), problems)
    assert files["far.md"].updated == DATE_RANGE[1] and files["old.md"].published == DATE_RANGE[0]
    assert sorted(p.path for p in problems) == ["far.md", "old.md"]
    assert all(p.level == "warning" and p.field == "date" and "2099-12-31" in str(p) for p in problems)
    assert parse_log(b"\x1e" + b"c" * 40 + b"\0not a number\0S\0\nA\0x.md\0")["x.md"].updated == DATE_RANGE[0]


@pytest.mark.parametrize("stamp", [7_258_118_400, 253_402_300_800], ids=["2200", "10000"])  # 2200-01-01, 10000-01-01
def test_a_commit_and_a_file_time_far_ahead_build_a_gzipped_sitemap(tmp_path: Path, caplog: pytest.LogCaptureFixture,
                                                                    stamp: int) -> None:
    """Issue 24: a commit in 2200 or 10000 (a traceback in `parse_log`) and a file modification time in 2200
    (`struct.error` while MkDocs gzips the sitemap). Each is a warning, and the date is clamped to 2099-12-31."""
    project = tmp_path / "project"
    git(project.parent, "init", "-q", "-b", "main", str(project))
    write(project / "personas" / "future.md", persona_text("Future Commit", "dev"))
    git(project, "add", "-A")
    future = {"GIT_AUTHOR_DATE": f"@{stamp} +0000", "GIT_COMMITTER_DATE": f"@{stamp} +0000"}
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-q", "-m", "Future"],
                   cwd=project, env={**os.environ, **future, "GIT_CONFIG_NOSYSTEM": "1"}, check=True)
    assert git(project, "log", "-1", "--format=%ct").strip() == str(stamp)  # git kept the date as given
    untracked = project / "personas" / "untracked.md"
    write(untracked, persona_text("Future File", "dev"))
    os.utime(untracked, (stamp, stamp))  # ext4 stops at 2446: still past the range
    assert untracked.stat().st_mtime > DATE_RANGE[1].timestamp()
    with caplog.at_level(logging.WARNING):
        site = write_and_build(project, plugin={"categories": {"dev": {}}}, strict=False,
                               config={"site_url": "https://example.org/"})
    warnings = [r.getMessage() for r in caplog.records if "outside the dates" in r.getMessage()]
    assert any("future.md" in w and "commit" in w for w in warnings), warnings
    assert any("untracked.md" in w and "modification time" in w for w in warnings), warnings
    assert not [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    with gzip.open(site.site_dir / "sitemap.xml.gz") as sitemap:
        lastmods = re.findall(rb"<lastmod>([^<]*)</lastmod>", sitemap.read())
    assert max(lastmods) == b"2099-12-31" and lastmods.count(b"2099-12-31") >= 2, lastmods  # no date past the range
    listing = site.json("api/v1/listing.json")["personas"]
    assert {p["s"]: p["u"] for p in listing} == dict.fromkeys(["future-commit", "future-file"],
                                                               int(DATE_RANGE[1].timestamp()))


def test_files_that_swap_names_keep_their_histories(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    alpha = "---\nname: Alpha\n---\n" + "Alpha writes long careful reviews of database migrations.\n" * 8
    beta = "---\nname: Beta\n---\n" + "Beta plans marketing launches with a calendar and a budget.\n" * 8
    write(repo / "a.md", alpha)
    commit(repo, "Add alpha", T0)
    write(repo / "b.md", beta)
    commit(repo, "Add beta", T0.replace(day=2))
    write(repo / "a.md", beta)
    write(repo / "b.md", alpha)
    commit(repo, "Swap the names", T0.replace(day=3))
    history = read_history(repo, ["a.md", "b.md"])
    assert [r.subject for r in history.get("b.md").revisions] == ["Swap the names", "Add alpha"]
    assert [r.subject for r in history.get("a.md").revisions] == ["Swap the names", "Add beta"]
    assert history.get("b.md").published == T0 and history.get("a.md").published == T0.replace(day=2)


def test_versions_come_from_the_front_matter_only(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    git(tmp_path, "init", "-q", "-b", "main", str(repo))
    write(repo / "p.md", "---\nname: P\nversion: 1.0.0\n---\nYou help.\nversion: 0.0.1\n")
    commit(repo, "Add", T0)
    write(repo / "p.md", "---\nname: P\nversion: 1.0.0\n---\nYou help.\nversion: 9.9.9-from-the-prompt\n")
    commit(repo, "A version line in the prompt", T0.replace(day=2))
    write(repo / "p.md", "---\nname: P\nversion: 1.1.0\n---\nYou help.\nversion: 9.9.9-from-the-prompt\n")
    commit(repo, "Bump", T0.replace(day=3))
    revisions = read_history(repo, ["p.md"]).get("p.md").revisions
    assert [(r.subject, r.version) for r in revisions] == [("Bump", "1.1.0"), ("A version line in the prompt", "1.0.0"),
                                                           ("Add", "1.0.0")]


def test_a_commit_subject_hiding_characters_is_marked(tmp_path: Path) -> None:
    project = tmp_path / "project"
    git(project.parent, "init", "-q", "-b", "main", str(project))
    write(project / "personas" / "p.md", persona_text("Subject Persona", "dev"))
    commit(project, "Fix typo \u202egnp.exe\u202c and a bell \u0007 here", T0)
    site = write_and_build(project, plugin={"categories": {"dev": {}}})
    history = site.page("personas/subject-persona/").split('id="history"', 1)[1].split("</ol>", 1)[0]
    assert "\u202e" not in history and "\u0007" not in history
    assert 'title="U+202E RIGHT-TO-LEFT OVERRIDE">U+202E</span>' in history
