"""The site's own settings checked like content: its address (`site_url`) and its category icons.

- `site_url` must be an absolute `http` or `https` address with a host, no query, no fragment, no user name
  or password, and no space, control or invisible character: every absolute URL of the site (sitemap,
  feeds, canonical links, `llms.txt`, the API) is built from it.
- A category `icon` names an icon of the theme's icon sets (`material/code-braces`, `fontawesome/brands/github`):
  lowercase letters, digits, hyphens and underscores in `/`-separated parts, resolved inside a theme folder's `.icons`
  (never an absolute path, `..`, or a link out of it).
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable
from urllib.parse import urlsplit

from persona_catalog.catalog.characters import escape_invisible, hidden_characters
from persona_catalog.catalog.files import inside

_UNSAFE = "\"<>\\^`{|}"  # not allowed unencoded in a URL (RFC 3986), nor safe in HTML or XML
ICON_NAME = re.compile(r"[a-z0-9]+(?:[-_][a-z0-9]+)*(?:/[a-z0-9]+(?:[-_][a-z0-9]+)*)+")


def site_url_problem(url: str) -> str | None:
    """Why `url` cannot be the site's address, or None when it can."""
    shown = escape_invisible(url)
    if any(char.isspace() or char in _UNSAFE for char in url) or hidden_characters(url):
        return f"'{shown}' holds a space, a control or invisible character, or one of {_UNSAFE}"
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 (raises for a port that is not a number)
    except ValueError as exc:
        return f"'{shown}' is not a URL ({exc})"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"'{shown}' is not an absolute http:// or https:// address with a host"
    if "?" in url or "#" in url:
        return f"'{shown}' has a query or a fragment ('?' or '#'), which every URL of the site would carry"
    if "@" in parts.netloc:
        return f"'{shown}' carries a user name or password"
    return None


def theme_icon(directories: Iterable[str], icon: str) -> str | None:
    """The SVG of the theme icon named `icon`, found in the first `<directory>/.icons` holding it; None when the
    name is not an icon name or no icon set holds it inside itself."""
    if not ICON_NAME.fullmatch(icon):
        return None
    for directory in directories:
        icons = os.path.realpath(os.path.join(directory, ".icons"))
        path = os.path.realpath(os.path.join(icons, f"{icon}.svg"))
        if inside(path, icons) and os.path.isfile(path):
            with open(path, encoding="utf-8") as handle:
                svg = handle.read()
            return svg.replace("<svg ", '<svg aria-hidden="true" focusable="false" ', 1)
    return None
