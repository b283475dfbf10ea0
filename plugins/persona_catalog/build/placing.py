"""The pages a build takes from the build cache, copied into the site by a process of its own while the build goes
on (the engine writes none of them). A thread would wait for the build's hold on Python after each file: at 20,000
pages the build waited 6.6 s of its 22 s for such a thread (py-spy). No engine here.

The copies start as soon as the pages the cache likely holds are known (`place`), before the build knows which it
takes (`settle`, once the nav is read): from then on a page not taken is the engine's to write, so it is no longer
copied, and one copied before is said (`strays`) to be removed if the engine writes nothing there. Each file is
checked against the digest naming it; a damaged one stops the build only for a page taken.
"""

from __future__ import annotations

import hashlib
import multiprocessing
import os
import queue as queues
from collections.abc import Container
from pathlib import Path
from typing import Any

CHECK_EVERY = 16  # files copied between two looks for the build's `settle`


class CacheChanged(RuntimeError):
    """A page's file in the cache is not the one written (damaged, or changed by hand)."""


class PagePlacer:
    """Copy pages from the cache's `pages` folder (`<digest>.html`) into the site, in a process of its own."""

    def __init__(self, pages: Path) -> None:
        self.pages = pages
        context = multiprocessing.get_context("spawn")
        self.jobs: multiprocessing.Queue = context.Queue()
        self.answers: multiprocessing.Queue = context.Queue()
        self.jobs.cancel_join_thread()  # a build stopped part way does not wait for the copies it asked for
        self.process = context.Process(target=_copy_pages, args=(self.jobs, self.answers, str(pages)),
                                       name="persona-catalog-cached-pages", daemon=True)
        self.process.start()
        self.taken: frozenset[str] = frozenset()
        self.strays: list[tuple[str, str]] = []  # pages copied before `settle` and not taken: (src_uri, path)

    def place(self, pages: list[tuple[str, str, str]]) -> None:
        """Copy each `(src_uri, digest, destination)` (a file of the site)."""
        self.jobs.put(pages)

    def settle(self, taken: frozenset[str]) -> None:
        """The pages taken: once this returns, no other page is copied."""
        self.taken = taken
        self.jobs.put(taken)
        self.strays = self._answer()

    def finish(self, written: Container[str]) -> None:
        """Wait for the copies; remove those of pages not taken that the engine did not write (`written`: the
        src_uri of every page it wrote). Raises `CacheChanged` for a damaged file of a page taken, and the error
        that stopped a copy."""
        self.jobs.put(None)
        damaged, error = self._answer()
        self.process.join()
        if error:
            raise OSError(f"copying a page from the build cache failed: {error}")
        if broken := sorted(set(damaged) & self.taken):
            raise CacheChanged(f"the build cache {self.pages.parent} holds a damaged file for {broken[0]}; the "
                               "cache is cleared: build again (a full build)")
        for src_uri, path in self.strays:
            if src_uri not in written:
                Path(path).unlink(missing_ok=True)

    def stop(self) -> None:
        """Stop copying (a build that failed)."""
        if self.process.is_alive():
            self.process.kill()
        self.process.join()

    def _answer(self) -> Any:
        """The copying process's next answer (`_copy_pages` says which)."""
        while True:
            try:
                return self.answers.get(timeout=1)
            except queues.Empty:
                if not self.process.is_alive():
                    raise OSError(f"the process copying pages from the build cache exited with "
                                  f"{self.process.exitcode}") from None


def _copy_pages(jobs: multiprocessing.Queue, answers: multiprocessing.Queue, pages: str) -> None:
    """The copying process: pages to copy (lists), then the pages taken (a frozenset: answered with the strays), then
    None (answered with the damaged pages and the first error)."""
    todo: list[tuple[str, str, str]] = []
    taken: frozenset[str] | None = None
    copied: list[tuple[str, str]] = []
    damaged: list[str] = []
    error = ""
    finished = False

    def receive(message: object) -> None:
        nonlocal taken, finished
        if isinstance(message, list):
            todo.extend(message)
        elif isinstance(message, frozenset):
            taken = message
            answers.put([(uri, path) for uri, path in copied if uri not in message])
        else:
            finished = True

    done = 0
    while not finished or done < len(todo):
        if done == len(todo):
            receive(jobs.get())
            continue
        if done % CHECK_EVERY == 0:
            try:
                while True:
                    receive(jobs.get_nowait())
            except queues.Empty:
                pass
        src_uri, name, destination = todo[done]
        done += 1
        if error or (taken is not None and src_uri not in taken):
            continue
        try:
            with open(os.path.join(pages, f"{name}.html"), "rb") as source:
                data = source.read()
        except OSError:
            data = b""
        if hashlib.sha256(data).hexdigest() != name:
            damaged.append(src_uri)
            continue
        try:
            os.makedirs(os.path.dirname(destination), exist_ok=True)
            with open(destination, "wb") as stream:
                stream.write(data)
        except OSError as failure:
            error = f"{destination}: {failure.strerror or failure}"
            continue
        if taken is None:
            copied.append((src_uri, destination))
    answers.put((damaged, error))
