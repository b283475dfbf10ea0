"""Search cost: the project's own index against Material's lunr search over the same files, in one run.

Run: `nice .venv/bin/python benchmarks/search_cost.py [--engines ours,lunr] [N ...]` (default sizes: 500 and
5000 personas; engines: ours and lunr up to 5,000 personas, ours alone above, where lunr's index of hundreds of
MB is beside the point; needs Chromium, see tests/conftest.py). For each size it builds the synthetic catalog of
`scale.py` as shipped (ours) and with Material's `search` plugin added (lunr), serves each over HTTP on
loopback and, in a fresh headless Chromium context, opens a persona page, waits until the network is idle,
then types a persona's name into the header search box and waits for that persona's result; once typing 80 ms
per key (a fast typist), once 200 ms per key (an average one), each in a fresh browser context; then a
two-word topic query (`TOPIC`) at 80 ms per key, until its first result. Reported per engine:

- index: bytes on disk of the search index (lunr: `search_index.json`; ours: the whole `search-index/` folder);
- page load: search bytes fetched while a page loads, before any key is pressed;
- to first result: bytes fetched from the first key press until the result is shown (uncompressed, as
  served; gzip: the same files gzipped, roughly what a real host sends);
- latency: from the last key press to the result on screen, at 80 and at 200 ms per key;
- build: build seconds, and what search adds to the build against the same site built with no search at all
  (`search: false`), also in the same run (with `--plain`). Ours indexes in its own process while the pages
  render, so it adds less than its own running time.
Ratios are ours / lunr from the same run. Each size has a browser of its own (`--disable-dev-shm-usage`: the
20,000-persona run of an earlier version crashed a shared Chromium under load).
"""

from __future__ import annotations

import functools
import gzip
import http.server
import logging
import shutil
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

import yaml
from mkdocs.commands.build import build
from mkdocs.config import load_config
from mkdocs.utils.yaml import yaml_load
from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import ROOT, synthetic  # the same synthetic catalog as the scale benchmark

CHROMIUM = "/usr/bin/chromium"


# A two-word topic query (two words of scale.py's vocabulary, on many personas): what a visitor types who knows
# what they need but not a name.
TOPIC = "kubernetes incident"


@dataclass
class Run:
    engine: str
    index_bytes: int
    load_bytes: int
    query_bytes: int
    query_gzip: int
    latency_ms: float
    latency_slow_ms: float
    build_s: float
    plain_s: float
    topic_bytes: int  # the two-word topic query (TOPIC): first key to its first result
    topic_gzip: int
    topic_ms: float


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def build_site(project: Path, personas: Path, engine: str) -> tuple[Path, float]:
    """Build the catalog in `personas` into `project/site` with `engine` (lunr, ours or none)."""
    shutil.rmtree(project, ignore_errors=True)
    shutil.copytree(ROOT / "docs", project / "docs")
    shutil.copytree(ROOT / "overrides", project / "overrides")
    shutil.copytree(personas, project / "personas")  # the build refuses a personas folder that links outside the project
    with (ROOT / "mkdocs.yml").open(encoding="utf-8") as file:
        config = yaml_load(file)  # MkDocs' loader: mkdocs.yml uses !ENV, which yaml.safe_load refuses
    if engine == "lunr":
        config["plugins"].insert(0, "search")
    if engine == "none":
        next(p for p in config["plugins"] if isinstance(p, dict))["persona-catalog"]["search"] = False
    (project / "mkdocs.yml").write_text(yaml.safe_dump(config, sort_keys=False), "utf-8")
    start = time.perf_counter()
    build(load_config(str(project / "mkdocs.yml"), site_dir=str(project / "site")))
    return project / "site", time.perf_counter() - start


def measure(browser, site: Path, query: str, result: str, pause_ms: int) -> tuple[int, int, int, float]:  # type: ignore[no-untyped-def]
    """Bytes on page load, bytes and gzip bytes from the first key of `query` to the `result` (a CSS selector) on
    screen, and the latency after the last key."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    context = browser.new_context()
    page = context.new_page()
    fetched: list[tuple[float, str]] = []
    page.on("request", lambda request: fetched.append((time.perf_counter(), request.url)))
    try:
        page.goto(f"{base}personas/persona-00001/")
        page.wait_for_load_state("networkidle")
        loaded = [url for _, url in fetched]
        page.locator("input.md-search__input").click()
        first_key = time.perf_counter()
        for char in query:
            page.keyboard.press(char if char != " " else "Space")
            page.wait_for_timeout(pause_ms)
        last_key = time.perf_counter() - pause_ms / 1000
        page.locator(result).first.wait_for(timeout=180_000)
        latency = (time.perf_counter() - last_key) * 1000
        during = [url for when, url in fetched if when >= first_key]
    finally:
        context.close()
        server.shutdown()
        server.server_close()

    def files(urls: list[str]) -> list[Path]:
        paths = [site / unquote(urlparse(url).path).lstrip("/") for url in urls if url.startswith(base)]
        return [p / "index.html" if p.is_dir() else p for p in paths if p.exists()]

    search = [p for p in files(loaded) if "search" in p.name or "search-index" in p.parts]
    query = files(during)
    return (sum(p.stat().st_size for p in search), sum(p.stat().st_size for p in query),
            sum(len(gzip.compress(p.read_bytes())) for p in query), latency)


def run(tmp: Path, size: int, engines: list[str], plain: bool) -> list[Run]:
    personas = tmp / f"personas-{size}"
    personas.mkdir()
    synthetic(personas, size)
    target = size // 2 + 7
    slug, name = f"persona-{target:05d}", f"Persona {target:05d}"
    plain_s = 0.0
    if plain:
        site, plain_s = build_site(tmp / f"none-{size}", personas, "none")
        shutil.rmtree(site)
    runs = []
    for engine in engines:
        site, build_s = build_site(tmp / f"{engine}-{size}", personas, engine)
        print(f"{size} personas, {engine}: built in {build_s:.1f} s", file=sys.stderr, flush=True)
        index = (site / "search" / "search_index.json",) if engine == "lunr" else \
            tuple(p for p in (site / "search-index").rglob("*") if p.is_file())
        found = f".md-search-result__item a[href*='personas/{slug}/']"
        with sync_playwright() as playwright:  # a browser for each site: a fresh one, whatever the last did
            browser = playwright.chromium.launch(executable_path=CHROMIUM,
                                                 args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"])
            load, query, query_gz, latency = measure(browser, site, name, found, 80)
            slow = measure(browser, site, name, found, 200)[3]
            _, topic, topic_gz, topic_ms = measure(browser, site, TOPIC, ".md-search-result__item a[href*='personas/']",
                                                   80)
            browser.close()
        runs.append(Run(engine, sum(p.stat().st_size for p in index), load, query, query_gz, latency, slow,
                        build_s, plain_s, topic, topic_gz, topic_ms))
        shutil.rmtree(site)
    return runs


def table(results: dict[int, list[Run]]) -> str:
    kb = lambda n: f"{n / 1024:,.0f} KB" if n < 10 * 1024 * 1024 else f"{n / 1024 / 1024:,.1f} MB"  # noqa: E731
    lines = ["| personas | engine | index on disk | search bytes on page load | name: first key → result (gzip) "
             "| name: latency after last key (80 / 200 ms per key) | topic: first key → result (gzip), latency "
             "| page load + first result (name / topic) | build | search adds to build |",
             "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"]
    for size, runs in results.items():
        for r in runs:
            share = f"{r.build_s / r.plain_s - 1:+.0%} (of {r.plain_s:.1f} s)" if r.plain_s else "not measured"
            lines.append(f"| {size:,} | {r.engine} | {kb(r.index_bytes)} | {kb(r.load_bytes)} | "
                         f"{kb(r.query_bytes)} ({kb(r.query_gzip)}) | {r.latency_ms:,.0f} / {r.latency_slow_ms:,.0f} ms | "
                         f"{kb(r.topic_bytes)} ({kb(r.topic_gzip)}), {r.topic_ms:,.0f} ms | "
                         f"{kb(r.load_bytes + r.query_bytes)} / {kb(r.load_bytes + r.topic_bytes)} | "
                         f"{r.build_s:.1f} s | {share} |")
        by = {r.engine: r for r in runs}
        if "lunr" in by and "ours" in by:
            ours, lunr = by["ours"], by["lunr"]
            ratio = lambda a, b: f"{a / b:.3f}×" if b else "n/a"  # noqa: E731
            lines.append(f"| {size:,} | **ratio** | {ratio(ours.index_bytes, lunr.index_bytes)} | "
                         f"{ratio(ours.load_bytes, lunr.load_bytes)} | "
                         f"{ratio(ours.query_bytes + ours.load_bytes, lunr.query_bytes + lunr.load_bytes)} "
                         f"(incl. page load) | {ratio(ours.latency_ms, lunr.latency_ms)} / "
                         f"{ratio(ours.latency_slow_ms, lunr.latency_slow_ms)} | "
                         f"{ratio(ours.topic_bytes + ours.load_bytes, lunr.topic_bytes + lunr.load_bytes)}, "
                         f"{ratio(ours.topic_ms, lunr.topic_ms)} | | {ratio(ours.build_s, lunr.build_s)} | |")
    return "\n".join(lines)


def main(arguments: list[str]) -> None:
    logging.getLogger("mkdocs").setLevel(logging.ERROR)
    engines, plain = None, "--plain" in arguments
    if "--engines" in arguments:
        at = arguments.index("--engines")
        engines = arguments[at + 1].split(",")
        del arguments[at:at + 2]
    sizes = [int(a) for a in arguments if a != "--plain"] or [500, 5000]
    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for size in sizes:
            chosen = engines or (["lunr", "ours"] if size <= 5000 else ["ours"])
            results[size] = run(Path(folder), size, chosen, plain)
            print(f"{size} personas done", file=sys.stderr, flush=True)
            print(table({size: results[size]}), file=sys.stderr, flush=True)
    print(table(results))


if __name__ == "__main__":
    main(sys.argv[1:])
