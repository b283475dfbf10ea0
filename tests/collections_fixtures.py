"""Small collections in other tools' formats, written here (never copied from ../shared/), one file per format and
per kind of damage seen in real collections, with what each must give."""

from __future__ import annotations

from pathlib import Path

BACKEND_BODY = ("You are a senior backend developer.\n\n## Workflow\n\nDesign the API, then build it.\n"
                "Keep `tools` in mind: a: b.\n")
CLAUDE_AGENT = ("---\nname: backend-developer\n"
                'description: "Use this agent when building server-side APIs and services."\n'
                "tools: Read, Write, Bash\nmodel: sonnet\ncolor: blue\n---\n\n" + BACKEND_BODY)
# Unquoted description holding ': ' (YAML reads `Triggers on: ...` as a second mapping): repaired on reading.
UNQUOTED = ("---\nname: gdpr-helper\ndescription: Use when checking privacy rules. Triggers on: 'gdpr', 'ccpa'.\n"
            "tools: Read\n---\n\nYou are a privacy specialist who checks data handling.\n")
LOST_CHAR = "---\nname: timing-expert\ndescription: Use when timing matters.\n---\n\nKeep latency < 10\ufffds.\n"
NO_FRONT = "You are a query tuner who rewrites slow SQL.\n\nExplain every index you add.\n"
BROKEN = "---\nname: [unclosed\ndescription: x\n---\n\nbody\n"
README = "# Agents\n\nThis folder holds our agents.\n"

SKILL_MD = ("---\nname: pdf-tools\ndescription: |-\n  Fill and merge PDF forms.\n  Use this skill when a task involves"
            " PDF files.\nlicense: Apache-2.0\nallowed-tools: Bash Read\nmetadata:\n  version: \"1.2\"\n---\n\n"
            "# PDF tools\n\nRead `references/forms.md` first, then run `scripts/fill.py`.\n")
SKILL_FILES = {"references/forms.md": b"# Forms\n\nFields are named.\n", "scripts/fill.py": b"print('fill')\n",
               "scripts/__init__.py": b"", "assets/logo.bin": bytes(range(256))}

COPILOT = ("---\nname: Planner\ndescription: Plans features before coding.\ntools: ['search', 'fetch']\n"
           "model: GPT-5\n---\n\nYou are a planner. Write a plan, never code.\n")
CURSOR = ("---\ndescription: Use when writing React components.\nglobs: src/**/*.tsx\nalwaysApply: false\n---\n\n"
          "Prefer function components and hooks.\n")
CODEX = ('name = "reviewer"\ndescription = "Use when reviewing a diff for bugs."\nmodel = "gpt-5"\n'
         'sandbox_mode = "read-only"\ndeveloper_instructions = """\nYou are a careful code reviewer.\n'
         'Report bugs first."""\n')
OPENCODE = ("---\ndescription: Reviews code for quality and best practices.\nmode: subagent\ntemperature: 0.1\n"
            "tools:\n  write: false\n---\n\nYou are in code review mode.\n")
KIRO = ('{"name": "aws-helper", "description": "Use when working with AWS resources.", '
        '"prompt": "You are an AWS expert.\\nPrefer least privilege.", "tools": ["read", "shell"], '
        '"model": "claude-sonnet-4"}')
# Kiro's Markdown agent (https://kiro.dev/docs/custom-agents/): configuration in the front matter, the prompt as body.
KIRO_MD = ("---\ndescription: Backend development agent\nmodel: claude-sonnet-4\ntools: [read, write, shell]\n"
           "permissions:\n  - capability: shell\n    effect: allow\n    match: ['npm *']\n---\n\n"
           "You are a backend developer focused on Node.js.\nAlways use async/await.\n")


def write_tree(root: Path, files: dict[str, str | bytes]) -> Path:
    for rel, content in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(content.encode("utf-8") if isinstance(content, str) else content)
    return root


def mixed_collection(root: Path) -> Path:
    """A repository mixing every format, in numbered category folders, with damage and a README."""
    return write_tree(root, {
        "categories/01-core-development/backend-developer.md": CLAUDE_AGENT,
        "categories/01-core-development/README.md": README,
        "categories/04-quality-security/gdpr-helper.md": UNQUOTED,
        "categories/07-specialized-domains/timing-expert.md": LOST_CHAR,
        "categories/05-data-ai/query-tuner.md": NO_FRONT,
        "skills/pdf-tools/SKILL.md": SKILL_MD,
        **{f"skills/pdf-tools/{rel}": data for rel, data in SKILL_FILES.items()},
        ".github/agents/hidden.agent.md": COPILOT,  # hidden folder: passed over
        "copilot/planner.agent.md": COPILOT,
        "cursor/react.mdc": CURSOR,
        "codex/reviewer.toml": CODEX,
        "opencode/review.md": OPENCODE,
        "kiro/aws-helper.json": KIRO,
        "LICENSE": "MIT\n",
    })


def body_of(text: str) -> str:
    """A Markdown agent's prompt as a reader must give it: what follows the front matter, surrounding blank lines
    removed (line endings are LF here)."""
    if text.startswith("---\n"):
        text = text.split("\n---\n", 1)[1]
    return text.strip("\n").rstrip()
