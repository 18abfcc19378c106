"""Dates and durations relative to the workspace's today.

Conventions (documented so replies and tests agree):
- "next Friday" / "Friday" / "this Friday" = the first Friday strictly after today; "Friday after next" +7.
- "in two weeks" = today + 14; "in a month" = same day next month; "tomorrow" = today + 1.
- "EOM"/"end of month" = last day of this month; "end of next month" = last day of next month;
  "end of January" = last day of the next January not already past; "EOW"/"end of week" = the coming Friday;
  "end of next week" = Friday of next week; "EOQ" = last day of the quarter; "EOY" = Dec 31;
  "end of Q1" / "Q1 end" = last day of that calendar quarter (the next one not already over).
- "12/15", "jan 14", "mid-January" (15th) = the next occurrence on or after today; "2/15/2027" as written.
- Durations: "6 weeks" = 42 days, "a month" = 30, "sprint" = 14, and "10 business days" = 14 calendar days
  (business days x 7/5, rounded), since schedule impact is counted in calendar days.
"""

from __future__ import annotations

import calendar
import re
from datetime import date, timedelta

import dateparser

MONTHS = (
    {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
    | {m.lower(): i for i, m in enumerate(calendar.month_abbr) if m}
    | {"sept": 9}
)
_MONTH_ALT = "|".join(sorted(MONTHS, key=len, reverse=True))
WEEKDAYS = (
    {d.lower(): i for i, d in enumerate(calendar.day_name)}
    | {d.lower(): i for i, d in enumerate(calendar.day_abbr)}
    | {"tues": 1, "thur": 3, "thurs": 3, "weds": 2}
)
_WD_ALT = "|".join(sorted(WEEKDAYS, key=len, reverse=True))
NUMBER_WORDS = {
    "a": 1,
    "an": 1,
    "one": 1,
    "two": 2,
    "three": 3,
    "four": 4,
    "five": 5,
    "six": 6,
    "seven": 7,
    "eight": 8,
    "nine": 9,
    "ten": 10,
    "eleven": 11,
    "twelve": 12,
    "couple": 2,
    "a couple of": 2,
    "a few": 3,
    "few": 3,
    "several": 3,
    "half a": 0.5,
    "fifteen": 15,
    "twenty": 20,
    "thirty": 30,
}
_NUM_ALT = r"\d+(?:\.\d+)?|" + "|".join(sorted((re.escape(k) for k in NUMBER_WORDS), key=len, reverse=True))
_UNIT_DAYS = {
    "day": 1,
    "days": 1,
    "week": 7,
    "weeks": 7,
    "month": 30,
    "months": 30,
    "sprint": 14,
    "sprints": 14,
    "business day": 1.4,
    "business days": 1.4,
    "working days": 1.4,
    "working day": 1.4,
    "quarter": 91,
    "quarters": 91,
}
_UNIT_ALT = r"business days?|working days?|days?|weeks?|months?|sprints?|quarters?"
DURATION_RE = re.compile(
    r"(?<![\w/])([+~]|about |around |roughly |approx\.? )?\s*(" + _NUM_ALT + r")[- ]?(" + _UNIT_ALT + r")\b",
    re.I,
)


def _num(text: str) -> float:
    t = text.lower().strip()
    return float(NUMBER_WORDS[t]) if t in NUMBER_WORDS else float(t)


def _last_day(y: int, m: int) -> date:
    return date(y, m, calendar.monthrange(y, m)[1])


def _add_months(d: date, n: int) -> date:
    y, m = divmod(d.month - 1 + n, 12)
    y, m = d.year + y, m + 1
    return date(y, m, min(d.day, calendar.monthrange(y, m)[1]))


def _next_month_day(today: date, month: int, day: int) -> date | None:
    for year in (today.year, today.year + 1):
        try:
            d = date(year, month, day)
        except ValueError:
            continue
        if d >= today:
            return d
    return None


def duration_days(text: str) -> int | None:
    """The first duration in the text as calendar days ("+2 weeks" -> 14, "10 business days" -> 14)."""
    m = DURATION_RE.search(text)
    if not m:
        if re.search(r"\bno (schedule (impact|change|slip)|delay|slip)\b", text, re.I):
            return 0
        return None
    days = _num(m.group(2)) * _UNIT_DAYS[m.group(3).lower()]
    return int(round(days))


_PATTERNS: list[tuple[str, str]] = [
    ("end_next_month", r"\bend of (?:the )?next month\b"),
    ("end_month", r"\b(?:end of (?:the |this )?month|month[- ]end)\b"),
    ("end_next_week", r"\bend of (?:the )?next week\b"),
    ("end_week", r"\bend of (?:the |this )?week\b"),
    ("end_quarter", r"\bend of (?:the |this )?quarter\b"),
    ("end_named_quarter", r"\b(?:end of (?:the )?q([1-4])|q([1-4])[- ]end|eoq([1-4]))(?:,? (\d{4}))?\b"),
    ("end_year", r"\bend of (?:the |this )?year\b|\byear[- ]end\b"),
    ("end_named", r"\b(?:end of|late) (" + _MONTH_ALT + r")\b"),
    ("mid_named", r"\bmid[- ](" + _MONTH_ALT + r")\b"),
    ("start_named", r"\b(?:start|beginning|early) (?:of )?(" + _MONTH_ALT + r")\b"),
    ("iso", r"\b(\d{4})-(\d{1,2})-(\d{1,2})\b"),
    ("mdy", r"(?<![\d/])(\d{1,2})/(\d{1,2})/(\d{2,4})\b"),
    ("md", r"(?<![\d/$])(\d{1,2})/(\d{1,2})(?![\d/%])"),
    ("month_day", r"\b(" + _MONTH_ALT + r")\.? (\d{1,2})(?:st|nd|rd|th)?(?:,? (\d{4}))?\b(?!\s*(?:%|k\b))"),
    ("day_month", r"\b(\d{1,2})(?:st|nd|rd|th)? (?:of )?(" + _MONTH_ALT + r")\b(?:,? (\d{4}))?"),
    ("after_next", r"\b(" + _WD_ALT + r") after next\b"),
    ("weekday", r"\b(?:(next|this|on|by|coming) )?(" + _WD_ALT + r")\b"),
    ("tomorrow", r"\btomorrow\b"),
    ("today", r"\btoday\b|\btonight\b"),
    ("next_week", r"\bnext week\b"),
    ("next_month", r"\bnext month\b"),
    ("in_duration", r"\b(?:in|within) (" + _NUM_ALT + r") (days?|weeks?|months?|business days?)\b"),
    ("month_only", r"\b(?:in|by|until|for|before) (" + _MONTH_ALT + r")\b(?! \d)"),
]
_COMPILED = [(name, re.compile(p, re.I)) for name, p in _PATTERNS]


def _resolve(name: str, m: re.Match[str], today: date) -> date | None:
    g = m.groups()
    if name == "end_next_month":
        n = _add_months(today.replace(day=1), 1)
        return _last_day(n.year, n.month)
    if name == "end_month":
        return _last_day(today.year, today.month)
    if name in ("end_week", "end_next_week"):
        fri = today + timedelta(days=(4 - today.weekday()) % 7)
        return fri + timedelta(days=7) if name == "end_next_week" else fri
    if name == "end_quarter":
        q_end = ((today.month - 1) // 3 + 1) * 3
        return _last_day(today.year, q_end)
    if name == "end_year":
        return date(today.year, 12, 31)
    if name == "end_named_quarter":  # calendar quarters; the next one not already over
        q_end = 3 * int(g[0] or g[1] or g[2])
        year = int(g[3]) if g[3] else today.year
        end = _last_day(year, q_end)
        return end if g[3] or end >= today else _last_day(year + 1, q_end)
    if name in ("end_named", "mid_named", "start_named"):
        month = MONTHS[g[0].lower()]
        year = today.year if month >= today.month else today.year + 1
        day = {"end_named": calendar.monthrange(year, month)[1], "mid_named": 15, "start_named": 1}[name]
        return date(year, month, day)
    try:
        if name == "iso":
            return date(int(g[0]), int(g[1]), int(g[2]))
        if name == "mdy":
            year = int(g[2]) + (2000 if len(g[2]) == 2 else 0)
            return date(year, int(g[0]), int(g[1]))
    except ValueError:
        return None
    if name == "md":
        return _next_month_day(today, int(g[0]), int(g[1])) if 1 <= int(g[0]) <= 12 else None
    if name in ("month_day", "day_month"):
        month_s, day_s = (g[0], g[1]) if name == "month_day" else (g[1], g[0])
        month, day = MONTHS[month_s.lower()], int(day_s)
        if g[2]:
            try:
                return date(int(g[2]), month, day)
            except ValueError:
                return None
        return _next_month_day(today, month, day)
    if name in ("weekday", "after_next"):
        wd = WEEKDAYS[(g[1] if name == "weekday" else g[0]).lower()]
        ahead = (wd - today.weekday()) % 7 or 7
        return today + timedelta(days=ahead + (7 if name == "after_next" else 0))
    if name == "tomorrow":
        return today + timedelta(days=1)
    if name == "today":
        return today
    if name == "next_week":
        return today + timedelta(days=7)
    if name == "next_month":
        return _add_months(today, 1)
    if name == "in_duration":
        n, unit = _num(g[0]), g[1].lower()
        if unit.startswith("month"):
            return _add_months(today, int(n))
        return today + timedelta(days=int(round(n * _UNIT_DAYS[unit])))
    if name == "month_only":
        month = MONTHS[g[0].lower()]
        year = today.year if month >= today.month else today.year + 1
        return _last_day(year, month) if month != today.month else _last_day(year, month)
    return None


def find_dates(text: str, today: date) -> list[tuple[int, int, date, str]]:
    """Every date expression: (start, end, date, pattern name), in text order, non-overlapping."""
    found: list[tuple[int, int, date, str]] = []
    for name, rx in _COMPILED:
        for m in rx.finditer(text):
            if any(not (m.end() <= a or m.start() >= b) for a, b, _, _ in found):
                continue
            if (
                name == "weekday"
                and m.group(2).lower() in ("mar", "may", "sun", "sat", "wed")
                and not m.group(1)
            ):
                continue
            d = _resolve(name, m, today)
            if d:
                found.append((m.start(), m.end(), d, name))
    return sorted(found)


def parse_date(text: str, today: date) -> date | None:
    """One date from a short phrase (a follow-up answer); dateparser as the last resort."""
    hits = find_dates(text, today)
    if hits:
        return hits[0][2]
    try:
        from datetime import datetime

        got = dateparser.parse(
            text,
            languages=["en"],
            settings={
                "RELATIVE_BASE": datetime(today.year, today.month, today.day),
                "PREFER_DATES_FROM": "future",
                "STRICT_PARSING": False,
            },
        )
    except Exception:  # dateparser raises assorted errors on odd input; a miss is just "no date"
        return None
    return got.date() if got else None
