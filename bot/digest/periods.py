"""When a weekly subscription is due, and which period a posting belongs to (pure date arithmetic)."""

from __future__ import annotations

import re
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from tools.errors import Invalid

WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_TIME = re.compile(r"^\s*(\d{1,2})(?::(\d{2}))?\s*([ap]\.?m\.?)?\s*$", re.IGNORECASE)


def parse_weekday(value: str | int) -> int:
    """0 (Monday) .. 6 (Sunday) from a day name or its first three letters."""
    if isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 6:
        return value
    word = str(value).strip().lower().rstrip("s")  # "mondays" reads as "monday"
    for i, day in enumerate(WEEKDAYS):
        if word == day or (len(word) >= 3 and day.startswith(word)):
            return i
    raise Invalid(f"'{value}' is not a day of the week; use monday, tuesday, ... sunday.")


def parse_time(value: str) -> str:
    """'HH:MM' (24-hour) from '09:00', '9', '9am', '2:30 pm'."""
    match = _TIME.match(str(value))
    if match:
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        meridiem = (match.group(3) or "").lower().replace(".", "")
        if meridiem and 1 <= hour <= 12:
            hour = hour % 12 + (12 if meridiem == "pm" else 0)
        elif meridiem:
            hour = 99
        if hour < 24 and minute < 60:
            return f"{hour:02d}:{minute:02d}"
    raise Invalid(f"'{value}' is not a time I can read; use HH:MM in 24-hour time, e.g. 09:00.")


def parse_timezone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise Invalid(f"'{value}' is not a time zone I know; use a name like America/Chicago.") from exc
    return value


def _aware(value: datetime) -> datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=UTC)


def latest_occurrence(weekday: int, hhmm: str, tz_name: str, now: datetime) -> datetime:
    """The most recent scheduled moment at or before `now` (aware, in the subscription's zone)."""
    tz = ZoneInfo(tz_name)
    local = _aware(now).astimezone(tz)
    hour, minute = (int(x) for x in hhmm.split(":"))
    day = local.date() - timedelta(days=(local.weekday() - weekday) % 7)
    moment = datetime.combine(day, time(hour, minute), tzinfo=tz)
    if moment > local:
        moment = datetime.combine(day - timedelta(days=7), time(hour, minute), tzinfo=tz)
    return moment


def next_occurrence(weekday: int, hhmm: str, tz_name: str, now: datetime) -> datetime:
    return latest_occurrence(weekday, hhmm, tz_name, now) + timedelta(days=7)


def period_key(moment: datetime) -> str:
    """The ISO week a posting belongs to (`2026-W48`): one digest per subscription per week,
    even when its day or time is changed mid-week."""
    year, week, _ = moment.date().isocalendar()
    return f"{year}-W{week:02d}"


def is_after(moment: datetime, created_at: datetime) -> bool:
    return _aware(moment) >= _aware(created_at)
