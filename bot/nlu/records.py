"""Records named in a message: full or short keys, ordinals among offered options, or a description."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.nlu.entities import KEY_RE, SHORT_KEY_RE
from bot.nlu.normalize import content_tokens, stem
from bot.nlu.types import NluContext, RecordRef

_KIND_OF = {"R": "risk", "CR": "change_request", "M": "milestone"}


@dataclass
class RecordMatch:
    key: str | None
    options: list[str]
    explicit: bool = False


def keys_in(text: str, ctx: NluContext, kind: str, project: str | None) -> list[str]:
    """Record keys of a kind written out in full ("SEPSIS-R1") or short ("R4" with a known project)."""
    out = []
    for m in KEY_RE.finditer(text):
        if _KIND_OF[m.group(2).upper()] == kind:
            proj = m.group(1).upper()
            known = {p.key for p in ctx.projects}
            if proj not in known:
                close = [k for k in known if fuzz.ratio(proj, k) >= 85]
                proj = close[0] if len(close) == 1 else proj
            out.append(f"{proj}-{m.group(2).upper()}{int(m.group(3))}")
    if out:
        return out
    for m in SHORT_KEY_RE.finditer(text):
        if _KIND_OF[m.group(1).upper()] == kind and project:
            out.append(f"{project}-{m.group(1).upper()}{int(m.group(2))}")
    return out


def has_short_key(text: str, kind: str) -> bool:
    return any(_KIND_OF[m.group(1).upper()] == kind for m in SHORT_KEY_RE.finditer(text))


_REF_STOP = {
    "risk",
    "risks",
    "cr",
    "crs",
    "change",
    "request",
    "requests",
    "milestone",
    "milestones",
    "one",
    "approve",
    "reject",
    "defer",
    "close",
    "update",
    "push",
    "move",
    "mark",
    "bump",
    "set",
    "please",
    "impact",
    "probability",
    "owner",
    "due",
    "date",
    "status",
    "thing",
    "item",
    "project",
    "log",
    "okay",
    "yes",
    "yeah",
    "yep",
    "sure",
    "go",
    "ahead",
    "go-ahead",
    "about",
    "regarding",
    "that",
    "approved",
    "rejected",
    "deferred",
    "closed",
    "done",
    "completed",
    "complete",
    "week",
    "weeks",
    "day",
    "days",
    "month",
    "slip",
    "slipped",
    "delay",
    "delayed",
    "lower",
    "raise",
    "reassign",
    "assign",
    "owned",
    "probably",
    "think",
    "meant",
    "mean",
    "talking",
    "sign",
    "off",
    "tbh",
    "lol",
    "decision",
    "decide",
    "record",
    "entry",
    "the",
    "on",
    "for",
    "to",
    "it",
}


def match_record(
    text: str,
    ctx: NluContext,
    kind: str,
    project: str | None,
    *,
    statuses: tuple[str, ...] | None = None,
    among: list[str] | None = None,
    exclude: set[str] | frozenset[str] = frozenset(),
) -> RecordMatch:
    """Best record of `kind` for the text: explicit key, else description overlap; ambiguity -> options."""
    keys = keys_in(text, ctx, kind, project)
    if keys:
        return RecordMatch(keys[0], [], explicit=True)
    pool = [r for r in ctx.records if r.kind == kind]
    if among:
        pool = [r for r in pool if r.key in among] or pool
    elif project:
        pool = [r for r in pool if r.project == project]
    if statuses and not among:
        live = [r for r in pool if r.status in statuses]
        pool = live or pool
    if not pool:
        return RecordMatch(None, [])
    ordinal = _ordinal(text, among)
    if ordinal:
        return RecordMatch(ordinal, [])
    query = [stem(w) for w in content_tokens(text, _REF_STOP | exclude)]
    if not query:
        return RecordMatch(pool[0].key if len(pool) == 1 else None, [r.key for r in pool][:6])
    scored = _score(query, pool)
    top = scored[0][0]
    if top <= 0:
        return RecordMatch(pool[0].key if len(pool) == 1 else None, [r.key for r in pool][:6])
    near = [key for s, key in scored if s >= top * 0.8 and s > 0]
    if len(near) == 1 or top >= 1.6 * max((s for s, k in scored[1:]), default=0.0):
        return RecordMatch(scored[0][1], [])
    return RecordMatch(None, near[:6])


def strong_title_match(text: str, ctx: NluContext, kind: str, project: str | None) -> str | None:
    """A record whose title shares at least two content words with the text (unique best); within a known
    project one word of 5+ letters that no other title there shares is enough ("go-live moving to 5/17")."""
    query = {stem(w) for w in content_tokens(text, _REF_STOP)}
    best: list[tuple[int, str]] = []
    for r in ctx.records:
        if r.kind != kind or (project and r.project != project):
            continue
        title = {stem(w) for w in content_tokens(r.title)}
        shared = query & title
        n = len(shared)
        if n >= 2 or (project and n == 1 and len(next(iter(shared))) >= 5):
            best.append((n, r.key))
    best.sort(reverse=True)
    if best and (len(best) == 1 or best[0][0] > best[1][0]):
        return best[0][1]
    return None


def _ordinal(text: str, among: list[str] | None) -> str | None:
    if not among:
        return None
    low = text.lower().strip()
    words = {"first": 0, "1st": 0, "second": 1, "2nd": 1, "third": 2, "3rd": 2, "last": len(among) - 1}
    m = re.fullmatch(r"(?:the )?(first|1st|second|2nd|third|3rd|last)(?: one)?\.?|#?([1-9])\.?", low)
    if not m:
        return None
    idx = words[m.group(1)] if m.group(1) else int(m.group(2)) - 1
    return among[idx] if 0 <= idx < len(among) else None


def _score(query: list[str], pool: list[RecordRef]) -> list[tuple[float, str]]:
    docs = {r.key: (_record_words(r.title), _record_words(r.description)) for r in pool}
    n = len(pool)

    def has(tok: str, words: list[str]) -> bool:
        return any(_same_word(tok, w) for w in words)

    df = {q: sum(1 for t, d in docs.values() if has(q, t) or has(q, d)) for q in set(query)}
    scored = []
    for r in pool:
        title, desc = docs[r.key]
        s = 0.0
        for q in set(query):
            idf = math.log(1 + n / (1 + df[q])) + 0.2
            if has(q, title):
                s += 2 * idf
            elif has(q, desc):
                s += idf
        scored.append((s, r.key))
    scored.sort(key=lambda x: -x[0])
    return scored


def _record_words(text: str) -> list[str]:
    """Stemmed content words, a hyphenated compound also by its parts ("silent-mode" -> silent, mode)."""
    out = []
    for w in content_tokens(text):
        out.append(stem(w))
        if "-" in w:
            out.extend(stem(p) for p in w.split("-") if len(p) >= 3)
    return out


def _same_word(tok: str, word: str) -> bool:
    """Equal, a small typo apart, another form of the word ("extension" ~ "extend"), or a clipped form of a
    hyphenated word ("de-id" ~ "de-identification")."""
    if tok == word or (len(tok) >= 5 and len(word) >= 5 and fuzz.ratio(tok, word) >= 85):
        return True
    if len(tok) >= 6 and len(word) >= 6 and tok[:5] == word[:5]:
        return True
    if "-" in tok:
        a, b = tok.replace("-", ""), word.replace("-", "")
        return len(a) >= 4 and len(b) > len(a) and b.startswith(a)
    return False


def describe(ctx: NluContext, key: str) -> str:
    rec = ctx.record(key)
    return f"{key} ({rec.title})" if rec else key
