"""Markdown (and plain text) to sections: ATX, setext and bold-line headings; atomic list items and rows.

LangChain's MarkdownHeaderTextSplitter drops blank lines and indentation, so list items and their
continuations could no longer be told apart; this small line parser keeps them.
"""

from __future__ import annotations

import re

from knowledge.structure import Section, SectionBuilder, clean_heading

ATX = re.compile(r"^ {0,3}(#{1,6})[ \t]+(.*?)(?:[ \t]+#+)?[ \t]*$")
SETEXT = re.compile(r"^ {0,3}(=+|-+)[ \t]*$")
RULE = re.compile(r"^ {0,3}([-*_])(?:[ \t]*\1){2,}[ \t]*$")
FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,})")
BOLD_LINE = re.compile(r"^[ \t]*(\*\*|__)([^*_\n]{1,100}?)\1[ \t]*:?[ \t]*$")
ITEM = re.compile(r"^([ \t]*)([-*+\u2022\u25aa\u25cf]|\d{1,3}[.)]|[a-zA-Z][.)])[ \t]+\S")
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)  # an unclosed comment runs to the end, as in HTML
TABLE_SEP = re.compile(r"^[ \t]*\|?[ \t]*:?-{2,}:?[ \t]*(\|[ \t]*:?-{2,}:?[ \t]*)*\|?[ \t]*$")


def split_cells(line: str) -> list[str]:
    line = line.strip()
    if line.startswith("|"):
        line = line[1:]
    if line.endswith("|"):
        line = line[:-1]
    return [c.strip() for c in line.split("|")]


def row_text(header: list[str], cells: list[str]) -> str:
    """A table row as "Header: value" lines, so a row reads on its own in any chunk."""
    lines = []
    for i, cell in enumerate(cells):
        if not cell:
            continue
        name = header[i] if i < len(header) and header[i] else f"Column {i + 1}"
        lines.append(f"{name}: {cell}")
    return "\n".join(lines)


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip(" \t"))


class _Parser:
    def __init__(self) -> None:
        self.out = SectionBuilder()
        self.para: list[str] = []
        self.item: list[str] = []
        self.item_indent = -1  # indent of the current list's items; -1 = not in a list
        self.blank_in_list = False
        self.heading_level = 0  # level of the last real heading; bold lines go one below it

    def flush(self) -> None:
        if self.para:
            self.out.block("\n".join(self.para), "paragraph")
            self.para = []
        self.flush_item()
        self.item_indent = -1

    def flush_item(self) -> None:
        if self.item:
            self.out.block("\n".join(self.item), "item")
            self.item = []

    def heading(self, level: int, text: str) -> None:
        self.flush()
        self.heading_level = level
        self.out.heading(level, text)

    def parse(self, text: str) -> list[Section]:
        lines = without_comments(text.replace("\r\n", "\n").replace("\r", "\n").expandtabs(4).split("\n"))
        i = 0
        while i < len(lines):
            i = self.line(lines, i)
        self.flush()
        return self.out.result()

    def line(self, lines: list[str], i: int) -> int:  # noqa: C901 - one branch per Markdown construct
        line = lines[i]
        nxt = lines[i + 1] if i + 1 < len(lines) else ""
        if not line.strip():
            if self.item_indent >= 0:
                self.blank_in_list = True
            else:
                self.flush()
            return i + 1
        if fence := FENCE.match(line):
            return self.code(lines, i, fence.group(1))
        if m := ATX.match(line):
            self.heading(len(m.group(1)), m.group(2))
            return i + 1
        starts_group = not self.para and (self.item_indent < 0 or (self.blank_in_list and not _indent(line)))
        if starts_group and SETEXT.match(nxt) and not ITEM.match(line) and clean_heading(line):
            self.heading(1 if nxt.strip()[0] == "=" else 2, line)
            return i + 2
        if RULE.match(line):
            self.flush()
            return i + 1
        if (m := BOLD_LINE.match(line)) and starts_group and not nxt.strip():
            self.flush()
            self.out.heading(min(self.heading_level + 1, 6), m.group(2))
            return i + 1
        if "|" in line and TABLE_SEP.match(nxt) and not self.para:
            return self.table(lines, i)
        if item := ITEM.match(line):
            indent = len(item.group(1))
            if self.item_indent < 0 or indent <= self.item_indent:
                if self.para:
                    self.out.block("\n".join(self.para), "paragraph")
                    self.para = []
                self.flush_item()
                self.item_indent = indent if self.item_indent < 0 else self.item_indent
                self.item = [line.rstrip()]
            else:
                self.item.append(line.rstrip())  # a nested item stays with its parent
            self.blank_in_list = False
            return i + 1
        if self.item_indent >= 0:
            if not self.blank_in_list or _indent(line) > self.item_indent:
                self.item.append(line.rstrip())  # continuation (lazy or indented)
                self.blank_in_list = False
                return i + 1
            self.flush()
        self.para.append(line.strip())
        return i + 1

    def code(self, lines: list[str], i: int, marker: str) -> int:
        self.flush()
        body = [lines[i]]
        j = i + 1
        while j < len(lines):
            body.append(lines[j])
            if lines[j].strip().startswith(marker[0] * len(marker)):
                break
            j += 1
        self.out.block("\n".join(body), "code")
        return j + 1

    def table(self, lines: list[str], i: int) -> int:
        self.flush()
        header = [clean_heading(c) for c in split_cells(lines[i])]
        j = i + 2
        while j < len(lines) and "|" in lines[j] and lines[j].strip():
            text = row_text(header, split_cells(lines[j]))
            if text:
                self.out.block(text, "row")
            j += 1
        return j


def without_comments(lines: list[str]) -> list[str]:
    """The lines less HTML comments outside code blocks: a reader never sees them, and a report template's
    comments are unfilled placeholders ("<!-- issues@ had a % decrease in traffic ( emails compared to ) -->")
    that would otherwise be quoted as the project's words. A line left empty only by its comment goes too,
    so a comment between list items does not split the list."""
    out: list[str] = []
    prose: list[str] = []

    def flush() -> None:
        if not prose:
            return
        # a comment leaves its line breaks, so each line still lines up with the one it came from
        text = _COMMENT.sub(lambda m: "\n" * m[0].count("\n"), "\n".join(prose))
        for old, new in zip(prose, text.split("\n"), strict=True):
            if new.strip() or not old.strip():
                out.append(new.rstrip() if new.strip() else new)
        prose.clear()

    fence = ""
    for line in lines:
        m = FENCE.match(line)
        if not fence and not m:
            prose.append(line)
            continue
        flush()
        out.append(line)
        if m and not fence:
            fence = m.group(1)
        elif m and m.group(1)[0] == fence[0] and len(m.group(1)) >= len(fence):
            fence = ""
    flush()
    return out


def parse_markdown(text: str) -> list[Section]:
    return _Parser().parse(text)


def split_title(text: str) -> tuple[str | None, str]:
    """Take a leading title line off a Markdown body when it is one.

    A title is the first line when it is a heading whose section is empty or outranked by the next
    heading (``## Status report - Sept 2024`` then ``## Description``), or a short standalone line
    that does not read like a sentence (``Cordova``).
    """
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    start = next((i for i, line in enumerate(lines) if line.strip()), None)
    if start is None:
        return None, text
    first = lines[start]
    rest = lines[start + 1 :]
    level, end = 0, start + 1
    if m := ATX.match(first):
        level, candidate = len(m.group(1)), m.group(2)
    elif rest and SETEXT.match(rest[0]) and not ITEM.match(first):
        level, candidate, end = (1 if rest[0].strip()[0] == "=" else 2), first, start + 2
    else:
        candidate = first.strip()
        followed_by_blank = not rest or not rest[0].strip()
        if (
            followed_by_blank
            and len(candidate) <= 120
            and not ITEM.match(first)
            and not BOLD_LINE.match(first)
            and candidate[-1] not in ".,;:!?"
            and "|" not in candidate
            and any(line.strip() for line in rest)
        ):
            return clean_heading(candidate) or None, "\n".join(lines[end:])
        return None, text
    body = lines[end:]
    nxt = next((line for line in body if line.strip()), None)
    nxt_index = body.index(nxt) if nxt is not None else -1
    following = body[nxt_index + 1] if 0 <= nxt_index < len(body) - 1 else ""
    next_level = 0
    if nxt is not None and (m := ATX.match(nxt)):
        next_level = len(m.group(1))
    elif nxt is not None and SETEXT.match(following):
        next_level = 1 if following.strip()[0] == "=" else 2
    if nxt is None:
        return None, text
    if next_level and next_level <= level:
        return clean_heading(candidate) or None, "\n".join(body)
    if next_level == 0:
        later = [len(m.group(1)) for line in body if (m := ATX.match(line))]
        setext = [1 for j, line in enumerate(body[1:], 1) if SETEXT.match(line) and body[j - 1].strip()]
        if later and min(later) < level or setext and level > 1:
            return clean_heading(candidate) or None, "\n".join(body)
    return None, text
