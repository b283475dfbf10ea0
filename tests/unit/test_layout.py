"""The architecture holds: the build core imports no engine, dependencies point one way, modules stay small,
the MkDocs plugin stays a thin adapter, and `enabled: false` leaves the site as without the plugin."""

from __future__ import annotations

import ast
from pathlib import Path

from conftest import ROOT, BuildSite, persona_text

PACKAGE = ROOT / "plugins" / "persona_catalog"
# Which rooms a room may import (besides itself); the format imports nothing of the site, outputs, exports,
# search, build, engines or command line, and the command line never imports an engine adapter.
ALLOWED = {
    "catalog": set(),
    "prompt": {"catalog"},
    "exports": {"catalog", "site"},  # site.urls: where a persona's files are published
    "site": {"catalog", "prompt", "exports"},
    "search": {"catalog", "site"},
    "outputs": {"catalog", "site", "exports", "prompt"},
    "build": {"catalog", "prompt", "exports", "site", "search", "outputs"},
    "engines": {"catalog", "prompt", "exports", "site", "search", "outputs", "build"},
    "cli": {"catalog", "prompt", "exports", "site", "outputs", "build"},
}


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text("utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


def _modules() -> list[tuple[str, Path]]:
    return [(path.relative_to(PACKAGE).parts[0], path) for path in PACKAGE.rglob("*.py")
            if len(path.relative_to(PACKAGE).parts) > 1]


def test_rooms_import_only_the_rooms_below_them() -> None:
    upward = []
    for room, path in _modules():
        for name in _imports(path):
            parts = name.split(".")
            if parts[0] == "persona_catalog" and len(parts) > 1 and parts[1] != room \
                    and parts[1] not in ALLOWED[room]:
                upward.append(f"{path.relative_to(PACKAGE)} imports {name}")
    assert not upward, "\n".join(upward)


def test_only_the_engine_adapters_import_an_engine() -> None:
    engines = ("mkdocs", "material", "zensical", "properdocs")
    found = [f"{path.relative_to(PACKAGE)} imports {name}" for room, path in _modules()
             if room not in ("engines", "cli") for name in _imports(path) if name.split(".")[0] in engines]
    found += [f"{path.relative_to(PACKAGE)} imports {name}" for room, path in _modules() if room == "cli"
              for name in _imports(path) if name.startswith("persona_catalog.engines")]
    assert not found, "\n".join(found)


def test_no_module_is_over_400_lines() -> None:
    sizes = {path.relative_to(PACKAGE).as_posix(): len(path.read_text("utf-8").splitlines())
             for path in PACKAGE.rglob("*.py")}
    assert {name: size for name, size in sizes.items() if size > 400} == {}


def test_the_mkdocs_plugin_class_is_a_thin_adapter() -> None:
    source = (PACKAGE / "engines" / "mkdocs" / "plugin.py").read_text("utf-8")
    plugin = next(node for node in ast.parse(source).body
                  if isinstance(node, ast.ClassDef) and node.name == "PersonaCatalogPlugin")
    assert plugin.end_lineno is not None and plugin.end_lineno - plugin.lineno + 1 <= 200


def test_enabled_false_builds_the_site_as_without_the_plugin(build_site: BuildSite) -> None:
    site = build_site({"a.md": persona_text("Alpha Analyst")}, plugin={"enabled": False},
                      docs={"index.md": "# Home\n"})
    assert not (site.site_dir / "personas").exists() and not (site.site_dir / "api").exists()
    assert not (site.site_dir / "search-index").exists()
    assert "persona-catalog" not in site.page("")
    enabled = build_site({"a.md": persona_text("Alpha Analyst")}, docs={"index.md": "# Home\n"})
    assert "Alpha Analyst" in enabled.page("personas/alpha-analyst/")
