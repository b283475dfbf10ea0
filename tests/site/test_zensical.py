"""The same catalog built by Zensical (`persona-catalog build --engine zensical`) and by MkDocs, compared on the
files they write, the problems they report and, in headless Chromium, what a visitor does on the Zensical site."""

from __future__ import annotations

import logging
import os
import re
import shutil
from html import unescape
from pathlib import Path
from urllib.parse import urljoin

import pytest
import yaml
from mkdocs.exceptions import Abort

from conftest import ROOT, Site, demo_project, persona_text, write_and_build
from persona_catalog import main

try:
    import zensical  # noqa: F401
except ImportError:  # an extra (pip install -e '.[zensical]'), which `make test` and CI install
    if os.environ.get("CI"):
        raise
    pytest.skip("Zensical is not installed: pip install -e '.[zensical]'", allow_module_level=True)

from persona_catalog.engines.zensical.build import FILE_MARK, BuildFailed, build

PERSONAS = {
    "dev/reviewer.md": persona_text("Patch Reviewer", "dev", models=["cursor"], tags=["review", "quality"],
                                    body="# Patch Reviewer\n\nYou review patches. Look for *zebra* locks.\n\n"
                                         "## Steps & <img src=x onerror=alert(1)>\n\n1. Read `diff`\n2. Say <b>why</b>\n"),
    "dev/explainer.md": persona_text("Code Explainer", "dev", tags=["teaching"], body="You explain code.\n"),
    "ops/oncall/prompt.md": persona_text("On-call Buddy", "ops", tags=["incident", "quality"],
                                         body="You help during incidents.   \n\nKeep calm & carry on.\n"),
    "ops/pager.md": persona_text("Pager Triage", "ops", tags=["incident"], body="You triage pages.\n"),
}
# Served below a path, as on GitHub Pages, with edit links (a persona's leads to its own file).
SITE = {"site_url": "https://example.org/catalog/", "repo_url": "https://github.com/you/catalog",
        "edit_uri": "edit/main/docs/", "markdown_extensions": [{"toc": {"permalink": True}}, "attr_list"]}
PLUGIN = {"categories": {"dev": {"title": "Development"}, "ops": {"title": "Operations"}}}
# What only one engine writes: its own search (MkDocs: search-index/), theme assets and sitemap (the same pages).
ENGINE_FILES = re.compile(r"^(search-index/|search/(search_index|vocabulary)\.json|search\.json"
                          r"|assets/(javascripts|stylesheets|images)/|assets/persona-catalog/search-worker\.js"
                          r"|sitemap\.xml)")


def files(site_dir: Path) -> set[str]:
    return {p.relative_to(site_dir).as_posix() for p in site_dir.rglob("*") if p.is_file()}


def both_engines(root: Path, strict: bool = True) -> tuple[Site, Site]:
    """The project in `root` built by MkDocs into `site-mkdocs/`, then by Zensical into `site/`."""
    config = root / "mkdocs.yml"
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config
    mkdocs_build(load_config(str(config), site_dir=str(root / "site-mkdocs"), strict=strict))
    build(config, strict=strict)
    return Site(root, root / "site-mkdocs"), Site(root, root / "site")


def build_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    """The fixture catalog built by both engines (also for tests/browser/test_browser_zensical.py)."""
    root = tmp_path_factory.mktemp("engines") / "project"
    write_and_build(root, PERSONAS, PLUGIN, docs={"index.md": "# Catalog\n\nPick a persona.\n"}, config=SITE)
    shutil.rmtree(root / "site")
    return both_engines(root)


@pytest.fixture(scope="module")
def pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    return build_pair(tmp_path_factory)


@pytest.fixture(scope="module")
def bundled_pair(tmp_path_factory: pytest.TempPathFactory) -> tuple[Site, Site]:
    """The demo catalog (a copy: Zensical stages into the project), built strict by both engines."""
    root = demo_project(tmp_path_factory.mktemp("bundled-engines") / "project")
    with pytest.MonkeyPatch.context() as patch:  # with an address, as `make build`: feeds, llms.txt, robots.txt
        patch.setenv("SITE_URL", "https://catalog.example.org/")
        return both_engines(root)


def test_bundled_catalog_every_mkdocs_file_is_in_the_zensical_site_and_the_api_is_equal(bundled_pair) -> None:
    mkdocs, zensical = bundled_pair
    made = {path for path in files(mkdocs.site_dir) if not ENGINE_FILES.match(path)}
    persona_urls = {f"personas/{p['slug']}/index.html" for p in mkdocs.json("api/v1/personas.json")["personas"]}
    assert persona_urls and persona_urls <= made
    assert not made - files(zensical.site_dir)
    assert zensical.json("api/v1/personas.json") == mkdocs.json("api/v1/personas.json")
    assert (zensical.site_dir / "api/v1/personas.json").read_bytes() == \
        (mkdocs.site_dir / "api/v1/personas.json").read_bytes()


def test_fixture_catalog_same_files_and_outputs(pair) -> None:
    mkdocs, zensical = pair
    made = {path for path in files(mkdocs.site_dir) if not ENGINE_FILES.match(path)}
    assert not made - files(zensical.site_dir)
    for path in sorted(made):
        if path.endswith((".json", ".zip", ".md", ".txt", ".xml")) and not path.startswith("search"):
            assert (zensical.site_dir / path).read_bytes() == (mkdocs.site_dir / path).read_bytes(), path


def _targets(html: str, url: str) -> set[str]:
    """Where the links of a generated page's own content lead (resolved against the page's URL)."""
    content = html[html.index('class="md-content__inner'):html.rindex("</article>", 0, html.index("</main>"))]
    return {urljoin(f"https://example.org/catalog/{url}", unescape(href))
            for href in re.findall(r'(?:href|src)="([^"]*)"', content)}


@pytest.mark.parametrize("url", ["personas/patch-reviewer/", "personas/on-call-buddy/", "tags/quality/",
                                 "categories/dev/", "categories/", "tags/", "all/"])
def test_generated_pages_link_where_they_do_under_mkdocs(pair, url: str) -> None:
    mkdocs, zensical = pair
    page = zensical.page(url)
    assert FILE_MARK not in page
    assert _targets(page, url) == _targets(mkdocs.page(url), url)
    assert page.count('<meta property="og:type"') == 1  # the head tags, once


def _outline(html: str) -> list[str]:
    """The anchors of the theme's table of contents, in order."""
    start = html.index('data-md-component="toc"')
    return re.findall(r'<a href="#([^"]+)" class="md-nav__link"', html[start:html.index("</nav>\n", start)])


def test_persona_page_outline_is_the_mkdocs_one_and_escaped(pair) -> None:
    mkdocs, zensical = pair
    page = zensical.page("personas/patch-reviewer/")
    outline = _outline(page)
    assert len(outline) == 3 and outline == _outline(mkdocs.page("personas/patch-reviewer/")), outline
    assert "<img src=x onerror" not in page  # the heading's text, escaped in the outline as on the page


def _problem_lines(text: str) -> list[str]:
    """Each problem line (file:line: level: ...) in `text`, a log or an error message, in order."""
    return re.findall(r"(\S+\.md:\d+: (?:error|warning): .*)", text)


def test_invalid_persona_same_problem_lines_under_both_engines(tmp_path: Path,
                                                               caplog: pytest.LogCaptureFixture) -> None:
    broken = {"ok.md": persona_text("Fine", "dev"),
              "bad.md": "---\nname: Broken\ncategory: dev\ntags: [Not A Slug]\ncontext_window: huge\n---\n\nHi.\n"}
    root = tmp_path / "project"
    with pytest.raises(Abort):
        write_and_build(root, broken, PLUGIN, config=SITE)
    under_mkdocs = _problem_lines(caplog.text)
    with pytest.raises(BuildFailed) as failed:
        build(root / "mkdocs.yml", strict=True)
    assert under_mkdocs and _problem_lines(str(failed.value)) == under_mkdocs
    assert "Fix them, or set 'on_invalid: skip'" in str(failed.value)


def test_on_invalid_skip_and_strict(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """`on_invalid: skip` leaves the file out (not a warning: strict still builds); a warning fails a strict
    Zensical build as it fails a strict MkDocs build, and a lax build goes on."""
    caplog.set_level(logging.INFO, logger="mkdocs")
    root = tmp_path / "project"
    personas = {"ok.md": persona_text("Fine", "dev"), "bad.md": "no front matter\n"}
    write_and_build(root, personas, {**PLUGIN, "on_invalid": "skip"}, config=SITE)
    caplog.clear()
    build(root / "mkdocs.yml", strict=True)
    assert (root / "site/personas/fine/index.html").is_file()
    assert re.search(r"persona-catalog: skipped 1 invalid file\(s\): \S*/personas/bad\.md$", caplog.text, re.M)
    garbled = {"ok.md": persona_text("Fine", "dev", body="You order a cafÃ© au lait â€” itâ€™s fine.\n")}
    shutil.rmtree(root)
    caplog.clear()
    with pytest.raises(Abort):
        write_and_build(root, garbled, PLUGIN, config=SITE)
    mkdocs_warnings = _problem_lines(caplog.text)
    caplog.clear()
    with pytest.raises(BuildFailed, match="strict"):
        build(root / "mkdocs.yml", strict=True)
    assert mkdocs_warnings and _problem_lines(caplog.text) == mkdocs_warnings
    settings = yaml.safe_load((root / "mkdocs.yml").read_text())
    (root / "mkdocs.yml").write_text(yaml.safe_dump({**settings, "strict": False}))
    build(root / "mkdocs.yml", strict=False)
    assert (root / "site/personas/fine/index.html").is_file()


def test_command_line_build_engine_zensical(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = tmp_path / "project"
    write_and_build(root, {"a.md": persona_text("Alpha", "dev")}, PLUGIN, config=SITE)
    shutil.rmtree(root / "site")
    monkeypatch.chdir(root)
    assert main(["build", "--engine", "zensical", "--strict"]) == 0
    assert (root / "site/personas/alpha/index.html").is_file() and (root / "site/api/v1/personas.json").is_file()
    (root / "personas/b.md").write_text("---\nname: B\n---\n")  # no category
    assert main(["build", "--engine", "zensical"]) == 1


def test_a_catalog_without_a_catalog_page_gets_one_under_zensical(tmp_path: Path) -> None:
    """As under MkDocs (tests/site/test_init.py): no docs/index.md, and the home page is made, with the listing."""
    root = tmp_path / "project"
    write_and_build(root, {"a.md": persona_text("Alpha Helper", "dev")}, PLUGIN, docs={"about.md": "# About\n"},
                    config={**SITE, "site_description": "Prompts <for> us."})
    assert not (root / "docs/index.md").exists()
    build(root / "mkdocs.yml", strict=True)
    home = (root / "site/index.html").read_text("utf-8")
    assert "Prompts &lt;for&gt; us." in home and 'data-slug="alpha-helper"' in home
    assert not (root / "docs/index.md").exists()  # made in the staging copy, never in the project's docs


def test_engine_table_names_the_tested_version() -> None:
    from importlib.metadata import version
    table = (ROOT / "docs" / "engines.md").read_text("utf-8")
    assert f"Zensical {version('zensical')}" in table


def test_serve_builds_again_on_save_and_survives_a_broken_persona(tmp_path: Path) -> None:
    """`persona-catalog serve --engine zensical`: an edit is served after the next build; a broken file is
    reported in the terminal and left out, and the preview goes on."""
    import socket
    import subprocess
    import sys
    import time
    import urllib.request

    root = tmp_path / "project"
    write_and_build(root, {"a.md": persona_text("Alpha", "dev")}, PLUGIN, config=SITE)
    shutil.rmtree(root / "site")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    log = (tmp_path / "serve.log").open("wb")
    server = subprocess.Popen([sys.executable, "-m", "persona_catalog.cli", "serve", "--engine", "zensical",
                               "--port", str(port)], cwd=root, stdout=log, stderr=subprocess.STDOUT)

    def page_shows(text: str, url: str = "personas/alpha/") -> bool:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            assert server.poll() is None, (tmp_path / "serve.log").read_text()
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/{url}", timeout=5) as response:
                    if text in response.read().decode():
                        return True
            except OSError:
                pass
            time.sleep(0.5)
        return False

    try:
        assert page_shows("You are Alpha")
        (root / "personas/a.md").write_text(persona_text("Alpha", "dev", body="You are Alpha, edited.\n"))
        assert page_shows("You are Alpha, edited.")
        (root / "personas/b.md").write_text("---\nname: Broken\n---\n\nNo category.\n")  # an error
        (root / "personas/a.md").write_text(persona_text("Alpha", "dev", body="You are Alpha, again.\n"))
        assert page_shows("You are Alpha, again.")
        assert "b.md:" in (tmp_path / "serve.log").read_text()
    finally:
        server.terminate()
        server.wait(timeout=30)
        log.close()
