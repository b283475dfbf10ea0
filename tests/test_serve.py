"""`mkdocs serve` rebuilds when a persona is added, edited or removed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import yaml

from conftest import persona_text


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fetch(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=5) as response:
            return response.status, response.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, ""
    except (urllib.error.URLError, ConnectionError):
        return 0, ""


def wait_until(condition: Callable[[], bool], seconds: float = 45) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.3)
    return False


@pytest.fixture
def served_project(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "index.md").write_text("# Home\n")
    (tmp_path / "personas").mkdir()
    (tmp_path / "personas" / "first.md").write_text(persona_text("First One", "dev"))
    config = {"site_name": "Serve", "theme": {"name": "material", "font": False},
              "plugins": ["search", "persona-catalog"]}
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump(config))
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}"],  # live reload on: it is what watches
        cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        yield tmp_path, f"http://127.0.0.1:{port}/"
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_serve_follows_persona_edits(served_project: tuple[Path, str]) -> None:
    root, url = served_project
    assert wait_until(lambda: fetch(url + "personas/first-one/")[0] == 200)

    (root / "personas" / "second.md").write_text(persona_text("Second One", "dev", body="You are new.\n"))
    assert wait_until(lambda: fetch(url + "personas/second-one/")[0] == 200), "added persona not served"

    (root / "personas" / "second.md").write_text(persona_text("Second One", "dev", body="You are edited.\n"))
    assert wait_until(lambda: "You are edited." in fetch(url + "personas/second-one/")[1]), "edit not served"

    (root / "personas" / "second.md").unlink()
    assert wait_until(lambda: fetch(url + "personas/second-one/")[0] == 404), "removed persona still served"
