"""The public face: `import persona_catalog` gives every name of `__all__` without loading MkDocs, and tests,
benchmarks and scripts reach at most 10 internal module paths (the rest through the face)."""

from __future__ import annotations

import ast
import subprocess
import sys

import persona_catalog
from conftest import ROOT

MAX_INTERNAL_PATHS = 10


def test_every_public_name_resolves_and_is_documented() -> None:
    assert len(set(persona_catalog.__all__)) == len(persona_catalog.__all__)
    for name in persona_catalog.__all__:
        assert getattr(persona_catalog, name) is not None, name
    assert persona_catalog.__doc__ and "FIELDS" in persona_catalog.__doc__


def test_importing_the_face_loads_no_engine() -> None:
    code = "import sys, persona_catalog; print(sorted({m.split('.')[0] for m in sys.modules} & {'mkdocs', 'material'}))"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.strip() == "[]"
    code = "import sys, persona_catalog; persona_catalog.main; print('mkdocs' in sys.modules)"
    assert subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout == "True\n"


def internal_paths() -> dict[str, set[str]]:
    """Internal module path -> the files under tests/, benchmarks/ and scripts/ that import from it."""
    found: dict[str, set[str]] = {}
    for folder in ("tests", "benchmarks", "scripts"):
        for path in (ROOT / folder).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text("utf-8"))):
                modules = ([node.module] if isinstance(node, ast.ImportFrom) and node.module
                           else [a.name for a in node.names] if isinstance(node, ast.Import) else [])
                for module in modules:
                    if module.startswith("persona_catalog."):
                        found.setdefault(module, set()).add(path.relative_to(ROOT).as_posix())
    return found


def test_tests_and_benchmarks_use_the_public_face() -> None:
    found = internal_paths()
    listing = "\n".join(f"  {module}: {', '.join(sorted(files))}" for module, files in sorted(found.items()))
    assert len(found) <= MAX_INTERNAL_PATHS, (
        f"{len(found)} internal module paths imported (at most {MAX_INTERNAL_PATHS}); import from `persona_catalog` "
        f"instead, adding the name to its __all__ if it belongs to the public face:\n{listing}")
