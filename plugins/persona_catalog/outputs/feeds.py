"""Atom feeds (RFC 4287) of new and updated personas, built with the standard library's ElementTree.

ElementTree escapes every text and attribute; characters XML 1.0 cannot carry at all (most control
characters) are removed first, since persona fields and commit subjects are untrusted.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from persona_catalog.catalog.model import Persona
from persona_catalog.site.publishing import Publishing
from persona_catalog.site.urls import page_path

ATOM = "http://www.w3.org/2005/Atom"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")

ET.register_namespace("", ATOM)


@dataclass(frozen=True)
class Feed:
    """One feed: its title, its own absolute URL and the absolute URL of the page it follows."""

    title: str
    url: str
    page_url: str
    author: str


def feed_entries(personas: Iterable[Persona], publishing: Publishing, limit: int) -> list[Persona]:
    """The `limit` most recently updated personas, newest first (ties by name)."""
    ordered = sorted(personas, key=lambda p: (p.name.casefold(), p.slug))
    ordered.sort(key=lambda p: publishing.dates(p).updated, reverse=True)
    return ordered[:limit]


def atom_feed(feed: Feed, personas: list[Persona], publishing: Publishing, absolute: Callable[[str], str],
              category_title: Callable[[str], str]) -> bytes:
    """The feed document; `personas` are its entries in order, `absolute` turns a site path into a URL."""
    root = ET.Element(f"{{{ATOM}}}feed")
    _text(root, "title", feed.title)
    _text(root, "id", feed.url)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed.url)
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=feed.page_url)
    newest = publishing.dates(personas[0]).updated if personas else publishing.now
    _text(root, "updated", _iso(newest))
    _text(ET.SubElement(root, f"{{{ATOM}}}author"), "name", feed.author)
    _text(root, "generator", "Persona Catalog")
    for persona in personas:
        dates = publishing.dates(persona)
        url = absolute(page_path(persona.slug))
        entry = ET.SubElement(root, f"{{{ATOM}}}entry")
        _text(entry, "title", persona.name)
        _text(entry, "id", url)
        ET.SubElement(entry, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=url)
        _text(entry, "published", _iso(dates.published))
        _text(entry, "updated", _iso(dates.updated))
        if persona.author:
            _text(ET.SubElement(entry, f"{{{ATOM}}}author"), "name", persona.author)
        ET.SubElement(entry, f"{{{ATOM}}}category", term=_xml(persona.category),
                      label=_xml(category_title(persona.category)))
        _text(entry, "summary", _summary(persona, publishing))
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _summary(persona: Persona, publishing: Publishing) -> str:
    dates = publishing.dates(persona)
    parts = [persona.description]
    if persona.version:
        parts.append(f"Version {persona.version}.")
    if dates.revisions and dates.updated != dates.published:
        parts.append(f"Latest change: {dates.revisions[0].subject}")
    return " ".join(parts)


def _text(parent: ET.Element, tag: str, text: str) -> ET.Element:
    element = ET.SubElement(parent, f"{{{ATOM}}}{tag}")
    element.text = _xml(text)
    return element


def _xml(text: str) -> str:
    return _NOT_XML.sub("", text)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")
