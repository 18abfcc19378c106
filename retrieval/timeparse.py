"""What a question says about time: a named period ("Q3 2020", "last spring") and/or "now, latest"."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, timedelta

import dateparser

MONTHS = {
    m: i + 1
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ]
    )
    for m in names
}
_MONTH_RE = "|".join(sorted(MONTHS, key=len, reverse=True))
SEASONS = {"spring": (3, 5), "summer": (6, 8), "fall": (9, 11), "autumn": (9, 11), "winter": (12, 2)}
_ORD = {"first": 1, "1st": 1, "second": 2, "2nd": 2, "third": 3, "3rd": 3, "fourth": 4, "4th": 4, "last": 4}
RECENCY = re.compile(
    r"\b(now|nowadays|current|currently|latest|newest|most recent|recent|recently|lately|of late|yet|still|"
    r"today|trending|these days|at the moment|at present|so far|any more|anymore|"
    r"this (?:quarter|month|year|week))\b",
    re.I,
)


@dataclass(frozen=True)
class TimeIntent:
    start: date | None = None  # the period the question names, inclusive
    end: date | None = None
    recency: bool = False  # prefers the newest documents and live records
    topic: str = ""  # the question without its time words, for lexical matching
    report: bool = False  # names a report by its period ("the April 2014 report"), not only a period
    earliest: bool = False  # prefers the oldest documents: "the very first release of cordova-common"

    @property
    def has_period(self) -> bool:
        return self.start is not None and self.end is not None

    @property
    def by_date(self) -> bool:
        """Asks for the newest ("latest") or the oldest ("the very first") of something."""
        return self.recency or self.earliest


def _month_end(year: int, month: int) -> date:
    nxt = date(year + (month == 12), month % 12 + 1, 1)
    return nxt - timedelta(days=1)


def _span(year: int, first_month: int, last_month: int) -> tuple[date, date]:
    if last_month < first_month:  # winter runs into the next year
        return date(year, first_month, 1), _month_end(year + 1, last_month)
    return date(year, first_month, 1), _month_end(year, last_month)


def _quarter(year: int, q: int) -> tuple[date, date]:
    return _span(year, 3 * q - 2, 3 * q)


class _Recorder:
    """re.search that remembers the last match, so the phrase that named the period can be removed."""

    def __init__(self) -> None:
        self.last: re.Match[str] | None = None

    def __call__(self, pattern: str, text: str) -> re.Match[str] | None:
        m = re.search(pattern, text)
        if m:
            self.last = m
        return m


def _period(text: str, today: date, search: _Recorder) -> tuple[date, date] | None:
    t = text.lower()
    year = r"((?:19|20)\d\d)"
    if m := search(rf"\bq([1-4])\s*(?:of\s+)?'?{year}", t):
        return _quarter(int(m[2]), int(m[1]))
    if m := search(rf"\b{year}\s*q([1-4])\b", t):
        return _quarter(int(m[1]), int(m[2]))
    if m := search(rf"\b(first|second|third|fourth|last|1st|2nd|3rd|4th) quarter (?:of |in )?{year}", t):
        return _quarter(int(m[2]), _ORD[m[1]])
    if m := search(rf"\b(first|second|1st|2nd) half (?:of )?{year}", t):
        return _span(int(m[2]), 1, 6) if m[1] in ("first", "1st") else _span(int(m[2]), 7, 12)
    if m := search(rf"\b(spring|summer|fall|autumn|winter) (?:of )?{year}", t):
        return _span(int(m[2]), *SEASONS[m[1]])
    part = r"(early|beginning of|start of|mid|middle of|late|end of|the end of)"
    if m := search(rf"\b{part}(?: ?- ?| ){year}", t):
        y, w = int(m[2]), m[1]
        if w in ("early", "beginning of", "start of"):
            return _span(y, 1, 4)
        # "mid-2019": April to July, what the June report covers (the report people mean by it; May to
        # August favoured the September report, about the summer)
        return _span(y, 4, 7) if w in ("mid", "middle of") else _span(y, 9, 12)
    # a run of months: "May and June 2013", "from October to December 2015", "Dec 2012 - Feb 2013"
    join = r"\.?,?\s*(?:-|\u2013|to|through|thru|and|until|till)\s*"
    if m := search(rf"\b({_MONTH_RE})(?:\.?,? {year})?{join}({_MONTH_RE})\.?,? {year}", t):
        first, last, y = MONTHS[m[1]], MONTHS[m[3]], int(m[4])
        start_year = int(m[2]) if m[2] else y - (first > last)
        if start_year <= y:
            return date(start_year, first, 1), _month_end(y, last)
    if m := search(rf"\b({_MONTH_RE})\.?,? (?:(\d{{1,2}})(?:st|nd|rd|th)?,? )?{year}", t):
        month, y = MONTHS[m[1]], int(m[3])
        if m[2] and 1 <= int(m[2]) <= 31:
            parsed = dateparser.parse(m[0], settings={"PREFER_DAY_OF_MONTH": "first"})
            if parsed:
                return parsed.date(), parsed.date()
        return _span(y, month, month)
    if m := search(rf"\b{year}-(0[1-9]|1[0-2])\b", t):
        return _span(int(m[1]), int(m[2]), int(m[2]))
    if m := search(r"\blast (spring|summer|fall|autumn|winter)\b", t):
        first, last = SEASONS[m[1]]
        y = today.year if (first <= today.month and first != 12) or today.month > last else today.year - 1
        start, end = _span(y, first, last)
        while end >= today:
            start, end = _span(start.year - 1, first, last)
        return start, end
    if m := search(r"\b(this|last|previous|past) (quarter|month|year)\b", t):
        return _relative(m[1], m[2], today)
    if m := search(r"\b(\d+|a|one|two|three|six) (months?|years?|weeks?) ago\b", t):
        parsed = dateparser.parse(m[0], settings={"RELATIVE_BASE": _dt(today)})
        if parsed:
            d = parsed.date()
            return (date(d.year, d.month, 1), _month_end(d.year, d.month)) if "month" in m[2] else (d, d)
    if m := search(rf"\b(?:in|during|of|for|since|by|from|year) {year}\b", t) or search(rf"\b{year}\b", t):
        y = int(m[1])
        return date(y, 1, 1), date(y, 12, 31)
    return None


def _dt(d: date):
    from datetime import datetime

    return datetime(d.year, d.month, d.day)


def _relative(which: str, unit: str, today: date) -> tuple[date, date]:
    back = which != "this"
    if unit == "year":
        y = today.year - back
        return date(y, 1, 1), date(y, 12, 31)
    if unit == "month":
        first = today.replace(day=1)
        if back:
            first = (first - timedelta(days=1)).replace(day=1)
        return first, _month_end(first.year, first.month)
    q = (today.month - 1) // 3 + 1
    y = today.year
    if back:
        q, y = (q - 1, y) if q > 1 else (4, y - 1)
    return _quarter(y, q)


def _not_now(question: str, m: re.Match[str]) -> bool:
    """ "still"/"yet" after a past tense tell of then, not now: "while the team was still waiting"; and
    "now that" joins a reason ("retiring add-ons now that the phones' web engines do the job"), it does not
    ask for the newest report."""
    word = m[0].lower()
    if word == "now":
        return bool(re.match(r"\s+that\b", question[m.end() :], re.I))
    return word in ("still", "yet") and _past_before(question[: m.start()])


_TENSE = re.compile(r"\b(?:(was|were|had|did)|(is|are|am|has|have|do|does|can|will)|([a-z]{3,}ed))\b", re.I)


def _past_before(text: str) -> bool:
    """The question's tense before "still"/"yet" is past: its last auxiliary ("while the team was still
    waiting"; "Is the dashboard still green?" and the present perfect "Have they received the phones yet?"
    ask about now), or with none, a past verb ("what happened to users who still used the old ids")."""
    if re.search(r"\b(?:back then|back in|at the time)\b", text, re.I):
        return True
    verbs = list(_TENSE.finditer(text))
    auxiliaries = [v for v in verbs if v[1] or v[2]]
    if auxiliaries:
        return bool(auxiliaries[-1][1])
    return bool(verbs)


_REPORT_AFTER = re.compile(r"^\W*(?:'s\s+)?(?:[a-z]+\s+){0,2}?reports?\b", re.I)
_REPORT_BEFORE = re.compile(r"\breports?\s+(?:for|from|of|dated)\s+(?:the\s+)?$", re.I)


def _names_report(question: str, phrase: str) -> bool:
    """The period phrase names a report: "the September 2014 board report", "the report for Q3 2019"."""
    at = question.lower().find(phrase.lower())
    if at < 0:
        return False
    after = question[at + len(phrase) :]
    return bool(_REPORT_AFTER.match(after) or _REPORT_BEFORE.search(question[:at]))


# how a story ended: its newest word ("what did we end up doing with the donation?", "did the trademark
# misuse ever get sorted out?", "where do things stand?"), unless the question names a period; not "did
# the project ever get funding?", which asks whether it happened at all
OUTCOME = re.compile(
    r"\b(?:end(?:ed|s)? up|w(?:i|ou)nd up|in the end|eventually|"
    r"where (?:do|does|did) (?:things|it|that) stand|"
    r"ever (?:actually |really )?(?:(?:get|got|gets) (?:\w+ed|spent|done|paid|built)|turn(?:ed)? into|"
    r"clean(?:ed)? up|happen(?:ed)?|c[ao]me of))\b",
    re.I,
)
_WHY = re.compile(r"\bwhy\b|\bhow come\b", re.I)
EARLIEST = re.compile(
    r"\b(?:very first|earliest|first[- ]ever|initial release|originally|first (?:release|version) of)\b", re.I
)


def parse_time(question: str, today: date) -> TimeIntent:
    """The period a question names (relative to `today`), and whether it asks about the present or about
    the first time something happened."""
    recorder = _Recorder()
    period = _period(question, today, recorder)
    phrases = [recorder.last[0]] if period and recorder.last else []
    found = [m for m in RECENCY.finditer(question) if not _not_now(question, m)]
    phrases += [m[0] for m in found]
    recency = bool(found)
    # (not "why did they end up ...": its reason is told when it happened)
    outcome = None if period or _WHY.search(question) else OUTCOME.search(question)
    if outcome:
        phrases.append(outcome[0])
        recency = True
    earliest = not recency and bool(EARLIEST.search(question))
    if period and re.search(r"\bthis (quarter|month|year|week)\b", question, re.I):
        recency = True
    rest = question.lower()
    for phrase in phrases:
        rest = rest.replace(phrase.lower(), " ")
    if period:
        recent = recency and period[1] >= today - timedelta(days=120)
        report = bool(recorder.last) and _names_report(question, recorder.last[0])
        return TimeIntent(period[0], period[1], recent, rest, report, earliest)
    return TimeIntent(recency=recency, topic=rest, earliest=earliest)
