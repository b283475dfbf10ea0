"""Prompts rendered on the machine's other cores while MkDocs renders pages on one.

A prompt's HTML (`prompt.prompt_html`) is the largest cost of a persona page and a pure function of its body, so
`mkdocs build` hands prompts to worker processes (`python -m persona_catalog.prompt.pool`, one chunk of prompts at
a time over a pipe, as a line of JSON each way). The page loop takes prompts from the front of the catalog and the workers from the back: a
chunk no worker has taken yet is rendered by the page loop itself, so neither waits for work the other could do,
and a worker that cannot start or fails only means that its chunks are rendered in the build process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Sequence
from typing import IO

from persona_catalog.prompt.html import prompt_html

CHUNK = 16  # prompts per hand-over: enough that the pipe costs little, few enough to share the work evenly
PATIENCE = 60  # seconds the page loop waits for a worker's chunk before making it itself
_QUEUED, _TAKEN, _DONE = range(3)


def default_concurrency() -> int:
    """Workers beside the build process: one for each core it may use but the build's own, at most two (with
    two, the page loop renders no prompt itself; more would only wait)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)
    return min(max(cores - 1, 0), 2)


def render_chunk(bodies: Sequence[str], remote_images: bool) -> list[str]:
    """The HTML of each prompt in `bodies`."""
    return [prompt_html(body, remote_images) for body in bodies]


class PromptPool:
    """Prompt HTML for `bodies` (in the order the pages will ask for them), made ahead by `workers` processes.

    `html(body)` gives a prompt's HTML once; a body it was not given, or asked for again, is rendered at once.
    """

    def __init__(self, bodies: Sequence[str], remote_images: bool, workers: int) -> None:
        self.remote_images = remote_images
        unique = list(dict.fromkeys(bodies))
        self.chunks = [unique[start:start + CHUNK] for start in range(0, len(unique), CHUNK)]
        self.chunk_of = {body: index for index, chunk in enumerate(self.chunks) for body in chunk}
        self.state = [_QUEUED] * len(self.chunks)
        self.results: dict[int, list[str] | None] = {}  # a finished chunk's HTML (None: its worker failed)
        self.ready: dict[str, str] = {}  # prompts of chunks already taken from `results`, not yet asked for
        self.by_workers = 0  # chunks the workers have rendered
        self.changed = threading.Condition()
        self.processes: list[subprocess.Popen[str]] = []
        self.threads = [threading.Thread(target=self._work, daemon=True)
                        for _ in range(min(workers, len(self.chunks) // 4))]  # a few chunks: not worth a process
        for thread in self.threads:
            thread.start()

    def html(self, body: str) -> str:
        """The prompt's HTML: from a worker when one has rendered or is rendering it, else made here."""
        if body in self.ready:
            return self.ready.pop(body)
        index = self.chunk_of.pop(body, None)
        if index is None:
            return prompt_html(body, self.remote_images)
        with self.changed:
            if self.state[index] == _QUEUED:
                self.state[index] = _DONE
                rendered = None
            elif self.changed.wait_for(lambda: self.state[index] == _DONE, timeout=PATIENCE):
                rendered = self.results.pop(index, None)
            else:  # the worker is stuck: its chunk is made here, and whatever it answers later is dropped
                self.state[index] = _DONE
                rendered = None
        chunk = self.chunks[index]
        if rendered is None:
            rendered = render_chunk(chunk, self.remote_images)
        for other, html in zip(chunk, rendered):
            if other != body and self.chunk_of.pop(other, None) is not None:
                self.ready[other] = html
        return rendered[chunk.index(body)]

    def close(self) -> None:
        """Let the workers end (after the chunk each is rendering); prompts not yet asked for are dropped."""
        with self.changed:
            self.state = [_DONE if state == _QUEUED else state for state in self.state]
            for process in self.processes:  # a stuck worker is not waited for
                process.kill()
        for thread in self.threads:
            thread.join()
        self.ready.clear()
        self.results.clear()

    def _take(self) -> int | None:
        """The last chunk no one has taken, now taken by the calling worker."""
        with self.changed:
            for index in reversed(range(len(self.state))):
                if self.state[index] == _QUEUED:
                    self.state[index] = _TAKEN
                    return index
        return None

    def _work(self) -> None:
        """One worker process, fed chunks from the back until none is left or it fails."""
        try:  # -P: nothing from the working directory shadows a module in the worker
            process = subprocess.Popen([sys.executable, "-P", "-m", __name__], stdin=subprocess.PIPE,
                                       stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
                                       encoding="utf-8")
        except OSError:  # no processes here (a sandbox): the page loop renders every chunk
            return
        with self.changed:
            self.processes.append(process)
        try:
            while (index := self._take()) is not None:
                rendered = None
                try:
                    rendered = self._ask(process, self.chunks[index])
                finally:  # whatever happened, the page loop stops waiting for this chunk
                    with self.changed:
                        if self.state[index] == _TAKEN:
                            self.results[index] = rendered
                            self.state[index] = _DONE
                            self.by_workers += rendered is not None
                            self.changed.notify_all()
                if rendered is None:
                    break
        finally:
            process.kill()
            process.communicate()

    def _ask(self, process: subprocess.Popen[str], chunk: list[str]) -> list[str] | None:
        """The worker's HTML for `chunk`; None when it has failed or answers anything else."""
        assert process.stdin is not None and process.stdout is not None
        try:
            process.stdin.write(json.dumps([chunk, self.remote_images]) + "\n")
            process.stdin.flush()
            answer = json.loads(process.stdout.readline())
        except (OSError, ValueError):  # a dead worker, or a line that is not its answer
            return None
        if isinstance(answer, list) and len(answer) == len(chunk) and all(isinstance(h, str) for h in answer):
            return answer
        return None


def serve(requests: IO[str], answers: IO[str]) -> None:
    """A worker: for each line `[bodies, remote_images]` read from `requests`, a line of their HTML (JSON)."""
    for line in requests:
        bodies, remote_images = json.loads(line)
        answers.write(json.dumps(render_chunk(bodies, remote_images)) + "\n")
        answers.flush()


if __name__ == "__main__":
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    sys.stdout.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    serve(sys.stdin, sys.stdout)
