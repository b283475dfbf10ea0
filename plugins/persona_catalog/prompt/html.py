"""A prompt as HTML that shows everything the prompt carries: what you see is what you copy.

The prompt is rendered by markdown-it-py (CommonMark with tables and strikethrough: linear time and bounded
nesting on hostile input; no extension that can include or execute anything) with these rules:

- Raw HTML is not HTML: `<!-- -->`, `<script>`, `<details>` are shown as the text they are.
- Invisible characters (zero-width, bidi controls, Unicode tags, ...) are shown as marks naming them.
- A link shows its target, a code fence its info string; link reference definitions stay as text.
- Images are shown as links unless `remote_images` is on, so the page loads nothing from other hosts.

The result is sanitized with nh3 all the same. A prompt's headings are nested two levels down (its `#` is an
`<h3>` under the page's "Prompt" section, so a page has one `<h1>`) and their ids get the fixed prefix `prompt-`.
"""

from __future__ import annotations

from html import escape

import nh3
from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markdown_it.rules_core import StateCore

from persona_catalog.catalog.characters import hidden_characters
from persona_catalog.catalog.model import slugify

HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")
ID_PREFIX = "prompt-"


def mark_invisible(escaped: str) -> str:
    """HTML text with each invisible character replaced by a visible mark that names it."""
    hidden = hidden_characters(escaped)
    if not hidden:
        return escaped
    parts, last = [], 0
    for item in hidden:
        parts.append(escaped[last:item.index])
        parts.append(f'<span class="pc-invisible" title="{item.label}">{item.code}</span>')
        last = item.index + 1
    parts.append(escaped[last:])
    return "".join(parts)


def _visible(text: str) -> str:
    return mark_invisible(escapeHtml(text))


def _heading_ids(state: StateCore) -> None:
    """Give each heading a unique id from its text, so search and links can point into a prompt."""
    seen: dict[str, int] = {}
    for index, token in enumerate(state.tokens):
        if token.type == "heading_open":
            slug = slugify(state.tokens[index + 1].content) or "section"
            seen[slug] = seen.get(slug, 0) + 1
            token.attrSet("id", slug if seen[slug] == 1 else f"{slug}-{seen[slug] - 1}")


def _nest_headings(state: StateCore) -> None:
    """A prompt's headings sit under the page's own "Prompt" section: `#` becomes h3, `##` h4, deeper h6."""
    for token in state.tokens:
        if token.type in ("heading_open", "heading_close"):
            token.tag = f"h{min(int(token.tag[1]) + 2, 6)}"


def _text(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    return _visible(tokens[idx].content)


def _code_inline(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    return f"<code>{_visible(tokens[idx].content)}</code>"


def _code_block(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    return f"<pre><code>{_visible(tokens[idx].content)}</code></pre>\n"


def _fence(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    info = tokens[idx].info.strip()
    label = f'<span class="pc-fence-info">{_visible(info)}</span>' if info else ""
    return f'<pre class="pc-fence">{label}<code>{_visible(tokens[idx].content)}</code></pre>\n'


def _link_open(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    token = tokens[idx]
    env.setdefault("links", []).append((token.attrGet("href") or "", token.attrGet("title") or ""))
    return f'<a href="{escapeHtml(token.attrGet("href") or "")}">'


def _link_close(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    href, title = env["links"].pop()
    text = "".join(t.content for t in _link_children(tokens, idx))
    shown = href if text != href else ""
    shown += f' "{title}"' if title else ""
    return "</a>" + (f'<span class="pc-link-target"> ({_visible(shown.strip())})</span>' if shown else "")


def _link_children(tokens, close_index):  # type: ignore[no-untyped-def]
    depth, index, found = 0, close_index - 1, []
    while index >= 0:
        token = tokens[index]
        if token.type == "link_close":
            depth += 1
        elif token.type == "link_open":
            if depth == 0:
                break
            depth -= 1
        found.append(token)
        index -= 1
    return reversed(found)


def _image(self, tokens, idx, options, env):  # type: ignore[no-untyped-def]
    token = tokens[idx]
    src, title = token.attrGet("src") or "", token.attrGet("title") or ""
    alt = self.renderInlineAsText(token.children or [], options, env)
    if env.get("remote_images"):
        title_attr = f' title="{escapeHtml(title)}"' if title else ""
        return (f'<img src="{escapeHtml(src)}" alt="{escapeHtml(alt)}"{title_attr} loading="lazy" '
                'referrerpolicy="no-referrer">')
    shown = src + (f' "{title}"' if title else "")
    return (f'<a class="pc-image-link" href="{escapeHtml(src)}">Image: {_visible(alt or "(no description)")}</a>'
            f'<span class="pc-link-target"> ({_visible(shown)})</span>')


_MARKDOWN = MarkdownIt("commonmark", {"html": False}).enable(["table", "strikethrough"]).disable("reference")
_MARKDOWN.core.ruler.push("heading_ids", _heading_ids)
_MARKDOWN.core.ruler.push("nest_headings", _nest_headings)
for _name, _rule in {"text": _text, "code_inline": _code_inline, "code_block": _code_block, "fence": _fence,
                     "link_open": _link_open, "link_close": _link_close, "image": _image}.items():
    _MARKDOWN.add_render_rule(_name, _rule)
_MAX_NESTING = _MARKDOWN.options["maxNesting"]  # deeper blocks are not parsed, so their text would not show

_CLASSES = {"span": {"pc-invisible", "pc-fence-info", "pc-link-target"}, "a": {"pc-image-link"},
            "pre": {"pc-fence", "pc-prompt-plain"}}
_ATTRIBUTES = {**{tag: set(attrs) for tag, attrs in nh3.ALLOWED_ATTRIBUTES.items()},
               **{tag: set(nh3.ALLOWED_ATTRIBUTES.get(tag, ())) | {"id"} for tag in HEADINGS},
               "span": {"title"}, "img": {"src", "alt", "title", "loading", "referrerpolicy"}}


def prompt_html(body: str, remote_images: bool = False) -> str:
    """The prompt as sanitized HTML in which every character it carries is visible (a first heading that repeats
    the page's title included: it is part of what Copy gives)."""
    env = {"remote_images": remote_images}
    tokens = _MARKDOWN.parse(body, env)
    if any(token.level >= _MAX_NESTING - 1 for token in tokens):
        html = f'<pre class="pc-prompt-plain">{mark_invisible(escape(body, quote=False))}</pre>'
    else:
        html = _MARKDOWN.renderer.render(tokens, _MARKDOWN.options, env)
    return nh3.clean(html, attributes=_ATTRIBUTES, allowed_classes=_CLASSES, id_prefix=ID_PREFIX,
                     url_schemes={"http", "https", "mailto"})
