"""Prompts rendered by worker processes during a build: the same HTML as in the build process, whoever made it."""

from __future__ import annotations

import random
import sys
from pathlib import Path

import pytest

from hostile import HIDDEN_BODY
from persona_catalog.prompt import prompt_html
from persona_catalog.prompt_pool import CHUNK, PromptPool
from test_render import PATHOLOGICAL

BODIES = ([f"# Role {i}\n\nYou review **{i}** things.\n\n- a [link](https://example.com/{i})\n- `code`"
           for i in range(12 * CHUNK)] + [HIDDEN_BODY, *PATHOLOGICAL.values()])


def _wait_for_workers(pool: PromptPool) -> None:
    with pool.changed:  # the workers start from the back: wait until they have done some of it
        assert pool.changed.wait_for(lambda: pool.by_workers >= 2, timeout=60)


def test_each_prompt_gets_the_html_the_build_process_makes(tmp_path: Path) -> None:
    pool = PromptPool(BODIES + BODIES[:5], remote_images=False, workers=2)  # the same body twice counts once
    _wait_for_workers(pool)
    order = BODIES[:]
    random.Random(1).shuffle(order)
    try:
        assert [pool.html(body) for body in order] == [prompt_html(body) for body in order]
        assert pool.html(BODIES[0]) == prompt_html(BODIES[0])  # asked again: made at once
    finally:
        pool.close()


def test_remote_images_reach_the_workers() -> None:
    bodies = [f"![logo {i}](https://example.com/{i}.png)" for i in range(8 * CHUNK)]
    pool = PromptPool(bodies, remote_images=True, workers=1)
    _wait_for_workers(pool)
    try:
        assert pool.html(bodies[-1]) == prompt_html(bodies[-1], remote_images=True)
        assert "<img" in pool.html(bodies[-1 - CHUNK])
    finally:
        pool.close()


@pytest.mark.parametrize("executable", ["/nonexistent/python", "/bin/false"], ids=["cannot-start", "exits"])
def test_a_worker_that_fails_leaves_its_prompts_to_the_build(monkeypatch: pytest.MonkeyPatch,
                                                            executable: str) -> None:
    monkeypatch.setattr(sys, "executable", executable)
    pool = PromptPool(BODIES, remote_images=False, workers=1)
    try:
        assert [pool.html(body) for body in reversed(BODIES)] == [prompt_html(b) for b in reversed(BODIES)]
        assert pool.by_workers == 0
    finally:
        pool.close()


def test_a_build_with_workers_writes_the_same_pages(build_site, caplog: pytest.LogCaptureFixture) -> None:  # type: ignore[no-untyped-def]
    personas = {f"p{i:03d}.md": f"---\nname: Persona {i}\ncategory: dev\n---\n\n{body}\n"
                for i, body in enumerate(BODIES[:8 * CHUNK])}
    alone = build_site(personas, plugin={"concurrency": 0, "search": False})
    pages = {p.relative_to(alone.site_dir): p.read_bytes() for p in (alone.site_dir / "personas").rglob("*.html")}
    with caplog.at_level("DEBUG", logger="mkdocs.plugins.persona_catalog"):
        together = build_site(None, plugin={"concurrency": 2, "search": False})  # the same files, untouched
    assert "chunks of prompts rendered by 2 worker process(es)" in caplog.text
    assert len(pages) == 8 * CHUNK
    assert {p: (together.site_dir / p).read_bytes() for p in pages} == pages
