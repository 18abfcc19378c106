"""Prefill a form from whatever the message already said ("/pmo risk vendor slips, likely, impact 4")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import dateparser

from bot.nlu.levels import extract_levels
from tools.scales import CATEGORIES, CR_PRIORITIES, RESPONSES

_KEY = re.compile(r"\b([A-Z][A-Z0-9]{1,9})\b")
_OWNER = re.compile(r"\bowner\s*(?:is|:|=)?\s*(<@[UW][A-Z0-9]+(?:\|[^>]*)?>|[A-Z][a-z]+(?:\s[A-Z][a-z]+)?)")
_DUE = re.compile(
    r"\b(?:due|by|before)\s+(\d{4}-\d{2}-\d{2}|[A-Za-z]+\s\d{1,2}(?:,?\s\d{4})?|next \w+|\w+day)\b", re.I
)
_SCHEDULE = re.compile(r"([+-]?\d{1,4})\s*(day|week|wk|month)s?\b", re.I)


def _title(text: str) -> str:
    head = re.split(
        r"[.;\n]|,\s*(?=(?:prob|likelihood|impact|owner|due|by|cost|priority|\$))", text, maxsplit=1
    )[0]
    return head.strip(" ,-")[:300]


def _project(text: str, known: set[str], default: str | None) -> str | None:
    for m in _KEY.finditer(text):
        if m.group(1) in known:
            return m.group(1)
    return default


def _safe(func, *args) -> Any:  # the NLU helpers are best-effort here: a prefill never fails the form
    try:
        return func(*args)
    except Exception:  # noqa: BLE001
        return None


def _word(text: str, vocabulary: tuple[str, ...], after: str | None = None) -> str | None:
    """The first vocabulary word in `text` ("a vendor risk" -> vendor), or the one following `after`."""
    low = text.lower()
    if after:
        m = re.search(rf"\b{after}\s*(?:is|:|=)?\s*(\w+)", low)
        return m.group(1) if m and m.group(1) in vocabulary else None
    return next((w for w in re.findall(r"[a-z]+", low) if w in vocabulary and w != "other"), None)


def _cost(text: str) -> float | None:
    m = re.search(r"\$\s?(\d[\d,]*(?:\.\d+)?)\s*(k|m)?\b", text, re.I)
    if not m:
        return None
    mult = {"k": 1_000, "m": 1_000_000}.get((m.group(2) or "").lower(), 1)
    return float(m.group(1).replace(",", "")) * mult


def _due(text: str, today: date) -> str | None:
    m = _DUE.search(text)
    if not m:
        return None
    parsed = dateparser.parse(
        m.group(1), settings={"RELATIVE_BASE": _midnight(today), "PREFER_DATES_FROM": "future"}
    )
    return parsed.date().isoformat() if parsed else None


def _midnight(today: date):  # noqa: ANN202
    from datetime import datetime

    return datetime(today.year, today.month, today.day)


def risk_values(text: str, *, known_projects: set[str], channel_project: str | None, today: date) -> dict:
    text = (text or "").strip()
    out: dict[str, Any] = {"project": _project(text, known_projects, channel_project)}
    if not text:
        return out
    levels = _safe(extract_levels, text)
    out.update(
        title=_title(text),
        description=text if len(text) > len(_title(text)) + 3 else None,
        probability=getattr(levels, "probability", None),
        impact=getattr(levels, "impact", None),
        category=_word(text, CATEGORIES),
        response=_word(text, RESPONSES),
        due_date=_due(text, today),
    )
    owner = _OWNER.search(text)
    if owner:
        out["owner"] = owner.group(1)
    return {k: v for k, v in out.items() if v not in (None, "")}


def cr_values(text: str, *, known_projects: set[str], channel_project: str | None, today: date) -> dict:
    text = (text or "").strip()
    out: dict[str, Any] = {"project": _project(text, known_projects, channel_project)}
    if not text:
        return out
    out.update(
        title=_title(text),
        description=text if len(text) > len(_title(text)) + 3 else None,
        priority=_word(text, CR_PRIORITIES, after="priority"),
        cost=_cost(text),
    )
    m = _SCHEDULE.search(text)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        out["schedule_days"] = n * (7 if unit in ("week", "wk") else 30 if unit == "month" else 1)
    return {k: v for k, v in out.items() if v not in (None, "")}
