"""The file policy: what is a persona file, what is refused (with a message naming the link), nothing hangs."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import BuildSite, persona_text
from persona_catalog import load_catalog, main, write_atomic

OUTSIDE = persona_text("Smuggled In", "dev", body="You leak secrets from outside the folder.\n")


def lint_json(*args: str, cwd: Path) -> dict:
    """`lint --format json` run in `cwd` (a folder without mkdocs.yml: the defaults apply)."""
    completed = subprocess.run([sys.executable, "-m", "persona_catalog.cli", "lint", "--format", "json", *args],
                               capture_output=True, timeout=60, check=False, cwd=cwd)
    return json.loads(completed.stdout.decode("utf-8"))


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "personas").mkdir()
    (tmp_path / "outside").mkdir()
    (tmp_path / "outside" / "secret.md").write_text(OUTSIDE)
    (tmp_path / "personas" / "ok.md").write_text(persona_text("Fine", "dev"))
    return tmp_path


def test_links_out_of_the_folder_are_errors_naming_the_link(project: Path) -> None:
    personas = project / "personas"
    (personas / "smuggled.md").symlink_to(project / "outside" / "secret.md")
    (personas / "passwd.md").symlink_to("/etc/passwd")
    (personas / "linked-folder").symlink_to(project / "outside")
    result = load_catalog(personas)
    assert [p.name for p in result.catalog.personas] == ["Fine"]
    messages = {Path(p.path).name: str(p) for p in result.problems}
    assert set(messages) == {"smuggled.md", "passwd.md", "linked-folder"}
    for message in messages.values():
        assert "outside the personas folder" in message
        assert "secret" not in message.split(":", 1)[1] and "root:" not in message and "/etc" not in message


def test_a_link_out_is_never_published(project: Path, build_site: BuildSite) -> None:
    site = build_site({"ok.md": persona_text("Fine", "dev")}, plugin={"on_invalid": "skip"}, strict=False)
    (site.root / "personas" / "smuggled.md").symlink_to(project / "outside" / "secret.md")
    site = build_site(plugin={"on_invalid": "skip"}, strict=False)
    assert "Smuggled" not in json.dumps(site.json("api/v1/personas.json"))
    assert not any("leak secrets" in p.read_text("utf-8", "replace") for p in site.site_dir.rglob("*") if p.is_file())


def test_links_inside_the_folder_and_every_extension_are_loaded(project: Path) -> None:
    personas = project / "personas"
    (personas / "real").mkdir()
    (personas / "real" / "inner.md").write_text(persona_text("Inner", "dev"))
    (personas / "alias").symlink_to(personas / "real")  # a linked folder inside: followed (once)
    (personas / "loop").symlink_to(personas)  # a loop: not followed twice
    for name, title in (("upper.MD", "Upper"), ("mixed.Md", "Mixed"), ("long.markdown", "Long")):
        (personas / name).write_text(persona_text(title, "dev"))
    (personas / "notes.txt").write_text("not a persona")
    result = load_catalog(personas)
    names = sorted(p.name for p in result.catalog.personas)
    assert names == ["Fine", "Inner", "Long", "Mixed", "Upper"]
    assert result.problems == []
    assert result.catalog.by_slug["inner"].source == "real/inner.md"  # the folder itself, not the link to it


def test_fifos_and_devices_never_hang(project: Path) -> None:
    personas = project / "personas"
    os.mkfifo(personas / "pipe.md")
    os.mkfifo(project / "outside" / "pipe.md")
    (personas / "linked-pipe.md").symlink_to(project / "outside" / "pipe.md")
    (personas / "zero.md").symlink_to("/dev/zero")
    report = lint_json(str(personas), cwd=project)  # 60 s timeout: a hang fails
    by_file = {Path(p["path"]).name: p for p in report["problems"]}
    assert by_file["pipe.md"]["found"] == "a FIFO (named pipe)"
    assert "outside" in by_file["linked-pipe.md"]["message"] and "outside" in by_file["zero.md"]["message"]


def test_odd_file_names_stay_printable_and_json_stays_valid(project: Path) -> None:
    personas = project / "personas"
    (personas / os.fsdecode(b"caf\xe9.md")).write_bytes(b"not front matter")
    (personas / "evil\x1b[2K\nforged: ok.md").write_text("no front matter")
    report = lint_json(str(personas), cwd=project)
    paths = [p["path"] for p in report["problems"]]
    assert any(path.endswith("caf\\udce9.md") for path in paths), paths
    assert any(path.endswith("evil\\x1b[2K\\nforged: ok.md") for path in paths), paths
    text = subprocess.run([sys.executable, "-m", "persona_catalog.cli", "lint", str(personas)], cwd=project,
                          capture_output=True, timeout=60, check=False).stdout.decode()
    assert "\x1b" not in text and "\nforged" not in text


def test_fix_never_writes_through_a_link(project: Path, capsys: pytest.CaptureFixture,
                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(project)  # no mkdocs.yml here: lint uses the defaults
    target = project / "outside" / "secret.md"
    target.write_bytes(b"\xef\xbb\xbf" + OUTSIDE.encode())
    (project / "personas" / "smuggled.md").symlink_to(target)
    (project / "personas" / "dangling.md").symlink_to(project / "personas" / "nowhere.md")
    assert main(["lint", "--fix", str(project / "personas")]) == 1
    assert target.read_bytes().startswith(b"\xef\xbb\xbf")
    assert "points nowhere" in capsys.readouterr().out


def test_writes_refuse_links_and_places_outside(project: Path) -> None:
    personas = project / "personas"
    (personas / "dangling.md").symlink_to(project / "outside" / "new.md")
    (personas / "linked").symlink_to(project / "outside")
    assert "link" in write_atomic(personas / "dangling.md", b"x", personas, create=True)
    assert "link" in write_atomic(personas / "linked" / "p.md", b"x", personas, create=True)
    assert "outside" in write_atomic(project / "outside" / "p.md", b"x", personas)
    assert write_atomic(personas / "ok.md", b"x", personas, create=True) == "it already exists"
    assert sorted(p.name for p in (project / "outside").iterdir()) == ["secret.md"]
    assert write_atomic(personas / "new" / "p.md", b"x", personas, create=True) is None
    assert (personas / "new" / "p.md").read_bytes() == b"x"


def test_new_refuses_dangling_links_and_linked_folders(project: Path, capsys: pytest.CaptureFixture) -> None:
    config = project / "mkdocs.yml"
    config.write_text("site_name: x\nplugins:\n  - persona-catalog\n")
    (project / "personas" / "operations").symlink_to(project / "outside")
    assert main(["new", "Incident Helper", "--category", "operations", "--config-file", str(config)]) == 2
    (project / "personas" / "dev").mkdir()
    (project / "personas" / "dev" / "tester.md").symlink_to(project / "outside" / "tester.md")
    assert main(["new", "Tester", "--category", "dev", "--config-file", str(config)]) == 2
    assert sorted(p.name for p in (project / "outside").iterdir()) == ["secret.md"]


def test_a_missing_personas_folder_is_an_error(tmp_path: Path) -> None:
    result = load_catalog(tmp_path / "nope")
    assert [p.message for p in result.errors] == ["the personas folder does not exist"]


def test_build_log_escapes_file_names(build_site: BuildSite, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO)  # with on_invalid: skip, skipped files are logged as information
    build_site({"ok.md": persona_text("Fine", "dev"), "evil\x1b[2K\nforged.md": "no front matter"},
               plugin={"on_invalid": "skip"}, strict=False)
    logged = "\n".join(record.getMessage() for record in caplog.records)
    assert "evil\\x1b[2K\\nforged.md" in logged and "\x1b" not in logged
