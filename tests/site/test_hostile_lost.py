"""Nothing lost, nothing crashes: `lint --fix` beside an editor saving the same file, a preview's outputs of a
deleted or renamed persona, Windows device names as slugs, names that are not UTF-8 given to `new`."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import yaml

from conftest import persona_text
from persona_catalog import DEVICE_NAMES, derive_slug, main, parse_persona, write_atomic


def crlf(text: str) -> bytes:
    return text.replace("\n", "\r\n").encode()  # what `--fix` repairs


def test_a_fix_is_not_written_over_a_save_made_after_the_read(tmp_path: Path) -> None:
    path = tmp_path / "p.md"
    path.write_bytes(crlf(persona_text("Saved", "dev")))
    read = path.read_bytes()
    path.write_bytes(crlf(persona_text("Saved Again", "dev")))  # the editor saves between read and write
    reason = write_atomic(path, read.replace(b"\r\n", b"\n"), tmp_path, unchanged=read)
    assert reason is not None and "changed since it was read" in reason
    assert b"Saved Again" in path.read_bytes() and not list(tmp_path.glob(".*.tmp"))
    assert write_atomic(path, b"fixed", tmp_path, unchanged=path.read_bytes()) is None  # unchanged: written
    assert path.read_bytes() == b"fixed"


def now(path: Path) -> bytes:
    """The file's content; `--fix` moves the file aside for a few microseconds while it swaps it."""
    for _ in range(100):
        try:
            return path.read_bytes()
        except FileNotFoundError:
            time.sleep(0.001)
    return b""


def test_lint_fix_beside_an_editor_loses_no_save(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    path = tmp_path / "personas" / "p.md"
    path.parent.mkdir()
    path.write_bytes(crlf(persona_text("Save 0", "dev")))
    done, lost, saves = threading.Event(), [], [0]

    def editor() -> None:  # saves as editors do (a new file renamed over the old), then checks its save survived
        while not done.is_set():
            saves[0] += 1
            temporary = path.with_name(".p.md.editor")
            temporary.write_bytes(crlf(persona_text(f"Save {saves[0]}", "dev")))
            os.replace(temporary, path)
            time.sleep(0.002)
            if f"Save {saves[0]}\"".encode() not in now(path):
                lost.append(saves[0])

    thread = threading.Thread(target=editor, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    runs = 0
    while (runs < 150 or saves[0] < 150) and time.monotonic() < deadline:
        main(["lint", "--fix", str(path.parent)])
        runs += 1
    done.set()
    thread.join()
    output = capsys.readouterr().out
    assert saves[0] >= 150 and "fixed: converted line endings" in output  # both sides did their work
    assert not lost, f"{len(lost)} of {saves[0]} saves overwritten by --fix"


@pytest.mark.parametrize("name", ["con", "nul", "aux", "prn", "com1", "lpt9"])
def test_windows_device_names_are_reserved(name: str) -> None:
    assert name in DEVICE_NAMES
    for fields, field in (({"slug": name}, "slug"), ({"tags": [name]}, "tags")):
        persona, problems = parse_persona(persona_text("Device", "dev", **fields).encode(), "p.md")
        assert persona is None
        assert any(p.field == field and "device name Windows reserves" in p.message for p in problems), problems
    persona, problems = parse_persona(persona_text("Device", name).encode(), "p.md")
    assert persona is None and any(p.field == "category" for p in problems)
    assert derive_slug(name.upper()) != name  # a name that would derive it gets a stable other slug


def test_new_refuses_names_that_are_not_utf8(tmp_path: Path) -> None:
    (tmp_path / "personas").mkdir()
    for args in ([b"Bad \xff name", b"--category", b"dev"], [b"Fine", b"--category", b"dev", b"--description", b"d\xe9j\xe0"]):
        done = subprocess.run([sys.executable.encode(), b"-m", b"persona_catalog.cli", b"new", *args], cwd=tmp_path,
                              capture_output=True, timeout=60, check=False, stdin=subprocess.DEVNULL)
        assert done.returncode == 2, done.stderr
        assert b"is not valid UTF-8 text" in done.stderr and b"Traceback" not in done.stderr
    assert not list((tmp_path / "personas").rglob("*.md"))


def test_a_preview_removes_the_outputs_of_a_deleted_or_renamed_persona(tmp_path: Path,
                                                                       request: pytest.FixtureRequest) -> None:
    """`mkdocs serve --dirty` (the same plugin instance, builds one after another): a deleted persona's and a
    re-slugged persona's JSON document, raw file and exports go; the others stay."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "personas").mkdir()
    for name in ("Kept Persona", "Deleted Persona", "Renamed Persona"):
        (tmp_path / "personas" / f"{name.split()[0].lower()}.md").write_text(persona_text(name, "dev"), "utf-8")
    config = {"site_name": "Serve", "theme": {"name": "material", "font": False},
              "plugins": [{"persona-catalog": {"export_files": True, "search": False}}]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    site = tmp_path / "site"
    plugins = []

    def rebuild() -> None:
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site))  # as `mkdocs serve` reloads it
        if not plugins:
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url="http://127.0.0.1:8000/", dirty=True)
        plugin = config.plugins["persona-catalog"]
        assert not plugins or plugin is plugins[0]  # MkDocs keeps a plugin with `on_startup` across rebuilds
        if not plugins:
            plugins.append(plugin)
            request.addfinalizer(lambda: plugin.on_startup(command=None, dirty=False))
        plugin.build.finishing.thread.join()  # the outputs, written in the background while the browser reloads

    def outputs(slug: str) -> list[Path]:
        found = [site / "api/v1/personas" / f"{slug}.json", site / "personas" / slug / f"{slug}.md"]
        return found + [p for p in (site / "api/v1/exports").rglob("*") if p.is_file() and slug in p.name]

    rebuild()
    for slug in ("kept-persona", "deleted-persona", "renamed-persona"):
        assert all(p.is_file() for p in outputs(slug)) and len(outputs(slug)) > 3, slug
    (tmp_path / "personas" / "deleted.md").unlink()
    (tmp_path / "personas" / "renamed.md").write_text(persona_text("Renamed Persona", "dev", slug="new-slug"))
    rebuild()
    assert not [p for slug in ("deleted-persona", "renamed-persona") for p in outputs(slug) if p.exists()]
    assert all(p.is_file() for slug in ("kept-persona", "new-slug") for p in outputs(slug))
    assert not (site / "personas" / "deleted-persona").exists()  # its page too, and the folder left empty
