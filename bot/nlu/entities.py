"""Projects, people and records named in a message: by key, by name (fuzzy), or by description."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz

from bot.nlu.normalize import content_tokens, stem
from bot.nlu.types import NluContext, PersonRef, ProjectRef

KEY_RE = re.compile(r"\b([A-Za-z][A-Za-z0-9]{1,9})-(CR|R|M)(\d+)\b", re.I)
SHORT_KEY_RE = re.compile(r"(?<![\w-])(CR|R|M)[ #-]?(\d{1,3})\b", re.I)
_KIND_OF = {"R": "risk", "CR": "change_request", "M": "milestone"}
MENTION_RE = re.compile(r"<@([UW][A-Z0-9]+)>")
_GENERIC = {
    "project",
    "projects",
    "model",
    "tool",
    "system",
    "pilot",
    "program",
    "the",
    "and",
    "for",
    "of",
    "early",
    "warning",
    "report",
    "patient",
    "patients",
    "clinical",
}


# what people ask for, not what they name ("summarize the week" is not the summarization project)
_ASKING = frozenset(
    {"summary", "summarize", "summarise", "summarized", "summarised", "summarizing", "summarising"}
)


def _words(text: str, skip: frozenset[str] = frozenset()) -> set[str]:
    return {stem(w) for w in content_tokens(text.replace("-", " ")) if w not in _GENERIC and w not in skip}


def project_keys_in(text: str, ctx: NluContext) -> list[tuple[int, str]]:
    """Project keys written out (any case, small typos in long keys allowed), with positions."""
    found = []
    for m in re.finditer(r"[A-Za-z][A-Za-z0-9]{1,9}", text):
        tok = m.group(0).upper()
        after = text[m.end() : m.end() + 2]
        for p in ctx.projects:
            if tok == p.key or (
                len(p.key) >= 6
                and len(tok) >= 5
                and fuzz.ratio(tok, p.key) >= 85
                and not after.startswith("-")
            ):
                found.append((m.start(), p.key))
                break
    return found


def _overlap(query: set[str], words: set[str], *, clipped: bool = False) -> int:
    """Shared words, allowing a common 5-letter prefix ("summaries" ~ "summarization"); clipped=True
    also counts a clipped form of a long word ("nav" for "navigation", "onc" for "oncology")."""
    return sum(
        1
        for q in query
        if q in words
        or (len(q) >= 5 and any(w[:5] == q[:5] for w in words if len(w) >= 5))
        or (clipped and len(q) >= 3 and any(len(w) >= len(q) + 2 and w.startswith(q) for w in words))
    )


def find_project(text: str, ctx: NluContext, *, loose: bool = False, weak: bool = True) -> str | None:
    """Project named in the text: its key, its name, or words of its name and description.

    weak=False (a project's own channel is the default) accepts only a key, two name words, or
    "the <words> project"; weak=True also one name word plus one description word ("the MyChart chatbot").
    """
    keys = project_keys_in(text, ctx)
    if keys:
        return keys[0][1]
    msg = _words(text)
    named = _words(text, _ASKING)
    low = text.lower()
    best: list[tuple[float, str]] = []
    for p in ctx.projects:
        name_words = _words(p.name)
        if not name_words:
            continue
        desc_words = _words(p.description) - name_words
        # "summary" alone asks for one; next to another name word it names the project
        hit = _overlap(msg, name_words, clipped=True) if _overlap(named, name_words, clipped=True) else 0
        desc_hit = _overlap(msg - name_words, desc_words)
        if fuzz.partial_ratio(p.name.lower(), low) >= 90 and len(p.name) >= 6:
            best.append((10.0, p.key))
        elif hit >= 2 or (hit >= 1 and len(name_words) == 1):
            best.append((hit + hit / len(name_words) + 0.1 * desc_hit, p.key))
        elif weak and hit >= 1 and desc_hit >= 1:
            best.append((1 + 0.1 * desc_hit, p.key))
    phrase = re.search(
        r"\b(?:the|for|on|in|about|of|with)\s+([\w\s'-]{2,60}?)\s+(?:project|model|pilot|team|"
        r"initiative|program|work|effort|channel|bot|chatbot|tool)\b",
        low,
    )
    if phrase or loose:
        words = _words(phrase.group(1)) if phrase else set()
        if loose:
            words |= msg
        for p in ctx.projects:
            name_words, desc_words = _words(p.name), _words(p.description)
            score = 2 * _overlap(words, name_words) + 0.5 * _overlap(words, desc_words)
            if score >= 2 or (loose and score >= 1):
                best.append((score / 2, p.key))
    if not best:
        return None
    best.sort(reverse=True)
    if len(best) > 1 and best[0][0] == best[1][0] and best[0][1] != best[1][1]:
        return None
    return best[0][1]


def find_people(text: str, ctx: NluContext) -> list[str]:
    return MENTION_RE.findall(text)


def person_by_name(name: str, ctx: NluContext) -> str | None:
    """A plain name ("Marco", "julia brennan", "me") to one person's Slack id, when it is unambiguous."""
    n = _fold(name.strip().lower().strip(".,!?").lstrip("@"))
    if n in ("me", "myself", "i", "mine"):
        return ctx.user_id
    m = MENTION_RE.search(name)
    if m:
        return m.group(1)
    if re.fullmatch(r"[UW][A-Z0-9]{6,}", name.strip()):
        return name.strip()
    hits: list[PersonRef] = []
    for p in ctx.people:
        full = _fold(p.name.lower())
        first = full.split()[0]
        if (
            n == full
            or n == first
            or (len(n) >= 4 and fuzz.ratio(n, first) >= 85)
            or fuzz.ratio(n, full) >= 88
        ):
            hits.append(p)
    return hits[0].slack_id if len(hits) == 1 else None


def _fold(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def first_names(ctx: NluContext) -> dict[str, str]:
    return {p.name.split()[0].lower(): p.slack_id for p in ctx.people if p.name}


def project_choices(ctx: NluContext) -> list[str]:
    return [p.key for p in ctx.projects]


def project_of(ctx: NluContext, key: str | None) -> ProjectRef | None:
    return ctx.project(key)
