"""What a hosted catalog tells about each persona beyond its fields: dates, badges, history links, author
links, licence and the hosted repository's edit and suggestion links. Templates read it as `publishing`."""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from functools import cached_property
from urllib.parse import quote, urlencode, urlsplit

from persona_catalog.catalog.model import Persona
from persona_catalog.site.history import FileDates, History, Revision

GITHUB_HANDLE = re.compile(r"^@?([A-Za-z0-9](?:[A-Za-z0-9]|-(?=[A-Za-z0-9])){0,38})$")
PROFILE_URL = re.compile(r"^https?://[^\s/]+\.[^\s/]+/\S*$")  # an author written as a profile's address
# Personas added within this long of the catalog's first addition came with it (an import), so none is "New".
IMPORT_WINDOW = timedelta(days=1)
HISTORY_SHOWN = 10  # revisions listed on a persona page; the page stays the same size however long the history


@dataclass(frozen=True)
class Repository:
    """The hosted repository (`repo_url`): links to commits and to a new issue on GitHub and GitLab."""

    url: str

    @property
    def host(self) -> str:
        return urlsplit(self.url).hostname or ""

    def _base(self) -> str:
        return self.url.rstrip("/") + "/"

    def commit_url(self, commit: str, path: str | None = None) -> str:
        """The commit's diff; on GitHub scrolled to `path` (its anchor is `diff-` + SHA-256 of the path)."""
        if "gitlab" in self.host:
            return f"{self._base()}-/commit/{commit}"
        url = f"{self._base()}commit/{commit}"
        if path and self.host == "github.com":
            url += "#diff-" + hashlib.sha256(path.encode("utf-8")).hexdigest()
        return url

    def issue_url(self, title: str, body: str) -> str | None:
        """A new issue with title and body filled in, on GitHub or GitLab; None on other hosts."""
        if self.host == "github.com":
            return f"{self._base()}issues/new?{urlencode({'title': title, 'body': body})}"
        if "gitlab" in self.host:
            return f"{self._base()}-/issues/new?{urlencode({'issue[title]': title, 'issue[description]': body})}"
        return None


@dataclass
class Publishing:
    """Per-persona publishing facts for one build; `now` is the build time (MkDocs honours SOURCE_DATE_EPOCH)."""

    history: History
    now: datetime = field(default_factory=lambda: datetime.now(UTC))
    recent_days: int = 30
    repo: Repository | None = None
    license: str | None = None
    author_url: str = ""  # e.g. "https://github.com/{handle}"; "" links only authors written as a URL
    edit_urls: dict[str, str] = field(default_factory=dict)  # slug -> the persona's edit URL (from MkDocs)
    page_urls: dict[str, str] = field(default_factory=dict)  # slug -> the persona page's absolute URL
    _newest: dict[int, tuple[tuple[Persona, ...], datetime | None]] = field(default_factory=dict, repr=False)

    def dates(self, persona: Persona) -> FileDates:
        return self.history.get(persona.source) or FileDates(self.now, self.now)

    def updated(self, personas: tuple[Persona, ...]) -> datetime | None:
        """The newest update among `personas` (for a listing page's `lastmod`), once per collection: every page of
        a listing asks for the same one (at 20,000 personas the all-personas listing's 209 pages each read every
        persona's dates)."""
        if len(personas) == 1:  # a persona page's: not worth keeping
            return self.dates(personas[0]).updated
        kept = self._newest.get(id(personas))
        if kept is None or kept[0] is not personas:  # held, so its id is not another's
            kept = self._newest[id(personas)] = (personas, max((self.dates(p).updated for p in personas), default=None))
        return kept[1]

    def origin(self) -> datetime | None:
        """When the catalog began: its first persona's addition (git, else file time)."""
        return self._origin

    @cached_property
    def _origin(self) -> datetime | None:  # once: `badge` asks for every persona shown
        return min((d.published for d in self.history.files.values()), default=None)

    def badge(self, persona: Persona) -> str | None:
        """"New" when added within the last `recent_days`, but not with the catalog's first personas (a catalog
        imported at once is not all new); "Updated" when changed since its addition within them; else None."""
        if self.recent_days <= 0:
            return None
        dates, since = self.dates(persona), self.now - timedelta(days=self.recent_days)
        origin = self.origin()
        if dates.published >= since and (origin is None or dates.published > origin + IMPORT_WINDOW):
            return "New"
        return "Updated" if dates.updated >= since and dates.updated > dates.published else None

    def revisions(self, persona: Persona) -> tuple[Revision, ...]:
        """The newest revisions; when git never saw the version change, each carries the current version."""
        revisions = self.dates(persona).revisions[:HISTORY_SHOWN]
        if persona.version and not any(r.version for r in self.dates(persona).revisions):
            revisions = tuple(replace(r, version=persona.version) for r in revisions)
        return revisions

    def older_revisions(self, persona: Persona) -> int:
        return max(0, len(self.dates(persona).revisions) - HISTORY_SHOWN)

    def commit_url(self, revision: Revision) -> str | None:
        return self.repo.commit_url(revision.commit, self.history.prefix + revision.path) if self.repo else None

    def author_link(self, author: str | None) -> str | None:
        """The author's profile URL: the author itself when written as an http(s) URL, or `author_url` with the
        handle when one is configured and the author is a handle (`octocat`, `@octocat`). A name that merely looks
        like a handle is no profile: without `author_url` it is not linked (it could be a stranger's account)."""
        if PROFILE_URL.match(author or ""):
            return author
        match = GITHUB_HANDLE.match(author or "")
        return self.author_url.replace("{handle}", quote(match.group(1))) if match and self.author_url else None

    def edit_url(self, persona: Persona) -> str | None:
        return self.edit_urls.get(persona.slug)

    def suggest_url(self, persona: Persona) -> str | None:
        """A new issue on the hosted repository about this persona, with a link to it."""
        if self.repo is None:
            return None
        where = self.page_urls.get(persona.slug) or persona.source
        return self.repo.issue_url(f"Suggestion for persona: {persona.name}",
                                   f"Persona: {where}\nFile: {self.history.prefix}{persona.source}\n\n"
                                   "What should change, and why?\n")


def human_date(moment: datetime) -> str:
    """`2025-03-04` -> `4 March 2025` (English month names whatever the machine's locale)."""
    months = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
              "October", "November", "December")
    return f"{moment.day} {months[moment.month - 1]} {moment.year}"
