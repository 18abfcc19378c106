"""Slot helpers shared by the tool builders: owner, due date, rating filter, window, record references."""

from __future__ import annotations

import re
from datetime import date

from bot.nlu.dates import _NUM_ALT as NUM_ALT
from bot.nlu.dates import DURATION_RE, _num, find_dates
from bot.nlu.entities import MENTION_RE, person_by_name
from bot.nlu.records import RecordMatch, match_record
from bot.nlu.types import NluContext

_NAME = (
    r"(<@[UW][A-Z0-9]+>|@?"
    r"[A-Z\u00c0-\u00ff][\w\u00c0-\u00ff'-]+(?:\s+[A-Z\u00c0-\u00ff][\w\u00c0-\u00ff'-]+)?|me|myself)"
)
_OWNER_PATTERNS = [
    r"\bowner\b[^.;\n]{0,40}?\bto\s+" + _NAME,
    r"\bowner\s*(?:is|=|:|->|\u2192|=>|-|should be|will be|now)?\s*(?:now\s+)?" + _NAME,
    r"\b(?:re)?assign(?:ed|ing)?\s+(?:[^.,;]{0,60}?\s+)?to\s+" + _NAME,
    r"\bowned by\s+" + _NAME,
    r"\bmake\s+" + _NAME + r"\s+(?:the\s+)?(?:new\s+)?owner\b",
    r"(?<![\w@])" + _NAME + r"\s+is\s+(?:the\s+)?(?:new\s+)?owner\b",
    r"\b(?:give|hand|transfer)\s+(?:the\s+)?ownership\s+(?:[^.,;]{0,40}?\s+)?to\s+" + _NAME,
    r"\b(?:does|do|did|will)\s+" + _NAME + r"\s+own\b",
    r"(?<![\w@])"
    + _NAME
    + r"\s+(?:owns|will own|should own|can own|is (?:the )?owner|to own|will take (?:it|this)|"
    r"is taking (?:it|this))\b",
    r"\bgive (?:it|this|that) to\s+" + _NAME,
    r"\bhand (?:it|this|that)? ?(?:over )?to\s+" + _NAME,
    r"\b(?:hand|pass)\s+(?:[^.,;]{0,40}?\s+)?(?:over|off)\s+to\s+" + _NAME,
]


def owner_clause(text: str, ctx: NluContext) -> str | None:
    """Owner from "owner <@U..>", "owner: Priya", "assign to Marco", "owned by me"."""
    for pat in _OWNER_PATTERNS:
        m = re.search(pat, text, flags=re.I if "owner" in pat[:12] else 0)
        if not m:
            m = re.search(pat, text, flags=re.I)
        if m:
            raw = m.group(1)
            pid = person_by_name(raw, ctx)
            if pid:
                return pid
            first = raw.split()[0]
            pid = person_by_name(first, ctx)
            if pid:
                return pid
            if raw.lower() not in ("the", "a", "an", "it", "this", "that") and raw[:1].isupper():
                return raw.strip()
    return None


def lone_mention(text: str) -> str | None:
    ids = MENTION_RE.findall(text)
    return ids[0] if len(set(ids)) == 1 else None


_STRONG_CUE = re.compile(
    r"\b(due|deadline|target(?: date)?|no later than|due date)\s*(?:date)?\s*(?:is|=|:|of|to|by|"
    r"on|->|\u2192)?\s*(?:date\s*)?(?:is|=|:|to|by|on)?\s*$",
    re.I,
)
# "move it to feb 1", "push R2 out to 1/8": a date the user moves something to
_MOVED_TO = re.compile(
    r"\b(?:mov|push|slip|shift|extend|delay|reschedul|postpon)\w*\b[^.,;]{0,30}?\b(?:to|until|till)\s*$", re.I
)
_WEAK_CUE = re.compile(r"\b(by|until|till|to|before|for|on|within|in|->|\u2192)\s*$", re.I)


_CORRECTION = re.compile(
    r"\b(?:no wait|wait,? no|actually|sorry|i mean|i meant|correction|scratch that|make (?:it|that))\b", re.I
)


def due_date(text: str, today: date, *, strict: bool) -> str | None:
    """A due date. Dates cued by due/deadline win; strict=True (new risks) accepts only those, "by <date>" and
    "in N weeks" (other dates in a new risk's story are part of the story)."""
    best: tuple[int, int, str] | None = None
    found = find_dates(text, today)
    fixes = [m.end() for m in _CORRECTION.finditer(text)]
    if fixes and any(start >= fixes[-1] for start, *_ in found):
        found = [f for f in found if f[0] >= fixes[-1]]  # "jan 9, no wait, make it jan 16": the correction
    for start, _end, d, name in found:
        before = text[max(0, start - 30) : start]
        if _STRONG_CUE.search(before):
            tier = 0
        elif name == "in_duration" or re.search(r"\bby\s*$", before) or _MOVED_TO.search(text[:start]):
            tier = 1
        elif _WEAK_CUE.search(before):
            tier = 2
        else:
            tier = 3
        if strict and tier > 1:
            continue
        if best is None or tier < best[0]:
            best = (tier, start, d.isoformat())
    return best[2] if best else None


_RATINGS = {
    "critical": "Critical",
    "crit": "Critical",
    "high": "High",
    "medium": "Medium",
    "med": "Medium",
    "low": "Low",
    "severe": "Critical",
    "red": "High",
    "top": None,
}


def min_rating(text: str) -> str | None:
    low = text.lower()
    m = re.search(
        r"\b(critical|crit|high|medium|med|low|severe)(?:[- ]rated| rating| or (?:above|higher|worse|more)|"
        r"\+| and (?:above|up|higher))?(?:[- ]risk|\s+(?:\w+\s+)?risks?\b|\s+ones?\b)",
        low,
    )
    if not m:
        m = re.search(
            r"\b(?:rat(?:ed|ing)|score[d]?)\s*(?:of|is|=|:|as|at)?\s*(?:at least\s+)?(critical|high|medium|"
            r"low)\b",
            low,
        )
    if not m:
        m = re.search(r"\b(critical|high)(?:[- ]rated)?\b.*\brisks?\b", low) if "risk" in low else None
    return _RATINGS.get(m.group(1)) if m else None


def window_days(text: str, today: date) -> int | None:
    low = text.lower()
    m = re.search(
        r"\b(?:next|within(?: the next)?|in the next|coming|over the next|upcoming)\s+("
        + NUM_ALT
        + r")[- ]?(days?|weeks?|months?)\b",
        low,
    )
    if m:
        n = _num(m.group(1))
        unit = m.group(2)
        return int(n * (1 if unit.startswith("day") else 7 if unit.startswith("week") else 30))
    m = re.search(
        r"\b(?:next|within(?: the next)?|in the next|coming|over the next)\s+(day|week|month|fortnight)\b",
        low,
    )
    if m:
        return {"day": 1, "week": 7, "month": 30, "fortnight": 14}[m.group(1)]
    if re.search(r"\bthis week\b", low):
        return 7
    if re.search(r"\bthis month\b", low):
        import calendar

        return calendar.monthrange(today.year, today.month)[1] - today.day
    if re.search(r"\bnext week\b", low):
        return 14
    return None


def reference_text(text: str, noun: str) -> str:
    """The describing words of "the IRB risk on trialmatch" / "the soft launch one" (else the whole text)."""
    m = re.search(r"\b(?:the|that|this|our)\s+(.{1,60}?)\s+(?:" + noun + r")\b", text, re.I)
    if m and not re.fullmatch(r"\s*", m.group(1)):
        return m.group(1)
    return text


def resolve_record(
    text: str,
    ctx: NluContext,
    kind: str,
    project: str | None,
    noun: str,
    statuses: tuple[str, ...],
    project_words: set[str],
) -> RecordMatch:
    match = match_record(text, ctx, kind, project, statuses=statuses, exclude=project_words)
    if match.explicit:
        return match
    ref = reference_text(text, noun)
    if ref is not text:
        narrowed = match_record(ref, ctx, kind, project, statuses=statuses, exclude=project_words)
        if narrowed.key or narrowed.options:
            return narrowed
    return match


def strip_durations(text: str) -> str:
    return DURATION_RE.sub(" ", text)
