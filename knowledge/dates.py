"""A document's own date: from front matter, a date in its title, its file name, or its file times.

Month-precise sources (``2024-09.md``, "Status report - Sept 2024") give the first day of that
month as `doc_date` and keep the precision in `period` ("2024-09"), so "in September 2024"
matches the report while sorting by date still works. Year-only gives Jan 1 and period "2024";
a quarter ("Q3 2020") gives its first day and period "2020-Q3".
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime

MONTHS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "may": 5, "jun": 6,
    "jul": 7, "aug": 8, "sep": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"  # noqa: E501
_YEAR = r"((?:19|20)\d\d)"
ISO_DAY = re.compile(rf"(?<![\d.]){_YEAR}-(\d\d)-(\d\d)(?!\d|\.\d)")
ISO_MONTH = re.compile(rf"(?<![\d.@]){_YEAR}[-_.](\d\d)(?!\d|\.\d)")
COMPACT = re.compile(rf"(?<!\d){_YEAR}(\d\d)(\d\d)?(?!\d)")
MONTH_DAY_YEAR = re.compile(rf"\b{_MONTH}\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?\s*,?\s*{_YEAR}\b", re.I)
MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s+{_YEAR}\b", re.I)
QUARTER = re.compile(rf"\bQ([1-4])[\s\-_]*{_YEAR}\b|\b{_YEAR}[\s\-_]*Q([1-4])\b", re.I)
YEAR = re.compile(rf"(?<![\d.@-]){_YEAR}(?!\d|[.-]\d)")
# "05/Feb/13", "9-Apr-2013", "23 October 2016": the day first, as release lists and JIRA write it
DAY_MONTH_YEAR = re.compile(rf"(?<![\d/])(\d{{1,2}})[/\s-]{_MONTH}\.?[/\s-]((?:19|20)?\d\d)(?![\d/])", re.I)


@dataclass(frozen=True)
class DocDate:
    value: date
    period: str  # "2024-09-15", "2024-09", "2020-Q3" or "2024": the precision the source had
    source: str  # front_matter, title, file_name, file_metadata, mtime


def _day(year: int, month: int, day: int = 1) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def find_date(text: str, *, allow_year: bool = False, allow_compact: bool = False) -> tuple[date, str] | None:
    """The first date-like mention in a short string such as a title or file name."""
    if m := ISO_DAY.search(text):
        if d := _iso_day(m):
            return d, d.isoformat()
    if m := MONTH_DAY_YEAR.search(text):
        if d := _month_day_year(m):
            return d, d.isoformat()
    if m := MONTH_YEAR.search(text):
        month, year = _month(m.group(1)), int(m.group(2))
        return date(year, month, 1), f"{year}-{month:02d}"
    if m := ISO_MONTH.search(text):
        if d := _day(int(m.group(1)), int(m.group(2))):
            return d, f"{d.year}-{d.month:02d}"
    if m := QUARTER.search(text):
        q, year = (m.group(1), m.group(2)) if m.group(1) else (m.group(4), m.group(3))
        return date(int(year), 3 * int(q) - 2, 1), f"{year}-Q{q}"
    if allow_compact and (m := COMPACT.search(text)):
        day = int(m.group(3)) if m.group(3) else 1
        if d := _day(int(m.group(1)), int(m.group(2)), day):
            return d, d.isoformat() if m.group(3) else f"{d.year}-{d.month:02d}"
    if allow_year and (m := YEAR.search(text)):
        return date(int(m.group(1)), 1, 1), m.group(1)
    return None


def days_in(text: str) -> list[date]:
    """Every whole date a text writes ("2024-10-21", "Oct 23 2016", "05/Feb/13"), in order of writing."""
    found = [(m.start(), read(m)) for pattern, read in _WHOLE_DAYS for m in pattern.finditer(text)]
    return [d for _, d in sorted(found, key=lambda f: f[0]) if d is not None]


def _month(name: str) -> int:
    return MONTHS[name[:3].lower()]


def _iso_day(m: re.Match[str]) -> date | None:
    return _day(int(m[1]), int(m[2]), int(m[3]))


def _month_day_year(m: re.Match[str]) -> date | None:
    return _day(int(m[3]), _month(m[1]), int(m[2]))


def _day_month_year(m: re.Match[str]) -> date | None:
    return _day(int(m[3]) + (2000 if len(m[3]) == 2 else 0), _month(m[2]), int(m[1]))


# the patterns that write a whole day, each with how its match reads as one
_WHOLE_DAYS = ((ISO_DAY, _iso_day), (MONTH_DAY_YEAR, _month_day_year), (DAY_MONTH_YEAR, _day_month_year))


def coerce_date(value: object) -> tuple[date, str] | None:
    """A front-matter or metadata value (date, datetime or string) as a date, if it is one."""
    if isinstance(value, datetime):
        return value.date(), value.date().isoformat()
    if isinstance(value, date):
        return value, value.isoformat()
    if isinstance(value, int) and 1900 <= value <= 2100:
        return date(value, 1, 1), str(value)
    if isinstance(value, str) and value.strip():
        return find_date(value, allow_year=True, allow_compact=True)
    return None


def resolve_date(
    *,
    front_matter: object = None,
    title: str | None = None,
    file_name: str | None = None,
    file_metadata: object = None,
    mtime: float | None = None,
) -> DocDate | None:
    """Pick the document's date in order of trust: front matter, title, file name, file dates."""
    candidates = (
        ("front_matter", coerce_date(front_matter) if front_matter is not None else None),
        ("title", find_date(title) if title else None),
        ("file_name", find_date(file_name, allow_compact=True) if file_name else None),
        ("file_metadata", coerce_date(file_metadata) if file_metadata is not None else None),
    )
    for source, found in candidates:
        if found:
            return DocDate(found[0], found[1], source)
    if mtime is not None:
        d = datetime.fromtimestamp(mtime, UTC).date()
        return DocDate(d, d.isoformat(), "mtime")
    return None
