"""Fixtures: write a whole site into `tmp_path` and build it with MkDocs; serve a built site to Chromium."""

from __future__ import annotations

import base64
import functools
import json
import os
import pty
import re
import shutil
import subprocess
import sys
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml
from hypothesis import settings
from mkdocs.commands.build import build
from mkdocs.config import load_config

from serving import serve  # scripts/serving.py (pytest's pythonpath), shared with `make screenshots`

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).resolve().parent / "fixtures"
# The tests' own copy of the demo catalog (mkdocs.yml and personas/): no edit of the repository's personas/ or
# mkdocs.yml, which belong to whoever runs the catalog, can break a test of the generator.
DEMO = FIXTURES / "demo"
SHARED = ROOT.parent / "shared"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
for _name in ("REPO_URL", "EDIT_URI"):  # the bundled mkdocs.yml reads them; its tests expect neither
    os.environ.pop(_name, None)
os.environ["SITE_URL"] = ""  # empty: no site_url (unset, mkdocs.yml would use the preview's address)

# Property tests explore new inputs on every run on a laptop; in CI they replay the same examples, so a CI
# verdict is reproducible and a case found elsewhere becomes an explicit example or a fixed strategy.
settings.register_profile("ci", derandomize=True, database=None)
if os.environ.get("CI"):
    settings.load_profile("ci")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Tests marked `corpus` read the real third-party collections in ../shared/: skipped with the reason when
    that folder is absent (a fresh clone), a failure in CI (`CI` set), where they must run."""
    if item.get_closest_marker("corpus") is None or SHARED.is_dir():
        return
    reason = f"needs the third-party persona collections in {SHARED}, which is absent (not part of this repository)"
    if os.environ.get("CI"):
        pytest.fail(f"CI must run the corpus tests, but {reason}", pytrace=False)
    pytest.skip(reason)


def persona_text(name: str, category: str = "testing", body: str | None = None, **fields: object) -> str:
    """A persona file's text with the given fields (JSON values are valid YAML)."""
    meta = {"name": name, "category": category, **fields}
    lines = [f"{key}: {json.dumps(value, ensure_ascii=False)}" for key, value in meta.items()]
    body = body if body is not None else f"You are {name}, a persona written for a test.\n"
    return "---\n" + "\n".join(lines) + "\n---\n\n" + body


@dataclass
class Site:
    """A built site: its project folder and output folder."""

    root: Path
    site_dir: Path

    def html(self, path: str) -> str:
        return (self.site_dir / path).read_text("utf-8")

    def json(self, path: str) -> object:
        return json.loads((self.site_dir / path).read_text("utf-8"))

    def page(self, url: str) -> str:
        """The HTML of the page at a directory URL such as `personas/x/`."""
        return self.html(url.strip("/") + "/index.html" if url.strip("/") else "index.html")


BuildSite = Callable[..., Site]

_SOURCE = re.compile(r'<script type="application/json" data-pc-source>(.*?)</script>', re.S)


def embedded_prompt(html: str) -> str | None:
    """The prompt a persona page embeds (its packed source, unpacked as catalog.js does), None if it has none."""
    found = _SOURCE.search(html)
    return found and zlib.decompress(base64.b64decode(json.loads(found[1])), -15).decode("utf-8")


def new_in_terminal(cwd: Path, answers: bytes, command: str = "new") -> subprocess.CompletedProcess[str]:
    """`persona-catalog new` (or `command`) with a real pseudo-terminal on stdin, answering its questions."""
    controller, terminal = pty.openpty()
    process = subprocess.Popen([sys.executable, "-m", "persona_catalog.cli", command], cwd=cwd, stdin=terminal,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    os.close(terminal)
    os.write(controller, answers)
    out, err = process.communicate(timeout=60)
    os.close(controller)
    return subprocess.CompletedProcess(process.args, process.returncode, out, err)


def write_and_build(
    root: Path,
    personas: dict[str, str | bytes] | None = None,
    plugin: dict | None = None,
    docs: dict[str, str] | None = None,
    strict: bool = True,
    config: dict | None = None,
) -> Site:
    """Write personas (text or bytes), docs and options into the project folder `root`, then run `mkdocs build`."""
    (root / "docs").mkdir(parents=True, exist_ok=True)
    (root / "personas").mkdir(exist_ok=True)
    for rel, content in (docs or {"index.md": "# Home\n"}).items():
        (root / "docs" / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / "docs" / rel).write_text(content, "utf-8")
    for rel, content in (personas or {}).items():
        path = root / "personas" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    settings = {
        "site_name": "Test Catalog",
        "theme": {"name": "material", "font": False},
        "plugins": [{"persona-catalog": plugin or {}}],  # brings its own search into the theme's box
        "strict": strict,
        **(config or {}),
    }
    (root / "mkdocs.yml").write_text(yaml.safe_dump(settings, sort_keys=False), "utf-8")
    site_dir = root / "site"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir)))
    return Site(root, site_dir)


@pytest.fixture
def build_site(tmp_path: Path) -> BuildSite:
    """Build a site in `tmp_path` (`write_and_build`)."""
    return functools.partial(write_and_build, tmp_path / "project")


def demo_project(root: Path) -> Path:
    """The demo catalog as a project in `root`: its frozen mkdocs.yml and personas (`DEMO`) with the repository's
    docs/ (the generator's documentation, less the README's pictures) and overrides/."""
    shutil.copytree(ROOT / "docs", root / "docs", ignore=shutil.ignore_patterns("screenshots"))
    shutil.copytree(ROOT / "overrides", root / "overrides")
    shutil.copytree(DEMO / "personas", root / "personas")
    shutil.copy(DEMO / "mkdocs.yml", root / "mkdocs.yml")
    return root


@pytest.fixture(scope="session")
def bundled_site(tmp_path_factory: pytest.TempPathFactory) -> Site:
    """The demo catalog (`demo_project`), built once, strict as `make build`."""
    root = demo_project(tmp_path_factory.mktemp("bundled") / "project")
    site_dir = root / "site"
    build(load_config(str(root / "mkdocs.yml"), site_dir=str(site_dir), strict=True))
    return Site(root, site_dir)


def _chromium_available() -> bool:
    return Path(CHROMIUM).exists() or shutil.which("chromium") is not None


@pytest.fixture(scope="session")
def browser():  # type: ignore[no-untyped-def]
    """Headless Debian Chromium driven by Playwright; skipped on a laptop without it, a failure in CI."""
    if not _chromium_available():
        if os.environ.get("CI"):
            pytest.fail(f"Chromium is required in CI but {CHROMIUM} does not exist")
        pytest.skip(f"no Chromium at {CHROMIUM}")
    sync_api = pytest.importorskip("playwright.sync_api") if not os.environ.get("CI") else __import__(
        "playwright.sync_api", fromlist=["sync_playwright"])
    with sync_api.sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=CHROMIUM if Path(CHROMIUM).exists() else shutil.which("chromium"),
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        )
        yield instance
        instance.close()


def type_in_header_search(page, query: str, delay: int = 5) -> None:  # type: ignore[no-untyped-def]
    """Empty Material's header search box, wait for the worker's answer to the empty box, then type `query` key by
    key (Material searches on key events). Arriving once typing has begun, that answer would be drawn as "No
    matching documents" for the query typed, and taken for this query's answer."""
    box = page.locator("input.md-search__input")
    box.click()
    box.fill("")
    page.wait_for_function("() => /Type to start/.test(document.querySelector('.md-search-result__meta').textContent)",
                           timeout=10_000)
    box.press_sequentially(query, delay=delay)


def listing_slugs(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The home listing's results in order, page after page (following its Next link), once its data is loaded."""
    page.wait_for_selector(".pc-browse[data-pc-loaded]")
    if page.locator(".pc-browse [name=find]").input_value():  # the search worker's answer for the text
        page.wait_for_function("""() => document.querySelector('.pc-browse').dataset.pcFound ===
                                      document.querySelector('.pc-browse [name=find]').value.trim()""")
    slugs: list[str] = []
    while True:
        slugs += page.eval_on_selector_all(".pc-browse .pc-cards .pc-card",
                                           "cs => cs.filter(c => c.offsetParent).map(c => c.dataset.slug)")
        following = page.locator("[data-pc-pages] a[rel=next]")
        if not following.count():
            return slugs
        following.click()


@pytest.fixture
def served(bundled_site: Site) -> Iterator[str]:
    url, stop = serve(bundled_site.site_dir)
    yield url
    stop()
