"""A document's structure: sections under a heading path, each a list of atomic blocks.

Every loader produces this shape, so chunking has one code path for all formats. A block (a
paragraph, one list item with its nested items, one table row, a code block) is never split by
chunking unless it alone is longer than a chunk.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BLOCK_KINDS = ("paragraph", "item", "row", "code")


@dataclass(frozen=True)
class Block:
    text: str
    kind: str = "paragraph"


@dataclass
class Section:
    heading: tuple[str, ...] = ()
    blocks: list[Block] = field(default_factory=list)

    @property
    def heading_path(self) -> str | None:
        return " > ".join(self.heading) if self.heading else None


def clean_heading(text: str) -> str:
    """Headings as they read in a path: no markup, no trailing colon."""
    text = re.sub(r"[*_`]+", "", text).strip()
    return re.sub(r"\s+", " ", text).rstrip(":").strip()


class SectionBuilder:
    """Collects blocks under a heading stack; headings may skip levels."""

    def __init__(self) -> None:
        self._stack: list[tuple[int, str]] = []
        self.sections: list[Section] = [Section()]

    @property
    def level(self) -> int:
        return self._stack[-1][0] if self._stack else 0

    def heading(self, level: int, text: str) -> None:
        text = clean_heading(text)
        if not text:
            return
        while self._stack and self._stack[-1][0] >= level:
            self._stack.pop()
        self._stack.append((level, text))
        self.sections.append(Section(heading=tuple(t for _, t in self._stack)))

    def block(self, text: str, kind: str = "paragraph") -> None:
        text = text.strip("\n")
        if text.strip():
            self.sections[-1].blocks.append(Block(text.rstrip(), kind))

    def result(self) -> list[Section]:
        return [s for s in self.sections if s.blocks]


def render(sections: list[Section]) -> str:
    """The document as Markdown-like text (for full-text uses and tests)."""
    out: list[str] = []
    for section in sections:
        if section.heading:
            out.append("#" * len(section.heading) + " " + section.heading[-1])
        out.extend(b.text for b in section.blocks)
    return "\n\n".join(out)
