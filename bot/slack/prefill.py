"""Prefill a form from whatever the message already said ("/pmo risk vendor slips, likely, impact 4")."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import dateparser

from bot.nlu import values as nlu_values
from bot.nlu.levels import extract_levels

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
        category=_safe(nlu_values.category, text),
        response=_safe(nlu_values.response, text),
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
        priority=_safe(nlu_values.priority, text),
        cost=_safe(nlu_values.cost, text),
    )
    m = _SCHEDULE.search(text)
    if m:
        n, unit = int(m.group(1)), m.group(2).lower()
        out["schedule_days"] = n * (7 if unit in ("week", "wk") else 30 if unit == "month" else 1)
    return {k: v for k, v in out.items() if v not in (None, "")}
