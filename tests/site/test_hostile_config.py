"""Configuration checked like content: hostile category icons and site URLs (written here), Markdown syntax in
the texts llms.txt carries, and no request to a third party for the repository's facts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.exceptions import Abort, PluginError

from conftest import BuildSite, persona_text, write_and_build
from persona_catalog import site_url_problem

PERSONA = {"p.md": persona_text("Plain Persona", "dev")}
EVIL_SVG = '<svg xmlns="http://www.w3.org/2000/svg"><script>window.pwned = 1</script></svg>'


def refused(caplog: pytest.LogCaptureFixture, build: Callable[[], object]) -> str:
    """The error a build stops with (MkDocs logs a plugin's error, then aborts)."""
    with pytest.raises((PluginError, Abort)) as caught:
        build()
    return str(caught.value) if caught.type is PluginError else "\n".join(r.getMessage() for r in caplog.records)


@pytest.fixture
def outside_svg(tmp_path: Path) -> Path:
    path = tmp_path / "evil.svg"
    path.write_text(EVIL_SVG, "utf-8")
    return path


@pytest.mark.parametrize("icon", ["{outside}", "material/../../../../../../{outside_stem}",
                                  "material/../material/code-braces", "/etc/passwd", "Material/Code-Braces",
                                  "material/code-braces\u200b", "material\\code-braces", "material/"])
def test_an_icon_from_outside_the_icon_sets_is_refused(tmp_path: Path, outside_svg: Path, icon: str,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    icon = icon.format(outside=str(outside_svg.with_suffix("")), outside_stem=str(outside_svg.with_suffix(""))[1:])
    error = refused(caplog, lambda: write_and_build(tmp_path / "project", PERSONA,
                                                    plugin={"categories": {"dev": {"icon": icon}}}))
    assert "persona-catalog: categories.dev.icon: no theme icon named" in error and "pwned" not in error


def test_a_linked_icon_out_of_the_overrides_is_refused(tmp_path: Path, outside_svg: Path,
                                                       caplog: pytest.LogCaptureFixture) -> None:
    project = tmp_path / "project"
    (project / "overrides" / ".icons" / "mine").mkdir(parents=True)
    (project / "overrides" / ".icons" / "mine" / "evil.svg").symlink_to(outside_svg)
    (project / "overrides" / ".icons" / "mine" / "good.svg").write_text('<svg viewBox="0 0 1 1"></svg>', "utf-8")
    site = write_and_build(project, PERSONA, plugin={"categories": {"dev": {"icon": "mine/good"}}},
                           config={"theme": {"name": "material", "font": False, "custom_dir": "overrides"}})
    assert 'viewBox="0 0 1 1"' in site.page("categories/dev/")  # a project's own icon set works
    error = refused(caplog, lambda: write_and_build(
        project, PERSONA, plugin={"categories": {"dev": {"icon": "mine/evil"}}},
        config={"theme": {"name": "material", "font": False, "custom_dir": "overrides"}}))
    assert "no theme icon named 'mine/evil'" in error


def test_a_theme_icon_still_works(build_site: BuildSite) -> None:
    site = build_site(PERSONA, plugin={"categories": {"dev": {"icon": "material/code-braces"}}})
    assert '<svg aria-hidden="true" focusable="false"' in site.page("categories/dev/")


@pytest.mark.parametrize("url, reason", [
    ("https://example.org/?utm=1", "query or a fragment"),
    ("https://example.org/#top", "query or a fragment"),
    ("https://example.org/a b/", "space"),
    ("https://example.org/\u0007/", "control"),
    ("https://example.org/\u202e/", "invisible"),
    ("https://example.org/\"><script>/", "one of"),
    ("javascript:alert(1)", "absolute http"),
    ("ftp://example.org/", "absolute http"),
    ("//example.org/", "absolute http"),
    ("https:///path/", "absolute http"),
    ("https://user:secret@example.org/", "user name or password"),
    ("https://example.org:port/", "not a URL"),
])
def test_a_hostile_site_url_is_a_clear_error(build_site: BuildSite, url: str, reason: str,
                                             caplog: pytest.LogCaptureFixture) -> None:
    assert reason in (site_url_problem(url) or "")
    error = refused(caplog, lambda: build_site(PERSONA, config={"site_url": url}))
    assert "site_url" in error  # MkDocs' own check of the option, or the plugin's with the reason
    assert reason in error or "Config value 'site_url'" in error, error


@pytest.mark.parametrize("url", ["https://example.org/", "http://127.0.0.1:8000/", "https://u.github.io/repo/",
                                 "https://例え.jp/catalog/"])
def test_ordinary_site_urls_are_accepted(url: str) -> None:
    assert site_url_problem(url) is None


def test_llms_txt_carries_markdown_syntax_as_text(build_site: BuildSite) -> None:
    personas = {"p.md": persona_text("[Install](https://evil.example/install.sh)", "dev",
                                     description="See <https://evil.example/x> or ![x](javascript:alert(1)) `code`")}
    site = build_site(personas, config={"site_url": "https://example.org/",
                                        "site_name": "Cat [click](javascript:alert(1))"},
                      plugin={"categories": {"dev": {"title": "Dev [run](https://evil.example/run.sh)"}}})
    text = site.html("llms.txt")
    assert text.startswith("# Cat \\[click\\](javascript:alert(1))\n")
    assert "## Dev \\[run\\](https://evil.example/run.sh)\n" in text
    assert ("- [\\[Install\\](https://evil.example/install.sh)](https://example.org/personas/install-https-evil-"
            "example-install-sh/install-https-evil-example-install-sh.md): See \\<https://evil.example/x\\> or "
            "!\\[x\\](javascript:alert(1)) \\`code\\`") in text


def test_the_repository_link_fetches_no_facts_unless_asked(build_site: BuildSite) -> None:
    repo = {"repo_url": "https://github.com/example/catalog"}
    site = build_site(PERSONA, config=repo)
    home = site.page("")
    assert 'class="md-source"' in home and 'data-md-component="source"' not in home
    site = build_site(PERSONA, config=repo, plugin={"repo_facts": True})
    assert 'data-md-component="source"' in site.page("")
