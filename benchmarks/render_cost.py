"""Prompt rendering on hostile bodies, as a ratio against an ordinary prompt of the same size (same run).

Run: `.venv/bin/python benchmarks/render_cost.py`. A ratio near 1 means hostile structure costs no more
than prose; the persona size limit (256 KB by default) bounds the absolute cost.
"""

from __future__ import annotations

import time

from persona_catalog import prompt_html

SIZE = 200_000
HOSTILE = {
    "nested brackets": "[" * (SIZE // 5) + "x" + "](y)" * (SIZE // 5),
    "emphasis runs": "*" * (SIZE // 2) + "x" + "*" * (SIZE // 2),
    "nested lists": "\n".join("  " * (i % 300) + "- x" for i in range(SIZE // 300)),
    "nested quotes": "> " * (SIZE // 2),
    "nested divs": "<div>" * (SIZE // 11) + "x" + "</div>" * (SIZE // 11),
    "many links": "[a](https://example.org) " * (SIZE // 25),
}


def seconds(body: str, runs: int = 3) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        prompt_html(body)
        best = min(best, time.perf_counter() - start)
    return best


def main() -> None:
    prose = ("You are a careful assistant. Answer in short paragraphs and cite sources.\n\n" * SIZE)[:SIZE]
    baseline = seconds(prose)
    print(f"baseline: {len(prose)} characters of prose in {baseline * 1000:.1f} ms")
    for name, body in HOSTILE.items():
        print(f"{name:>16}: {len(body):>7} characters, {seconds(body) / baseline:6.2f} x baseline")


if __name__ == "__main__":
    main()
