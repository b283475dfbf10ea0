"""The Zensical adapter: generate the catalog's pages into a staging copy of the docs, run `zensical build`, finish.

Zensical (https://zensical.org) reads `mkdocs.yml` but runs no third-party MkDocs plugin, and tells authors of
generated content to generate before the build. So a build here is three steps:

1. generate: the options come from `mkdocs.yml` as MkDocs validates them (the plugin's `config_options`); the
   catalog is loaded and its problems reported by the MkDocs adapter's own methods (same lines, same `on_invalid`
   and strict rules); `.persona-catalog/zensical/` gets a copy of the docs (hard links), every generated page as
   a Markdown file whose body is the page's HTML (Python-Markdown passes block HTML through), the home listing
   in the catalog page, the catalog's CSS and JavaScript, and a `mkdocs.yml` that INHERITs the site's and points
   Zensical at the copy (`docs_dir`, `site_dir`, `extra_css`, `extra_javascript`, `custom_dir`).
2. `zensical build` (its own command line, `--strict` under a strict build).
3. finish: the head tags (feeds, OpenGraph) of each generated page, the site files linked from pages, the
   machine-readable outputs, and the finished site moved to `site_dir`.

Zensical resolves every relative link in a page against its source file and turns a link ending in `.md` into
the page's URL, warning when there is no such page. So a generated page links pages by their docs path relative
to its own (`../tags/sql.md`: Zensical checks it exists) and site files relative to it; a site file whose name
ends in `.md` (a persona's raw file) carries `FILE_MARK`, removed in the finish step.
"""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import os
import posixpath
import re
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, replace
from html import escape
from importlib.resources import files as package_files
from pathlib import Path
from urllib.parse import urljoin

import yaml
from mkdocs.config import load_config
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import Abort, ConfigurationError, PluginError
from mkdocs.utils.yaml import yaml_load

from persona_catalog.build.core import BuildError
from persona_catalog.build.options import Options
from persona_catalog.build.work import OutputOptions, SiteInfo, every_output
from persona_catalog.catalog.characters import escape_invisible
from persona_catalog.catalog.files import SUFFIXES
from persona_catalog.catalog.progress import Progress, Stages
from persona_catalog.engines.mkdocs.plugin import ASSET_DIR, ASSETS, PersonaCatalogPlugin, _link_patterns
from persona_catalog.outputs.writing import write_outputs
from persona_catalog.site.pages import LISTING_MARKER, PageSpec, home_markdown
from persona_catalog.site.render import UrlFor
from persona_catalog.site.urls import FEED_PATH

log = logging.getLogger("mkdocs.plugins.persona_catalog")

STAGING = Path(".persona-catalog", "zensical")  # beside mkdocs.yml: Zensical keeps docs_dir and site_dir inside
FILE_MARK = ".pc-file"  # after a site file's `.md` link, so Zensical leaves it a file (removed by `finish`)
PLUGIN = "persona-catalog"
OUTLINE = "persona_catalog.engines.zensical.outline"  # generated pages' outline (a Markdown extension)
_EDIT_LINK = re.compile(r'<a href="([^"]*)"[^>]*\brel="edit"[^>]*>.*?</a>', re.DOTALL)  # the theme's edit button


class BuildFailed(Exception):
    """The build stopped: persona problems (`on_invalid: fail`), a strict build's warnings, or Zensical's error."""


@dataclass
class Staged:
    """What `generate` made: the staging folder, its configuration, and what `finish` completes."""

    root: Path
    config_file: Path
    site_dir: Path  # where the finished site goes (the site's `site_dir`)
    pages: dict[str, PageSpec]
    heads: dict[str, str]  # generated page src_uri -> its head tags
    edits: dict[str, str | None]  # generated page src_uri -> its edit link, None: none
    outputs: Iterator[tuple[str, bytes]]  # the machine-readable outputs, each made as `finish` writes it
    stages: Stages
    summary: str


def read_config(config_file: Path | None) -> tuple[MkDocsConfig, PersonaCatalogPlugin]:
    """The site's configuration with the plugin's options, validated as MkDocs validates them (no MkDocs build)."""
    try:
        config = load_config(str(config_file) if config_file else None)
    except (ConfigurationError, Abort) as error:
        raise BuildFailed(f"the configuration is not valid: {error}") from None
    plugin = config.plugins.get(PLUGIN)
    if not isinstance(plugin, PersonaCatalogPlugin):
        raise BuildFailed(f"{config.config_file_path} does not enable the '{PLUGIN}' plugin (add it under 'plugins')")
    return config, plugin


def generate(config: MkDocsConfig, plugin: PersonaCatalogPlugin) -> Staged:
    """Load the catalog (reporting its problems), then write the staging docs and configuration."""
    if not config.use_directory_urls:
        raise BuildFailed("use_directory_urls: false is not supported by the Zensical engine yet (docs/engines.md)")
    project = Path(config.config_file_path).parent
    root = project / STAGING
    plugin.on_config(config)  # the same checks of options, icons and site_url as under MkDocs
    core = plugin.build  # the engine-free build, configured by the MkDocs adapter's options
    core.options = replace(core.options, search=False)  # Zensical's own search box and index answer search
    try:
        result = core.load()  # raises BuildError with `on_invalid: fail`, as under MkDocs
    finally:
        core.close_prompts()  # pages are rendered here one by one: no worker processes
    stages, publishing, renderer = core.stages, core.publishing, core.renderer
    assert publishing is not None and renderer is not None and core.exports is not None
    stages.start("pages")
    if root.exists():
        shutil.rmtree(root)
    docs = root / "docs"
    _link_copy(Path(config.docs_dir), docs, Path(plugin.config.personas_dir))
    catalog_page = plugin.config.catalog_page
    specs = [s for s in core.pages() if not (docs / s.src_uri).exists()]
    pages = {spec.src_uri: spec for spec in specs}
    known = pages.keys() | {p.relative_to(docs).as_posix() for p in docs.rglob("*.md")}
    heads: dict[str, str] = {}
    edits: dict[str, str | None] = {}  # generated page -> its edit link (the persona's own file), None: no link
    for spec in specs:
        edits[spec.src_uri] = None
        if spec.persona is not None and config.repo_url and config.edit_uri:  # as MkDocs joins them
            source = core.options.source_path(spec.persona)
            relative = Path(os.path.relpath(source, config.docs_dir)).as_posix()
            edits[spec.src_uri] = publishing.edit_urls[spec.persona.slug] = \
                urljoin(config.repo_url.rstrip("/") + "/", config.edit_uri + relative)
        html = core.render(spec, _url_for(spec.src_uri, known))
        meta: dict[str, object] = {"title": spec.title, "description": spec.description}
        if spec.persona is None:  # listings are no search results, as under MkDocs
            meta["search"] = {"exclude": True}
        _write(docs / spec.src_uri, f"---\n{yaml.safe_dump(meta, allow_unicode=True)}---\n\n{html}\n")
        heads[spec.src_uri] = renderer.fragment(
            "_head.html", feeds=_feeds(config, spec.src_uri), social=True,
            type="article" if spec.persona is not None else "website", site_name=config.site_name,
            title=spec.title, description=spec.description,
            url=(config.site_url or "") + _page_url(spec.src_uri) if config.site_url else None)
    if catalog_page:
        listing = core.home(catalog_page, _url_for(catalog_page, known | {catalog_page}), _link_patterns(config))
        text = ((docs / catalog_page).read_text("utf-8") if (docs / catalog_page).is_file()
                else home_markdown(config.site_name, config.site_description or ""))  # a home page of its own
        text = text.replace(LISTING_MARKER, f"\n\n{listing}\n\n", 1) if LISTING_MARKER in text \
            else f"{text}\n\n{listing}\n"
        _write(docs / catalog_page, text)
    for asset in ASSETS:
        _write(docs / ASSET_DIR / asset, package_files("persona_catalog.site").joinpath("assets", asset)
               .read_text("utf-8"))
    custom_dir = config.theme.custom_dir
    if custom_dir:
        shutil.copytree(custom_dir, root / "overrides")
    staged_config: dict[str, object] = {
        "INHERIT": os.path.relpath(config.config_file_path, root),
        "docs_dir": "docs", "site_dir": "site",
        "extra_css": [f"{ASSET_DIR}/{a}" for a in ASSETS if a.endswith(".css")],
        "extra_javascript": [f"{ASSET_DIR}/{a}" for a in ASSETS if a.endswith(".js")],
    }
    if custom_dir:
        staged_config["theme"] = {"custom_dir": "overrides"}
    with open(config.config_file_path, encoding="utf-8") as file:  # with INHERIT and !ENV resolved, as MkDocs does
        configured = "markdown_extensions" in (yaml_load(file) or {})
    if configured:  # else Zensical's defaults apply, which any entry here would replace
        staged_config["markdown_extensions"] = [OUTLINE]  # appended to the site's (INHERIT merges lists)
    config_file = root / "mkdocs.yml"
    config_file.write_text(yaml.safe_dump(staged_config), "utf-8")
    site = SiteInfo(str(root / "site"), config.site_url or "", config.site_name, config.site_description or "")
    options = OutputOptions(core.options.api_model, core.options.export_files, core.options.feed_size)
    outputs = every_output(result.catalog, core.exports, publishing, site, options, (),
                           lambda path: (Path(config.docs_dir) / path).is_file())
    catalog = result.catalog
    summary = (f"built {len(catalog.personas)} personas in {len(catalog.categories)} categories with "
               f"{len(catalog.by_tag)} tags, {len(result.skipped)} skipped file(s)")
    return Staged(root, config_file, Path(config.site_dir), pages, heads, edits, outputs, stages, summary)


def run_zensical(staged: Staged, strict: bool) -> None:
    """`zensical build` of the staging configuration; raises BuildFailed when it fails."""
    staged.stages.start("zensical")
    command = [sys.executable, "-m", "zensical", "build", "-f", str(staged.config_file), "--clean"]
    if strict:
        command.append("--strict")
    done = subprocess.run(command, cwd=staged.root, stdin=subprocess.DEVNULL)
    if done.returncode != 0:
        raise BuildFailed(f"zensical build failed (exit status {done.returncode})")


def finish(staged: Staged) -> None:
    """Complete the generated pages (head tags, site file links), write the outputs, move the site into place."""
    staged.stages.start("outputs")
    built = staged.root / "site"
    for src_uri, head in staged.heads.items():
        page = built / _page_url(src_uri) / "index.html"
        html = page.read_text("utf-8").replace(FILE_MARK + '"', '"')
        html = _edit_link(html, staged.edits.get(src_uri))
        at = html.find("</head>")
        page.write_text(html if at < 0 else html[:at] + head + html[at:], "utf-8")
    sitemap = built / "sitemap.xml"
    if sitemap.is_file():  # as MkDocs publishes it beside the sitemap
        (built / "sitemap.xml.gz").write_bytes(gzip.compress(sitemap.read_bytes(), mtime=0))
    write_outputs(staged.outputs, built, Progress(log, "wrote", 0, "files"), threading.Event())
    staged.stages.stop()
    if staged.site_dir.exists():
        shutil.rmtree(staged.site_dir)
    shutil.move(str(built), staged.site_dir)


def _edit_link(html: str, edit: str | None) -> str:
    """The page with the theme's edit button leading to `edit` (Zensical's leads to the staging copy, which no
    repository holds), or without it."""
    match = _EDIT_LINK.search(html)
    if match is None:
        return html
    button = match.group(0).replace(match.group(1), escape(edit)) if edit else ""
    return html[:match.start()] + button + html[match.end():]


def build(config_file: Path | None = None, strict: bool = False, command: str = "build") -> None:
    """The whole Zensical build: generate, `zensical build`, finish. Raises BuildFailed."""
    counter = _Count()
    log.addHandler(counter)
    config, plugin = read_config(config_file)
    # As `on_startup` would; restored after, as MkDocs keeps one plugin instance per process (for `serve`).
    previous, plugin.command = plugin.command, command
    plugin.build.serving = command == "serve"  # a persona problem never stops the preview
    try:
        strict = (strict or bool(config.strict)) and command == "build"  # `strict: true` in mkdocs.yml too
        try:
            staged = generate(config, plugin)
        except (PluginError, BuildError) as error:
            raise BuildFailed(str(error)) from None
        if strict and counter.warnings:
            raise BuildFailed(f"aborted with {counter.warnings} warning(s) in strict mode")
        run_zensical(staged, strict)
        finish(staged)
        log.info("persona-catalog: %s; seconds: %s", staged.summary, staged.stages)
        skipped = plugin.build.result.skipped if plugin.build.result else ()
        if skipped:  # last, so the log ends with what was left out (as under MkDocs)
            log.log(plugin.build.error_level(), "persona-catalog: skipped %d invalid file(s): %s",
                    len(skipped), ", ".join(map(escape_invisible, skipped)))
    finally:
        plugin.command = previous
        plugin.build.serving = previous == "serve"
        log.removeHandler(counter)


def serve(config_file: Path | None = None, port: int = 8000) -> None:
    """Build, serve `site_dir` at 127.0.0.1:`port`, and build again whenever a persona, docs or configuration
    file changes (checked every second; reload the page to see it). A persona problem never stops it."""
    config, plugin = read_config(config_file)
    options = Options.read(plugin.config, Path(config.config_file_path).parent)
    watched = [Path(config.config_file_path), Path(config.docs_dir), options.personas_dir,
               *(source.path for source in options.sources)]
    if config.theme.custom_dir:
        watched.append(Path(config.theme.custom_dir))
    site_dir = Path(config.site_dir)
    handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=str(site_dir))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", port), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    shown = None
    try:
        while True:
            state = _state(watched)
            if state != shown:
                shown = state
                try:
                    build(config_file, command="serve")
                    log.info("persona-catalog: serving %s at http://127.0.0.1:%d/", site_dir, port)
                except Exception as error:  # the preview goes on; the terminal says what failed
                    log.error("persona-catalog: %s", error)
            time.sleep(1)
    except KeyboardInterrupt:
        pass
    finally:
        server.shutdown()


def _state(paths: list[Path]) -> frozenset[tuple[str, int, int]]:
    """Every file under `paths` with its modification time and size: a change of any is a new state."""
    found = set()
    for path in paths:
        for folder, _, names in os.walk(path) if path.is_dir() else [(str(path.parent), [], [path.name])]:
            for name in names:
                try:
                    stat = os.stat(os.path.join(folder, name))
                except OSError:
                    continue
                found.add((os.path.join(folder, name), stat.st_mtime_ns, stat.st_size))
    return frozenset(found)


class _Count(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.warnings = 0

    def emit(self, record: logging.LogRecord) -> None:
        self.warnings += 1


def _page_url(src_uri: str) -> str:
    """A docs path's page URL (directory URLs): `personas/x.md` -> `personas/x/`, `tags/index.md` -> `tags/`."""
    path = src_uri.removesuffix(".md")
    if path == "index" or path.endswith("/index"):
        return path.removesuffix("index")
    return path + "/"


def _url_for(src_uri: str, pages: AbstractSet[str]) -> UrlFor:
    """Links of the page at `src_uri` as Zensical wants them: relative to its source file (see the module)."""
    here = posixpath.dirname(src_uri) or "."

    def url(target: str) -> str:
        if not target:  # the site's root, for a script (in a data attribute, which Zensical leaves as it is)
            return posixpath.relpath(".", _page_url(src_uri) or ".")
        relative = posixpath.relpath(target, here)
        if target.endswith(".md") and target not in pages:
            return relative + FILE_MARK
        return relative

    return url


def _feeds(config: MkDocsConfig, src_uri: str) -> list[dict[str, str]]:
    if not config.site_url:
        return []
    return [{"title": f"{config.site_name}: new and updated personas",
             "url": posixpath.relpath(FEED_PATH, _page_url(src_uri) or ".")}]


def _write(path: Path, text: str) -> None:
    """A new file (a hard-linked copy of a docs file is replaced, never written through)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.exists():
        path.unlink()
    path.write_text(text, "utf-8")


def _link_copy(docs: Path, target: Path, personas: Path) -> None:
    """The docs as hard links (a copy where linking fails), without persona files inside the docs."""
    personas = personas.resolve()

    def ignore(folder: str, names: list[str]) -> list[str]:
        inside = Path(folder).resolve().is_relative_to(personas)
        return [n for n in names if inside and n.lower().endswith(SUFFIXES)]

    def link(source: str, destination: str) -> None:
        try:
            os.link(source, destination)
        except OSError:
            shutil.copy2(source, destination)

    shutil.copytree(docs, target, ignore=ignore, copy_function=link)
