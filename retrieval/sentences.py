"""Split a passage into quotable sentences: list items and lines stay whole, abbreviations don't split.

Each sentence keeps where it sits in the passage (character offsets), so ingest can pool a sentence's
vector from the token vectors of the passage's own encode (see `retrieval.embedder.Embedder.embed_passages`)
and asking never has to run the model over candidate sentences again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

_ABBREV = re.compile(
    r"(?:\b[A-Z]|\be\.g|\bi\.e|\betc|\bvs|\bMr|\bMrs|\bMs|\bDr|\bSt|\bInc|\bLtd|\bNo|\bapprox|\bJan|\bFeb|\bMar|"
    r"\bApr|\bJun|\bJul|\bAug|\bSep|\bSept|\bOct|\bNov|\bDec)\.$"
)
_BOUNDARY = re.compile(r"(?<=[.!?])[\"')\]]*\s+(?=[\"'(\[]?[A-Z0-9])")
_MARKUP = re.compile(r"^\s*(?:#{1,6}\s+|[-*+•]\s+|\d{1,3}[.)]\s+|>\s*)")
# how sentences are found; stored sentence vectors made by another version are not used (see
# `retrieval.index`): 2 joins hard-wrapped lines
SPLIT_VERSION = 2
WRAP_WIDTH = 60
MIN_CHARS = 12
MAX_CHARS = 600
# A sentence is compared with a question by the vector of its first SIMILARITY_TOKENS model tokens only
# (it is still scored and quoted whole): a release list's sentence runs to 150+ tokens.
SIMILARITY_TOKENS = 64


@dataclass(frozen=True)
class Quotable:
    """A sentence of a passage, as the answerer scores and quotes it."""

    line: int  # sentences on one line belong to one paragraph or list item
    text: str  # the sentence
    scored: str  # what it is judged by: a lead-in ("Resolved:") with the items it introduces, else `text`
    start: int  # where `scored` begins and ends in the passage (the items' bullets lie inside the span)
    end: int
    list_end: int = 0  # for a lead-in, where its whole list ends (it quotes only the first items)


def split_sentences(text: str) -> list[str]:
    """Sentences of a chunk, in order; headings' markup and list bullets removed."""
    return [s for _, s in located_sentences(text)]


def located_sentences(text: str) -> list[tuple[int, str]]:
    """(line number, sentence) pairs: sentences on one line belong to one paragraph or list item."""
    return [(n, sentence) for n, sentence, _ in _located(text)]


def quotables(text: str) -> list[Quotable]:
    """The passage's sentences with their spans; a lead-in sentence carries the items it introduces."""
    out: list[Quotable] = []
    for n, sentence, start in _located(text):
        end = list_end = start + len(sentence)
        scored = sentence
        # a lead-in ends in ':' ("Resolved:") or has a list nested under it ("- 3 PMC resignations." and
        # below it, indented, "- Dmitry Blotsky on 2022-12-04")
        nested = None if sentence.rstrip().endswith(":") else _nested_under(text, start, end)
        if sentence.rstrip().endswith(":") or nested is not None:
            deeper = 0 if nested is None else nested + 1
            items, items_end = _items(text, end, min_indent=deeper)
            if items:
                scored, end = sentence + " " + "; ".join(items), items_end
                list_end = _items(text, end, limit=10**6, max_chars=10**9, min_indent=deeper)[1]
        out.append(Quotable(n, sentence, scored, start, end, list_end))
    return out


def _located(text: str) -> list[tuple[int, str, int]]:
    """(line number, sentence, offset of the sentence in `text`); a hard-wrapped paragraph or list item
    is one line (its sentences may hold line breaks, which quoting turns into spaces)."""
    out: list[tuple[int, str, int]] = []
    for n, (start, raw) in enumerate(_lines(text or "")):
        markup = _MARKUP.match(raw)
        body_at = markup.end() if markup else 0
        body = raw[body_at:]
        if not body.strip() or set(body.strip()) <= set("-=|:*_ "):
            continue
        for part, at in _split_line(body):
            sentence = part.strip()
            if len(sentence) >= MIN_CHARS:
                lead = len(part) - len(part.lstrip())
                out.append((n, sentence[:MAX_CHARS], start + body_at + at + lead))
    return out


def _lines(text: str) -> list[tuple[int, str]]:
    """(offset, text) of each logical line: a line that continues a hard-wrapped one joins it.

    Plain-text reports wrap at ~72 columns: "...according to the Apache vote policy," / "and all necessary
    updates..." is one sentence, and quoting its second half alone ("which are related to the overall
    version of Apache Cordova 3.5.0, noted") answers nothing.
    """
    out: list[list[int]] = []  # [start, end] of each logical line
    prev = ""
    for m in re.finditer(r"[^\n]+", text):
        line = m.group()
        if out and _continues(prev, line) and text[out[-1][1] : m.start()].count("\n") == 1:
            out[-1][1] = m.end()
        else:
            out.append([m.start(), m.end()])
        prev = line
    return [(a, text[a:b]) for a, b in out]


_WRAP_WORDS = frozenset("a an and or but the to of in on at for with by from as that which who nor".split())


def _continues(prev: str, line: str) -> bool:
    """`line` carries on `prev`'s sentence: `prev` stops mid-sentence (no closing punctuation, not a
    heading, table row or link) and `line` starts in lower case or `prev` ends on a comma or a word
    like "to"; a new list item, heading or table row never continues anything."""
    before, after = prev.rstrip(), line.strip()
    if not before or not after or _MARKUP.match(line) or after.startswith("|") or before.lstrip()[:1] in "#|":
        return False
    if before[-1] in ".!?:;" or re.search(r"(?:https?://|www\.)\S+$", before):
        return False
    last = before.rsplit(None, 1)[-1].lower()
    wrapped = len(before) >= WRAP_WIDTH  # a long line that stops mid-sentence was wrapped
    return wrapped or after[0].islower() or before.endswith(",") or last in _WRAP_WORDS


def _split_line(line: str) -> list[tuple[str, int]]:
    """The line's sentences, each with its offset in the line."""
    parts: list[tuple[str, int]] = []
    start = 0
    for m in _BOUNDARY.finditer(line):
        head = line[start : m.start()].rstrip("\"')]")
        if _ABBREV.search(head):
            continue
        parts.append((line[start : m.start()], start))
        start = m.end()
    parts.append((line[start:], start))
    return parts


def items_after(text: str, lead_in: str, limit: int = 4, max_chars: int = 500) -> list[str]:
    """The list items that follow a lead-in sentence ending in ':' ("Several issues were resolved:")."""
    at = text.find(lead_in)
    if at < 0:
        return []
    return _items(text, at + len(lead_in), limit, max_chars)[0]


def whole_list(text: str, start: int, list_end: int) -> str | None:
    """A lead-in sentence starting at `start` with every item of its list, which ends at `list_end`, joined
    as `quotables` joins the first ones; None when an item leads in a list of its own ("issues@...:" after
    "dev@...:"'s items): that is two lists, not one."""
    lead, *lines = text[start:list_end].split("\n")
    items = [_MARKUP.sub("", line).strip() for line in lines if line.strip()]
    if any(item.endswith(":") for item in items):
        return None
    return " ".join([lead.strip(), "; ".join(items)])


def _items(
    text: str, after: int, limit: int = 4, max_chars: int = 500, min_indent: int = 0
) -> tuple[list[str], int]:
    """The list items that start on the lines after offset `after` (indented at least `min_indent`),
    and where the last one ends."""
    out: list[str] = []
    used, end = 0, after
    for m in re.finditer(r"[^\n]*", text[after:]):
        line = m.group()
        if not line.strip():
            continue
        if not _MARKUP.match(line) or line.lstrip().startswith("#") or _indent(line) < min_indent:
            break
        item = _MARKUP.sub("", line).strip()
        if used + len(item) > max_chars or len(out) == limit:
            break
        out.append(item)
        used += len(item)
        end = after + m.start() + len(line.rstrip())
    return out, end


def _indent(line: str) -> int:
    return len(line) - len(line.lstrip())


def _nested_under(text: str, start: int, end: int) -> int | None:
    """The indent of the sentence's line when the sentence ends it and a deeper list item comes next."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0 or text[end:line_end].strip():
        return None
    parent = _indent(text[line_start:line_end])
    for line in text[line_end + 1 :].split("\n"):
        if not line.strip():
            continue
        child = _MARKUP.match(line) is not None and not line.lstrip().startswith("#")
        return parent if child and _indent(line) > parent else None
    return None
