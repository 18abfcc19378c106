"""Projects, people and records named in a message: by key, by name (fuzzy), or by description."""

from __future__ import annotations

import math
import re
import unicodedata
from dataclasses import dataclass

from rapidfuzz import fuzz

from bot.nlu.normalize import content_tokens, stem
from bot.nlu.types import NluContext, PersonRef, ProjectRef, RecordRef

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


def _words(text: str) -> set[str]:
    return {stem(w) for w in content_tokens(text) if w not in _GENERIC}


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


def find_project(text: str, ctx: NluContext, *, loose: bool = False) -> str | None:
    """Project named in the text: its key, its name, or "the <words> project" matched to name/description."""
    keys = project_keys_in(text, ctx)
    if keys:
        return keys[0][1]
    msg = _words(text)
    low = text.lower()
    best: list[tuple[float, str]] = []
    for p in ctx.projects:
        name_words = _words(p.name)
        if not name_words:
            continue
        hit = len(name_words & msg)
        if fuzz.partial_ratio(p.name.lower(), low) >= 90 and len(p.name) >= 6:
            best.append((10.0, p.key))
        elif hit >= 2 or (hit >= 1 and len(name_words) == 1):
            best.append((hit / len(name_words) + hit, p.key))
    phrase = re.search(
        r"\b(?:the|for|on|in|about|of)\s+([\w\s'-]{2,60}?)\s+(?:project|model|pilot|team|"
        r"initiative|program|work|effort|channel|bot)\b",
        low,
    )
    if phrase or loose:
        words = _words(phrase.group(1) if phrase else text)
        for p in ctx.projects:
            name_words, desc_words = _words(p.name), _words(p.description)
            score = 2 * len(words & name_words) + 0.5 * len(words & desc_words)
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
    n = _fold(name.strip().lower().strip(".,!?"))
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
    """A record whose title shares at least two content words with the text (unique best)."""
    query = {stem(w) for w in content_tokens(text, _REF_STOP)}
    best: list[tuple[int, str]] = []
    for r in ctx.records:
        if r.kind != kind or (project and r.project != project):
            continue
        title = {stem(w) for w in content_tokens(r.title)}
        n = len(query & title)
        if n >= 2:
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
    docs = {
        r.key: ([stem(w) for w in content_tokens(r.title)], [stem(w) for w in content_tokens(r.description)])
        for r in pool
    }
    n = len(pool)

    def has(tok: str, words: list[str]) -> bool:
        return any(tok == w or (len(tok) >= 5 and len(w) >= 5 and fuzz.ratio(tok, w) >= 85) for w in words)

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


def describe(ctx: NluContext, key: str) -> str:
    rec = ctx.record(key)
    return f"{key} ({rec.title})" if rec else key


def project_choices(ctx: NluContext) -> list[str]:
    return [p.key for p in ctx.projects]


def project_of(ctx: NluContext, key: str | None) -> ProjectRef | None:
    return ctx.project(key)
