"""CPU cost of reading a collection in another tool's format (`sources:`) against the catalog's own format, in the
same run: the same N synthetic personas (`scale.synthetic`), once as persona files and once rewritten as Claude Code
sub-agents in numbered category folders (`name`, `description`, `tools`, `model`; category, tags and description
left to the reader's mapping), and as Agent Skills (a folder each, `SKILL.md` and two more files). Medians of three
runs of `time.process_time`, so a busy machine counts less. The target: at most 1.2x the native load.

Run: `.venv/bin/python benchmarks/sources_cost.py [N ...]` (default: 1000 5000).
"""

from __future__ import annotations

import re
import sys
import tempfile
from pathlib import Path

from load_cost import cpu_seconds
from persona_catalog import Source, load_sources
from scale import synthetic

_FRONT = re.compile(r"\A---\n(.*?)\n---\n\n", re.DOTALL)


def foreign(native: Path, agents: Path, skills: Path) -> None:
    """Each native file as a Claude Code sub-agent and as an Agent Skill, with the same prompt."""
    for index, path in enumerate(sorted(native.glob("*.md"))):
        text = path.read_text("utf-8")
        front = _FRONT.match(text)
        assert front is not None
        body = text[front.end():]
        slug = path.stem
        folder = agents / f"{index % 12 + 1:02d}-area-{index % 12}"
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"{slug}.md").write_text(
            f'---\nname: {slug}\ndescription: "Use this agent when the work needs persona {index}."\n'
            f"tools: Read, Write, Edit, Bash\nmodel: sonnet\n---\n\n{body}", "utf-8")
        skill = skills / f"area-{index % 12}" / slug
        (skill / "references").mkdir(parents=True)
        (skill / "SKILL.md").write_text(f"---\nname: {slug}\ndescription: Does persona {index}'s work. Use this "
                                        f"skill when it is needed.\nlicense: MIT\n---\n\n{body}", "utf-8")
        (skill / "references" / "notes.md").write_text("# Notes\n", "utf-8")
        (skill / "LICENSE.txt").write_text("MIT\n", "utf-8")


def main(sizes: list[int]) -> None:
    print(f"{'files':>6} {'native s':>8} {'claude s':>8} {'x native':>8} {'skills s':>8} {'x native':>8}")
    for size in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            native, agents, skills = Path(tmp, "native"), Path(tmp, "agents"), Path(tmp, "skills")
            native.mkdir()
            synthetic(native, size)
            foreign(native, agents, skills)
            base = cpu_seconds(lambda native=native: load_sources(native))
            claude = cpu_seconds(lambda agents=agents: load_sources(None, [Source(agents, "claude-code")]))
            skill = cpu_seconds(lambda skills=skills: load_sources(None, [Source(skills, "skills")]))
            for source in (Source(agents, "claude-code"), Source(skills, "skills")):
                assert len(load_sources(None, [source]).catalog.personas) == size
        print(f"{size:>6} {base:8.2f} {claude:8.2f} {claude / base:8.2f} {skill:8.2f} {skill / base:8.2f}")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [1000, 5000])
