"""The zip writer (exports/zipping.py) and the site's zips: byte for byte what Python's zipfile writes for the same
files, read back clean by zipfile and by Info-ZIP's `unzip -t`, ZIP64 where offsets or counts need it."""

from __future__ import annotations

import io
import os
import shutil
import subprocess
import zipfile
import zlib
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import Site, persona_text, write_and_build
from persona_catalog import API_ROOT, FORMATS, export_file, export_parts, load_catalog
from persona_catalog.exports import zip_bytes, zipping


def stdlib_zip(files: dict[str, bytes]) -> bytes:
    """What the site's zips were before they had their own writer: zipfile, each entry compressed as it is written
    (sorted, dated 1980-01-01, Unix mode 0644, DEFLATE)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.create_system = 3
            info.external_attr = 0o644 << 16
            archive.writestr(info, files[name])
    return buffer.getvalue()


def unpacked(data: bytes) -> dict[str, bytes]:
    """The archive's files, after zipfile's own check of every member's CRC."""
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.testzip() is None
        return {name: archive.read(name) for name in archive.namelist()}


def unzip_test(path: Path) -> None:
    """Info-ZIP's integrity test (CRCs, headers, central directory) passes without a warning."""
    if shutil.which("unzip") is None:  # .ci/run installs it
        reason = "needs Info-ZIP unzip (Debian package 'unzip') to check the zips with a second reader"
        pytest.fail(reason) if os.environ.get("CI") else pytest.skip(reason)
    result = subprocess.run(["unzip", "-tq", str(path)], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("No errors detected"), result.stdout + result.stderr


NAMES = st.text(st.characters(blacklist_characters="\x00", blacklist_categories=("Cs",)), min_size=1, max_size=40)


@given(st.dictionaries(NAMES, st.binary(max_size=3000) | st.text(max_size=3000).map(str.encode), max_size=12))
@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
def test_the_writer_gives_zipfile_s_bytes(files: dict[str, bytes]) -> None:
    written = zip_bytes(files)
    assert written == stdlib_zip(files)
    assert unpacked(written) == files


def test_a_compressed_file_goes_into_several_zips_unchanged(tmp_path: Path) -> None:
    prompt = "You are a careful reviewer.\n\n" + "Check every line, twice.\n" * 300
    once = zipping.deflate(prompt.encode())
    assert once.crc == zlib.crc32(prompt.encode()) and once.size == len(prompt.encode())
    assert zlib.decompress(once.data, -15) == prompt.encode()
    for members in ([(".claude/agents/a.md", once)], [("x/agents/a.md", once), ("x/agents/b.md", once)]):
        data = zipping.zip_archive(members)
        assert data == stdlib_zip({name: prompt.encode() for name, _ in members})
        (tmp_path / "a.zip").write_bytes(data)
        unzip_test(tmp_path / "a.zip")


def test_more_entries_than_a_zip_counts_take_zip64_end_records(tmp_path: Path) -> None:
    files = {f"agents/{i:05x}.md": f"{i}\n".encode() for i in range(zipping.COUNT_LIMIT + 2)}
    data = zip_bytes(files)
    assert b"PK\x06\x06" in data[-200:] and b"PK\x06\x07" in data[-200:]  # ZIP64 end record and its locator
    assert data == stdlib_zip(files)
    assert unpacked(data) == files
    (tmp_path / "many.zip").write_bytes(data)
    unzip_test(tmp_path / "many.zip")


def test_offsets_past_the_limit_take_zip64_fields(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """As CPython's own tests do for zipfile's ZIP64_LIMIT: a low limit takes the ZIP64 path with small files."""
    monkeypatch.setattr(zipping, "ZIP64_LIMIT", 600)
    files = {f"{i}.md": bytes(range(i, 256)) * 4 for i in range(12)}
    data = zip_bytes(files)
    assert b"PK\x06\x06" in data and data.count(b"\x01\x00\x08\x00") >= 8  # ZIP64 end record, ZIP64 extra fields
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert [info.header_offset for info in archive.infolist()][-1] > 600
    assert unpacked(data) == files
    (tmp_path / "far.zip").write_bytes(data)
    unzip_test(tmp_path / "far.zip")


def test_an_oversized_member_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(zipping, "MAX_MEMBER", 10)
    with pytest.raises(ValueError, match="a zip member of 11 bytes is larger than this writer takes"):
        zipping.deflate(b"x" * 11)


def test_the_site_s_zips_are_sound_and_hold_the_exports(bundled_site: Site) -> None:
    """Every zip the build wrote: CRCs valid for zipfile and unzip, the bytes zipfile would write for the same
    files, and each member the persona's export for the tool."""
    catalog = load_catalog(bundled_site.root / "personas").catalog
    exports = export_parts(catalog)
    expected = {path: text.encode() for fmt in FORMATS if fmt.bundled for p in catalog.personas
                for path, text in fmt.project_files(p).items()}
    assert all(expected[fmt.destination(p.slug)] == export_file(exports, fmt, p) for fmt in FORMATS if fmt.bundled
               for p in catalog.personas)
    zips = sorted((bundled_site.site_dir / API_ROOT / "bundles").rglob("*.zip"))
    assert len(zips) == 1 + sum(fmt.bundled for fmt in FORMATS) * (1 + len(catalog.categories))
    for path in zips:
        data = path.read_bytes()
        files = unpacked(data)
        assert files and data == stdlib_zip(files)
        for name, content in files.items():
            if path.name == "claude-code-marketplace.zip":  # its agents are the Claude Code files
                name = ".claude/agents/" + name.split("/agents/")[-1] if "/agents/" in name else ""
            if name:
                assert content == expected[name], name
        unzip_test(path)


def test_two_builds_write_the_same_zips(tmp_path: Path) -> None:
    personas = {"a.md": persona_text("Ärger Reviewer", slug="a-reviewer", category="development"),
                "b.md": persona_text("Bee", slug="b", category="writing", body="You write.\n\n日本語 🚀\n"),
                "c.md": persona_text("Sea", slug="c", category="development", use_when="Use when: at sea.")}
    first, second = (write_and_build(tmp_path / name, personas) for name in ("one", "two"))
    zips = sorted(p.relative_to(first.site_dir) for p in (first.site_dir / API_ROOT / "bundles").rglob("*.zip"))
    assert len(zips) == 1 + sum(fmt.bundled for fmt in FORMATS) * 3
    for path in zips:
        assert (first.site_dir / path).read_bytes() == (second.site_dir / path).read_bytes(), path


def test_a_file_compressed_by_the_last_build_is_not_compressed_again() -> None:
    prompt = b"You are a reviewer." * 50
    first = zipping.Deflations()
    with zipping.reusing(first):
        made = zipping.deflate(prompt)
    assert zipping.deflate(prompt) is not made and zipping.deflate(prompt) == made  # outside the block: compressed again
    second = zipping.Deflations(first.now)
    with zipping.reusing(second):
        assert zipping.deflate(prompt) is made
        other = zipping.deflate(b"You are an editor.")
    assert len(second.now) == 2  # what this build used, kept for the next
    assert zlib.decompress(other.data, -15) == b"You are an editor."
