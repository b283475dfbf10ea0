"""Screenshots of the bundled catalog for the README, taken from the built site so they follow the look.

Run: `make screenshots` (or `.venv/bin/python scripts/screenshots.py [--site DIR] [--out DIR]`). It builds the
bundled catalog with this project's `mkdocs.yml` into a temporary folder (or takes an already built `--site`),
serves it on loopback, and captures each view below in headless Chromium (Debian's, at `CHROMIUM_PATH` or
/usr/bin/chromium) in the light and the dark colour scheme (the palette follows `prefers-color-scheme`), at
1280 and 390 px wide, one viewport each, into `docs/assets/screenshots/<view>-<scheme>-<width>.png`.
"""

from __future__ import annotations

import argparse
import os
import shutil
import tempfile
from pathlib import Path

from serving import serve  # beside this script (its folder is on the path when run, and in pytest's pythonpath)

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "assets" / "screenshots"
CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")

# view name -> page and anchor: the page opens scrolled to the anchor, as a visitor following the link sees it.
VIEWS = {
    "home": "",
    "persona-top": "personas/pull-request-reviewer/",
    "persona-prompt": "personas/pull-request-reviewer/#prompt",
    "persona-exports": "personas/pull-request-reviewer/#use-it",
    "tag": "tags/quality/",
    "tag-index": "tags/",
}
SCHEMES = ("light", "dark")
WIDTHS = {1280: 800, 390: 844}  # width -> viewport height (a laptop, a phone)


def build_site(site_dir: Path) -> None:
    """The bundled catalog, built strictly as `make build` does, without a `site_url` (no absolute links)."""
    os.environ.setdefault("NO_MKDOCS_2_WARNING", "1")
    os.environ["SITE_URL"] = ""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    build(load_config(str(ROOT / "mkdocs.yml"), site_dir=str(site_dir), strict=True))


def capture(site_dir: Path, out: Path) -> list[Path]:
    """Serve `site_dir` and write every view, scheme and width as a PNG into `out`."""
    from playwright.sync_api import sync_playwright

    base, stop = serve(site_dir)
    out.mkdir(parents=True, exist_ok=True)
    written = []
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            for scheme in SCHEMES:
                for width, height in WIDTHS.items():
                    context = browser.new_context(viewport={"width": width, "height": height},
                                                  color_scheme=scheme, reduced_motion="reduce")
                    page = context.new_page()
                    for name, path in VIEWS.items():
                        page.goto(base + path, wait_until="networkidle")
                        page.evaluate("document.fonts.ready")
                        target = out / f"{name}-{scheme}-{width}.png"
                        page.screenshot(path=str(target), animations="disabled", caret="hide")
                        written.append(target)
                    context.close()
            browser.close()
    finally:
        stop()
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--site", type=Path, help="an already built site (default: build the bundled catalog)")
    parser.add_argument("--out", type=Path, default=OUT, help=f"output folder (default: {OUT.relative_to(ROOT)})")
    args = parser.parse_args()
    temporary = None
    site = args.site
    if site is None:
        temporary = Path(tempfile.mkdtemp(prefix="persona-catalog-screenshots-"))
        site = temporary / "site"
        build_site(site)
    try:
        for path in capture(site, args.out):
            print(f"{path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}  {path.stat().st_size:,} bytes")
    finally:
        if temporary is not None:
            shutil.rmtree(temporary, ignore_errors=True)


if __name__ == "__main__":
    main()
