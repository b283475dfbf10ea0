"""The search index's shards kept by the build cache (`build.cache`): a shard whose pages are the same as the
last build's is copied, not indexed again."""

from __future__ import annotations

import hashlib
import json
import shutil
from pathlib import Path

MANIFEST = "shards.json"


class ShardCache:
    """The shards of the last build (`<folder>/<n>/`, listed with a digest of the pages each indexed in
    `<folder>/shards.json`): a shard whose pages are the same is copied, not indexed again. Pagefind's output is
    not the same from two runs over the same pages (the order of its filter files differs), so a shard copied is
    the last build's, equivalent to a new one."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        try:
            before = json.loads((folder / MANIFEST).read_text("utf-8"))["shards"]
        except (OSError, ValueError, KeyError, TypeError):
            before = []
        good = isinstance(before, list) and all(
            isinstance(k, list) and len(k) == 2 and all(isinstance(d, str) for d in k) for k in before)
        self.before: list[list[str]] = before if good else []
        self.now: list[list[str]] = []  # [digest of the pages, digest of the files] of each shard made
        self.pages: list[tuple[str, str]] = []  # the pages of the shard being made
        self.digest = hashlib.sha256()

    def add(self, url: str, document: str) -> None:
        self.pages.append((url, document))
        for text in (url, document):
            data = text.encode("utf-8", "surrogatepass")
            self.digest.update(len(data).to_bytes(8, "big") + data)

    def copy(self, number: int, output: Path) -> bool:
        """Copy shard `number` from the cache to `output` if the last build's was made of the same pages."""
        key = self.digest.hexdigest()
        self.now.append([key, ""])
        kept = self.folder / str(number)
        if number >= len(self.before) or self.before[number][0] != key or not kept.is_dir():
            return False
        shutil.rmtree(output, ignore_errors=True)
        shutil.copytree(kept, output)
        self.now[-1][1] = _files_digest(output)
        if self.now[-1][1] != self.before[number][1]:  # changed in the cache: made again
            shutil.rmtree(output)
            return False
        return True

    def keep(self, number: int, output: Path) -> None:
        kept = self.folder / str(number)
        shutil.rmtree(kept, ignore_errors=True)
        shutil.copytree(output, kept)
        self.now[-1][1] = _files_digest(output)

    def next(self) -> None:
        self.pages, self.digest = [], hashlib.sha256()

    def save(self, shards: int) -> None:
        """List the shards of this build (and remove any beyond them)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for stale in self.folder.iterdir():
            if stale.is_dir() and not (stale.name.isdigit() and int(stale.name) < shards):
                shutil.rmtree(stale)
        (self.folder / MANIFEST).write_text(json.dumps({"shards": self.now[:shards]}), "utf-8")


def _files_digest(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(p for p in folder.rglob("*") if p.is_file()):
        name, data = path.relative_to(folder).as_posix().encode(), path.read_bytes()
        digest.update(len(name).to_bytes(8, "big") + name + len(data).to_bytes(8, "big") + data)
    return digest.hexdigest()
