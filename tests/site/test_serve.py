"""`mkdocs serve` rebuilds when a persona is added, edited or removed, and never dies on a persona problem."""

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

from conftest import ROOT, persona_text


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


def start_serve(root: Path, log: Path, *options: str) -> tuple[subprocess.Popen, str]:
    """`mkdocs serve` on a free loopback port (live reload on: it is what watches), terminal output to `log`."""
    port = free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "-a", f"127.0.0.1:{port}", *options],
        cwd=root, stdout=log.open("w"), stderr=subprocess.STDOUT, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    return process, f"http://127.0.0.1:{port}/"


def write_project(root: Path, personas: dict[str, str], **settings: object) -> None:
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# Home\n")
    (root / "personas").mkdir()
    for rel, text in personas.items():
        (root / "personas" / rel).write_text(text, "utf-8")
    config = {"site_name": "Serve", "theme": {"name": "material", "font": False},
              "plugins": ["search", "persona-catalog"], **settings}
    (root / "mkdocs.yml").write_text(yaml.safe_dump(config))


@pytest.fixture(params=["", "--dirty"])  # `make serve` uses --dirty: only what changed is rebuilt
def served_project(tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[tuple[Path, str]]:
    write_project(tmp_path, {"first.md": persona_text("First One", "dev")})
    process, url = start_serve(tmp_path, tmp_path / "serve.log", *filter(None, [request.param]))
    try:
        yield tmp_path, url
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


def test_an_output_that_cannot_be_written_is_logged_and_the_preview_goes_on(tmp_path: Path) -> None:
    """Under `make serve` the outputs are written in the background: an error there (here a docs file `api`
    where the API's folder goes) is logged as an error, every rebuild, and the preview keeps serving edits."""
    write_project(tmp_path, {"first.md": persona_text("First One", "dev")})
    (tmp_path / "docs" / "api").write_text("a file, not a folder\n")
    log = tmp_path / "serve.log"
    failed = "persona-catalog: writing the outputs failed: NotADirectoryError: [Errno 20] Not a directory"
    errors = lambda: [line for line in log.read_text().splitlines() if line.startswith("ERROR")]  # noqa: E731
    process, url = start_serve(tmp_path, log, "--dirty")
    try:
        assert wait_until(lambda: len(errors()) == 1), log.read_text()
        assert failed in errors()[0]
        # the outputs are written beside the server's start: the error may be logged before it listens
        assert wait_until(lambda: fetch(url + "personas/first-one/")[0] == 200), log.read_text()
        (tmp_path / "personas" / "second.md").write_text(persona_text("Second One", "dev"))
        assert wait_until(lambda: fetch(url + "personas/second-one/")[0] == 200), "the preview stopped"
        assert wait_until(lambda: len(errors()) == 2), log.read_text()
        assert failed in errors()[1]
        assert process.poll() is None and "Traceback" not in log.read_text()
    finally:
        process.terminate()
        process.wait(timeout=10)


GARBLED = persona_text("Garbled Helper", "dev", body="Use an em dash \u00e2\u20ac\u201d here.\n")  # '—' read as cp1252
INVALID = persona_text("Queue Helper", "dev", tags=["<b>Queues</b>"])  # not a slug, and markup in the value


@pytest.mark.parametrize("options", [(), ("--dirty",)])
def test_preview_survives_problems_and_shows_them_until_fixed(tmp_path: Path, options: tuple[str, ...]) -> None:
    """A strict site with a garbled and an invalid file: the preview serves the valid personas with a notice."""
    write_project(tmp_path, {"first.md": persona_text("First One", "dev"), "garbled.md": GARBLED,
                             "invalid.md": INVALID}, strict=True)
    log = tmp_path / "serve.log"
    started = time.monotonic()
    process, url = start_serve(tmp_path, log, *options)
    try:
        assert wait_until(lambda: fetch(url + "personas/first-one/")[0] == 200), log.read_text()
        first_answer = time.monotonic() - started
        assert fetch(url + "personas/garbled-helper/")[0] == 200  # a warning: built, and listed
        assert fetch(url + "personas/queue-helper/")[0] == 404  # an error: left out
        for page in ("", "personas/first-one/", "tags/"):
            html = fetch(url + page)[1]
            notice = html[html.index('class="warning pc-problems"'):html.index("</details>")]
            assert "invalid.md" in notice and "garbled.md:" in notice, page
            assert "<code>tags</code>" in notice and "<code>encoding</code>" in notice
            assert "Fix:" in notice and "1 file(s) left out" in notice and "<summary>" in notice  # folds away
            assert "&lt;b&gt;Queues&lt;/b&gt;" in notice and "<b>Queues" not in html  # escaped, never markup
        terminal = log.read_text()
        assert "invalid.md" in terminal and "garbled.md" in terminal and "Traceback" not in terminal

        fixed_at = time.monotonic()
        (tmp_path / "personas" / "invalid.md").write_text(persona_text("Queue Helper", "dev", tags=["queues"]))
        (tmp_path / "personas" / "garbled.md").write_text(GARBLED.replace("\u00e2\u20ac\u201d", "\u2014"))
        assert wait_until(lambda: "pc-problems" not in fetch(url)[1]), "the notice stayed after the fix"
        cleared = time.monotonic() - fixed_at
        assert fetch(url + "personas/queue-helper/")[0] == 200
        assert "pc-problems" not in fetch(url + "personas/first-one/")[1]
        assert process.poll() is None
        print(f"\nserve timings: first answer {first_answer:.1f} s, notice gone {cleared:.1f} s after the fix")
    finally:
        process.terminate()
        process.wait(timeout=10)


def test_make_serve_on_a_port_in_use_says_so(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run(
            ["make", "--no-print-directory", "serve", f"PORT={port}", "STAMP=", f"BIN={Path(sys.executable).parent}"],
            cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode != 0
    assert f"port {port} is in use" in result.stderr and "make serve PORT=" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_a_dirty_rebuild_shows_an_edit_everywhere_and_reuses_the_rest(tmp_path: Path,
                                                                      request: pytest.FixtureRequest) -> None:
    """What `mkdocs serve --dirty` does on a save (same plugin instance, two builds): the edited persona is parsed
    again and shown on its page, its tag and category pages, the home listing, the pages that list it as related
    and in the API; a removed persona's page goes, and so does it from the pages that listed it; an unrelated
    persona is neither parsed nor written again."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    write_project(tmp_path, {
        "a.md": persona_text("Alpha Reviewer", "dev", tags=["review", "api"], body="You are Alpha.\n"),
        "b.md": persona_text("Beta Reviewer", "dev", tags=["review", "api"], body="You are Beta.\n"),
        "c.md": persona_text("Gamma Writer", "writing", tags=["prose"], body="You are Gamma.\n"),
        "d.md": persona_text("Delta Writer", "writing", tags=["prose"], body="You are Delta.\n"),
        "e.md": persona_text("Epsilon Singer", "music", tags=["songs"], body="You are Epsilon.\n"),
    })
    site, serve_url = tmp_path / "site", "http://127.0.0.1:8000/"

    def rebuild():  # type: ignore[no-untyped-def]
        config = load_config(str(tmp_path / "mkdocs.yml"), site_dir=str(site))  # as `mkdocs serve` reloads it
        if not hasattr(rebuild, "plugin"):
            config.plugins.on_startup(command="serve", dirty=True)
        build(config, serve_url=serve_url, dirty=True)
        plugin = config.plugins["persona-catalog"]
        plugin.build.finishing.thread.join()  # the outputs and index, written in the background while the browser reloads
        rebuild.plugin = plugin  # type: ignore[attr-defined]
        return plugin

    def page(path: str) -> Path:
        return site / path / "index.html"

    plugin = rebuild()
    request.addfinalizer(lambda: plugin.on_startup(command=None, dirty=False))  # as before:
    # MkDocs keeps this instance for every later build in this process, which never starts with `on_startup`
    epsilon = next(v for k, v in plugin.build.parse_cache.items() if k[0].endswith("e.md"))
    written = page("personas/epsilon-singer").stat().st_mtime_ns
    exports = {key: parts for key, parts in plugin.build.exports.items() if key[1] == "epsilon-singer"}
    time.sleep(0.01)
    (tmp_path / "personas" / "a.md").write_text(
        persona_text("Alpha Auditor", "dev", tags=["review", "api"], body="You are Alpha, edited.\n"))
    (tmp_path / "personas" / "d.md").unlink()
    assert rebuild() is plugin  # MkDocs keeps a plugin with `on_startup` across rebuilds
    assert "You are Alpha, edited." in page("personas/alpha-auditor").read_text()
    for listing in ("personas/beta-reviewer", "tags/review", "categories/dev", ""):
        assert "Alpha Auditor" in page(listing).read_text(), listing
        assert "Alpha Reviewer" not in page(listing).read_text(), listing
    assert not page("personas/alpha-reviewer").exists() and not page("personas/delta-writer").exists()
    assert "Delta Writer" not in page("personas/gamma-writer").read_text()  # was its related persona
    api = (site / "api/v1/personas.json").read_text()
    assert "Alpha Auditor" in api and "Delta Writer" not in api
    assert next(v for k, v in plugin.build.parse_cache.items() if k[0].endswith("e.md")) is epsilon  # not parsed again
    assert page("personas/epsilon-singer").stat().st_mtime_ns == written  # nor written again
    assert all(plugin.build.exports[key] is parts for key, parts in exports.items())  # nor its exports made again

    # A whole category goes: its zips, its served marketplace plugin and its persona's files go with it.
    zips = [site / "api/v1/bundles" / tool / "categories/music.zip" for tool in ("claude-code", "agent-skills", "kiro")]
    market = site / "api/v1/claude-code/plugins/music.zip"
    assert all(z.is_file() for z in zips) and (site / "personas/epsilon-singer/epsilon-singer.md").is_file()
    settings = yaml.safe_load((tmp_path / "mkdocs.yml").read_text())
    (tmp_path / "mkdocs.yml").write_text(yaml.safe_dump({**settings, "site_url": "https://catalog.example.org/"}))
    rebuild()
    assert market.is_file()
    (tmp_path / "personas" / "e.md").unlink()
    rebuild()
    assert not market.exists() and not any(z.exists() for z in zips)
    assert not (site / "personas/epsilon-singer").exists()
    assert "music" not in (site / "api/v1/claude-code/marketplace.json").read_text()
