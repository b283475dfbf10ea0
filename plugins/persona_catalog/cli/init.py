"""`persona-catalog init DIR`: a new catalog that builds at once, from the templates in `templates/init/`.

It writes the site's configuration (the plugin, Material, starter categories, `site_url`), one example persona
that passes lint, the home page, a README with the catalog's two commands, a `.gitignore`, a `requirements.txt`
pinning this package, and a GitHub Pages workflow that runs the catalog's own checks. A folder that is not empty
is refused, with nothing written, unless `--force` (which still never replaces a file). Nothing is written
outside the folder, or through a link.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html import escape
from importlib.metadata import PackageNotFoundError, version
from importlib.resources import files as package_files
from pathlib import Path
from string import Template
from urllib.parse import urlsplit

from persona_catalog.catalog.characters import escape_invisible, has_visible, hidden_characters
from persona_catalog.catalog.files import write_atomic

DEFAULT_TITLE = "Persona Catalog"
PREVIEW_URL = "http://127.0.0.1:8000/"  # `mkdocs serve`'s address: a new catalog builds before it has a host
MAX_TITLE = 100


@dataclass(frozen=True)
class CatalogFile:
    """One file of a new catalog: its template in `templates/init/`, where it goes, and whether it has
    `$placeholders` (`$$` is a dollar sign) or is copied as it is."""

    source: str
    target: str
    filled: bool = False


FILES = (
    CatalogFile("mkdocs.yml", "mkdocs.yml", filled=True),
    CatalogFile("index.md", "docs/index.md", filled=True),
    CatalogFile("example-persona.md", "personas/writing/plain-language-editor.md"),
    CatalogFile("README.md", "README.md", filled=True),
    CatalogFile("requirements.txt", "requirements.txt", filled=True),
    CatalogFile("gitignore", ".gitignore"),
    CatalogFile("publish.yml", ".github/workflows/publish.yml"),
)


class Invalid(ValueError):
    """An answer or option that cannot be used, with what to give instead."""


def add_parser(commands: argparse._SubParsersAction) -> None:
    init = commands.add_parser("init", help="start a new catalog in a folder: configuration, an example persona, "
                                            "home page, README, publishing workflow",
                               description="Write a new catalog into DIR that `mkdocs serve` and `mkdocs build "
                                           "--strict` build at once. Asks for what is missing when run in a "
                                           "terminal. Refuses a folder that is not empty unless --force.")
    init.add_argument("dir", nargs="?", type=Path, help="the folder of the new catalog (created if missing)")
    init.add_argument("--name", help=f"the site's title (default: {DEFAULT_TITLE})")
    init.add_argument("--site-url", help=f"the address the site will be served from (default: {PREVIEW_URL}; "
                                         "the publishing workflow sets the GitHub Pages address)")
    init.add_argument("--repo-url", help="the catalog's repository, for edit and history links (default: none)")
    init.add_argument("--force", action="store_true",
                      help="write into a folder that is not empty (files already there are kept, never replaced)")


def check_title(text: str) -> str:
    title = text.strip()
    if "\n" in title or hidden_characters(title):
        raise Invalid("the title must be one line without control or invisible characters")
    if not has_visible(title) or len(title) > MAX_TITLE:
        raise Invalid(f"the title must have 1 to {MAX_TITLE} visible characters")
    return title


def check_url(text: str, what: str) -> str:
    """An http(s) address with a host, ending in `/` for `site_url` as MkDocs wants it."""
    url = text.strip()
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or hidden_characters(url) or " " in url:
        raise Invalid(f"the {what} must be an http:// or https:// address, e.g. https://you.github.io/catalog/")
    return url if what != "site address" or url.endswith("/") else url + "/"


def check_dir(path: Path, force: bool) -> Path:
    if path.exists() and not path.is_dir():
        raise Invalid(f"{path} exists and is not a folder")
    if path.is_dir() and any(path.iterdir()) and not force:
        raise Invalid(f"{path} is not empty; choose a new or empty folder, or add --force to add the catalog's "
                      "files beside what is there (none is replaced)")
    return path


@dataclass(frozen=True)
class Answers:
    folder: Path
    title: str
    site_url: str
    repo_url: str | None


def gather(args: argparse.Namespace, ask: Callable[[str], str] | None) -> Answers:
    """The values from the options; in a terminal (`ask`), each missing one is asked for, again until the answer
    is valid (Enter takes the default shown in brackets)."""
    def value(given: str | None, question: str, check: Callable[[str], object], default: str) -> object:
        if given is not None:
            return check(given)
        while ask is not None:
            try:
                return check(ask(question).strip() or default)
            except Invalid as exc:
                print(f"  {escape_invisible(str(exc))}", file=sys.stderr)
        return check(default)

    if args.dir is None and ask is None:
        raise Invalid("give the folder of the new catalog: persona-catalog init DIR (or run it in a terminal)")
    folder = value(None if args.dir is None else str(args.dir), "Folder of the new catalog: ",
                   lambda text: check_dir(Path(text), args.force) if text else _no_folder(), "")
    title = value(args.name, f"Site title [{DEFAULT_TITLE}]: ", check_title, DEFAULT_TITLE)
    site_url = value(args.site_url, f"Address it will be served from [{PREVIEW_URL}]: ",
                     lambda text: check_url(text, "site address"), PREVIEW_URL)
    repo_url = value(args.repo_url, "Its repository, e.g. https://github.com/you/catalog [none]: ",
                     lambda text: check_url(text, "repository address") if text else None, "")
    assert isinstance(folder, Path) and isinstance(title, str) and isinstance(site_url, str)
    return Answers(folder, title, site_url, repo_url if isinstance(repo_url, str) else None)


def _no_folder() -> Path:
    raise Invalid("give a folder")


def placeholders(answers: Answers) -> dict[str, str]:
    """What the templates' `$names` stand for, quoted for where they appear (YAML values as JSON, which is valid
    YAML; Markdown with HTML escaped)."""
    try:
        pinned = version("persona-catalog")
    except PackageNotFoundError:  # run from a source tree that was never installed
        pinned = "0.1.0"
    return {"site_name": json.dumps(answers.title, ensure_ascii=False), "site_url": json.dumps(answers.site_url),
            "repo_url": json.dumps(answers.repo_url),
            "edit_uri": json.dumps("edit/main/docs/" if answers.repo_url else None),
            "title": escape(answers.title, quote=False), "version": pinned}


def render(answers: Answers) -> dict[str, bytes]:
    """Every file of the new catalog by its path in the folder."""
    values = placeholders(answers)
    folder = package_files("persona_catalog.cli").joinpath("templates", "init")
    rendered = {}
    for template in FILES:
        text = folder.joinpath(template.source).read_text("utf-8")
        rendered[template.target] = (Template(text).substitute(values) if template.filled else text).encode()
    return rendered


def run_init(args: argparse.Namespace, ask: Callable[[str], str] | None = None) -> int:
    if ask is None and sys.stdin.isatty():
        ask = input
    try:
        answers = gather(args, ask)
    except Invalid as exc:
        print(f"persona-catalog: error: {escape_invisible(str(exc))}", file=sys.stderr)
        return 2
    files = render(answers)
    root = answers.folder
    kept = [target for target in files if os.path.lexists(root / target)]
    written, refused = [], []
    root.mkdir(parents=True, exist_ok=True)
    for target, data in files.items():
        if target in kept:
            continue
        reason = write_atomic(root / target, data, root, create=True)
        (refused.append(f"{target} ({reason})") if reason else written.append(target))
    shown = escape_invisible(str(root))
    for target in written:
        print(f"wrote {shown}/{target}")
    for target in kept:
        print(f"kept {shown}/{target} (already there)")
    if refused:
        print(f"persona-catalog: error: not written: {', '.join(refused)}", file=sys.stderr)
        return 1
    print(f"\nA new catalog in {shown}. Next:\n"
          f"  cd {shown}\n"
          "  persona-catalog lint && mkdocs build --strict   # check the personas, build the site into site/\n"
          "  mkdocs serve                                    # preview it at http://127.0.0.1:8000")
    return 0
