"""Live reload at size: seconds from saving a persona file to `mkdocs serve` serving its updated page, for the
catalog and for plain Material over the same files (the baseline of `scale.py`), in one run.

Run: `nice .venv/bin/python benchmarks/live_reload.py [N] [--edits E] [--serve-args "--dirty"]` (default 1,000
personas, 3 edits). The server waits for a rebuild to finish before it answers, so the time until the page
shows the edit is the time until a browser's live reload shows it.
"""

from __future__ import annotations

import argparse
import os
import re
import shlex
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path
from statistics import median

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale import project, synthetic  # the same catalogs and baseline as the scale benchmark

EDITED = "persona-00007"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            return response.read().decode("utf-8")
    except OSError:
        return ""


def edit_times(folder: Path, source: Path, edits: int, serve_args: list[str]) -> tuple[list[float], str]:
    """Seconds per edit until the served page shows it, and the server's log."""
    port = free_port()
    log = folder / "serve.log"
    with open(log, "w") as out:
        server = subprocess.Popen([sys.executable, "-m", "mkdocs", "serve", "-f", str(folder / "mkdocs.yml"),
                                   "-a", f"127.0.0.1:{port}",
                                   *serve_args], stdout=out, stderr=subprocess.STDOUT, start_new_session=True,
                                  env={**os.environ, "NO_MKDOCS_2_WARNING": "1"})
    url = f"http://127.0.0.1:{port}/personas/{EDITED}/"
    try:
        deadline = time.monotonic() + 600
        while "Serving on" not in log.read_text() or not fetch(url):
            if server.poll() is not None or time.monotonic() > deadline:
                raise SystemExit(f"mkdocs serve did not start:\n{log.read_text()[-2000:]}")
            time.sleep(0.5)
        time.sleep(2)  # let the watcher settle after the first build
        times = []
        text = source.read_text("utf-8")
        for number in range(edits):
            marker = f"Edited for the live reload benchmark, round {number}."
            start = time.monotonic()
            source.write_text(text.replace("\n\n## ", f"\n\n{marker}\n\n## ", 1), "utf-8")
            while marker not in fetch(url):
                if time.monotonic() - start > 300:
                    raise SystemExit(f"the edit did not show within 300 s:\n{log.read_text()[-2000:]}")
                time.sleep(0.05)
            times.append(time.monotonic() - start)
            time.sleep(2)
        source.write_text(text, "utf-8")
        return times, log.read_text()
    finally:
        os.killpg(server.pid, signal.SIGINT)
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(server.pid, signal.SIGKILL)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("count", nargs="?", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=3)
    parser.add_argument("--serve-args", default="", help="extra `mkdocs serve` arguments, e.g. --dirty")
    parser.add_argument("--catalog-only", action="store_true", help="skip the plain Material baseline")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        personas = Path(tmp, "personas")
        personas.mkdir()
        synthetic(personas, args.count)
        for kind in ("catalog",) if args.catalog_only else ("catalog", "baseline"):
            folder = project(kind, personas, Path(tmp, kind))
            source = folder / ("personas" if kind == "catalog" else "docs/personas") / f"{EDITED}.md"
            times, log = edit_times(folder, source, args.edits, shlex.split(args.serve_args))
            results[kind] = times
            stages = re.findall(r"seconds: (.*)", log)
            print(f"{kind}: {', '.join(f'{t:.2f}' for t in times)} s (median {median(times):.2f} s)"
                  + (f"; last rebuild's stages: {stages[-1]}" if stages else ""))
    if "baseline" in results:
        print(f"catalog / plain Material: {median(results['catalog']) / median(results['baseline']):.2f}x "
              f"({args.count} personas, `mkdocs serve {args.serve_args}`)".replace(" )", ")"))


if __name__ == "__main__":
    main()
