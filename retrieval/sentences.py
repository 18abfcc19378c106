"""Split a passage into quotable sentences: list items and lines stay whole, abbreviations don't split."""

from __future__ import annotations

import re

_ABBREV = re.compile(
    r"(?:\b[A-Z]|\be\.g|\bi\.e|\betc|\bvs|\bMr|\bMrs|\bMs|\bDr|\bSt|\bInc|\bLtd|\bNo|\bapprox|\bJan|\bFeb|\bMar|"
    r"\bApr|\bJun|\bJul|\bAug|\bSep|\bSept|\bOct|\bNov|\bDec)\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)")
MIN_CHARS = 12
MAX_CHARS = 600


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk, in order; headings' markup and list bullets removed."""
    return [s for _, s in located_sentences(text)]


def located_sentences(text: str) -> list[tuple[int, str]]:
    """(line number, sentence) pairs: sentences on one line belong to one paragraph or list item."""
    out: list[tuple[int, str]] = []
    for n, line in enumerate(re.split(r"\n+", text or "")):
        line = _MARKUP.sub("", line).strip()
        if not line or set(line) <= set("-=|:*_ "):
            continue
        for sentence in _split_line(line):
            sentence = sentence.strip()
            if len(sentence) >= MIN_CHARS:
                out.append((n, sentence[:MAX_CHARS]))
    return out


def _split_line(line: str) -> list[str]:
    parts: list[str] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        head = line[start : m.start()].rstrip("\"')]")
        if _ABBREV.search(head):
            continue
        parts.append(line[start : m.start()])
        start = m.end()
    parts.append(line[start:])
    return parts


def items_after(text: str, lead_in: str, limit: int = 4, max_chars: int = 500) -> list[str]:
    """The list items that follow a lead-in sentence ending in ':' ("Several issues were resolved:")."""
    at = text.find(lead_in)
    if at < 0:
        return []
    out: list[str] = []
    used = 0
    for line in text[at + len(lead_in) :].split("\n"):
        if not line.strip():
            continue
        if not _MARKUP.match(line) or line.lstrip().startswith("#"):
            break
        item = _MARKUP.sub("", line).strip()
        if used + len(item) > max_chars or len(out) == limit:
            break
        out.append(item)
        used += len(item)
    return out
