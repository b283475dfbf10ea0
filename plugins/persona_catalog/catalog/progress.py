"""A long build's log: progress lines at most every few seconds, and the seconds each stage took."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field

INTERVAL = 3.0  # seconds between two progress lines; a stage quicker than this logs none


@dataclass
class Progress:
    """Counts `done` of `total` items (0: not known) and logs `persona-catalog: <verb> done/total <noun>` when
    `INTERVAL` seconds have passed since the stage began or since the last line."""

    log: logging.Logger
    verb: str
    total: int
    noun: str = "pages"
    done: int = 0
    last: float = field(default_factory=time.monotonic)

    def step(self, count: int = 1) -> None:
        self.done += count
        now = time.monotonic()
        if now - self.last >= INTERVAL:
            self.last = now
            done = f"{self.done}/{self.total}" if self.total else str(self.done)
            self.log.info("persona-catalog: %s %s %s", self.verb, done, self.noun)


@dataclass
class Stages:
    """Seconds per named stage of a build, in the order they began."""

    seconds: dict[str, float] = field(default_factory=dict)
    current: str | None = None
    began: float = 0.0

    def start(self, name: str) -> None:
        """End the current stage (if any) and begin `name`."""
        self.stop()
        self.current, self.began = name, time.monotonic()

    def stop(self) -> None:
        if self.current is not None:
            self.seconds[self.current] = self.seconds.get(self.current, 0.0) + time.monotonic() - self.began
            self.current = None

    def __str__(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.seconds.items())
