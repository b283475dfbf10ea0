"""Prompts rendered by worker processes during a build: the same HTML as in the build process, whoever made it."""

from __future__ import annotations

import random
import sys
import threading
from pathlib import Path

import pytest
from test_render import PATHOLOGICAL

import persona_catalog.prompt.pool as prompt_pool
from hostile import HIDDEN_BODY
from persona_catalog import PromptPool, prompt_html
from persona_catalog.prompt.pool import CHUNK

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


WORKERS_THAT_FAIL = {
    "cannot-start": None,
    "exits": "#!/bin/sh\nexit 1\n",
    "answers-garbage": "#!/bin/sh\necho I12x\ncat > /dev/null\n",  # and never exits by itself
    "answers-too-little": "#!/bin/sh\nwhile read -r line; do echo '[\"<p>x</p>\"]'; done\n",
    "never-answers": "#!/bin/sh\ncat > /dev/null\n",
}


@pytest.mark.parametrize("script", WORKERS_THAT_FAIL.values(), ids=WORKERS_THAT_FAIL.keys())
def test_a_worker_that_fails_leaves_its_prompts_to_the_build(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                            script: str | None) -> None:
    executable = tmp_path / "python"
    if script is not None:
        executable.write_text(script)
        executable.chmod(0o755)
    monkeypatch.setattr(sys, "executable", str(executable))
    monkeypatch.setattr(prompt_pool, "PATIENCE", 1)
    pool = PromptPool(BODIES, remote_images=False, workers=1)
    answers: list[str] = []
    asking = threading.Thread(target=lambda: answers.extend(pool.html(body) for body in reversed(BODIES)),
                              daemon=True)
    asking.start()
    asking.join(timeout=60)  # a pool that waits for a failed worker would hang here
    pool.close()
    assert not asking.is_alive(), "the page loop waited for a worker that had failed"
    assert answers == [prompt_html(body) for body in reversed(BODIES)]
    assert pool.by_workers == 0


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
