"""The contract's scales and vocabularies: levels, ratings, categories, statuses, RAG."""

from __future__ import annotations

import re
from datetime import date, datetime

from tools.errors import Invalid

# Lowest score of each rating; a 5x5 product never lands on 17-19, so High ends at 16.
RATINGS: tuple[str, ...] = ("Low", "Medium", "High", "Critical")
RATING_FLOOR: dict[str, int] = {"Low": 1, "Medium": 5, "High": 10, "Critical": 20}

CATEGORIES: tuple[str, ...] = (
    "schedule",
    "budget",
    "scope",
    "resource",
    "technical",
    "data",
    "model",
    "privacy",
    "security",
    "regulatory",
    "vendor",
    "clinical",
    "operational",
    "other",
)
RESPONSES: tuple[str, ...] = ("avoid", "mitigate", "transfer", "accept", "escalate")
RISK_STATUSES: tuple[str, ...] = ("open", "monitoring", "closed")
CR_STATUSES: tuple[str, ...] = (
    "submitted",
    "under_review",
    "approved",
    "rejected",
    "deferred",
    "implemented",
    "closed",
)
CR_PRIORITIES: tuple[str, ...] = ("low", "medium", "high", "urgent")
CR_DECISIONS: dict[str, str] = {"approve": "approved", "reject": "rejected", "defer": "deferred"}
MILESTONE_STATUSES: tuple[str, ...] = ("planned", "in_progress", "completed", "missed")
RAG: tuple[str, ...] = ("green", "amber", "red")
ROLES: tuple[str, ...] = ("pm", "approver", "member", "admin")

LEVEL_WORDS: dict[str, int] = {
    "very low": 1,
    "rare": 1,
    "very unlikely": 1,
    "negligible": 1,
    "low": 2,
    "unlikely": 2,
    "minor": 2,
    "medium": 3,
    "moderate": 3,
    "possible": 3,
    "med": 3,
    "high": 4,
    "likely": 4,
    "major": 4,
    "very high": 5,
    "almost certain": 5,
    "critical": 5,
    "very likely": 5,
    "certain": 5,
    "severe": 5,
}


def _norm(text: str) -> str:
    return re.sub(r"[\s_\-]+", " ", text.strip().lower())


def parse_level(value: int | str) -> int:
    """A 1-5 level from an integer, a numeric string or one of the contract's words."""
    if isinstance(value, bool):
        raise Invalid("A level must be a number from 1 to 5 or a word like 'low' or 'very high'.")
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, int):
        if 1 <= value <= 5:
            return value
        raise Invalid(f"{value} is outside the 1-5 scale; use 1 (very low) to 5 (very high).")
    if isinstance(value, str):
        word = _norm(value)
        if re.fullmatch(r"[1-5](\s*/\s*5)?", word):
            return int(word[0])
        if word in LEVEL_WORDS:
            return LEVEL_WORDS[word]
    words = (
        "very low/rare=1, low/unlikely=2, medium/moderate/possible=3, high/likely=4, "
        "very high/almost certain=5"
    )
    raise Invalid(f"'{value}' is not a level I know; use 1-5 or a word ({words}).")


def score_rating(score: int) -> str:
    """Low (1-4), Medium (5-9), High (10-16) or Critical (20-25)."""
    if score < 1 or score > 25:
        raise Invalid(f"A risk score is between 1 and 25, not {score}.")
    if score >= RATING_FLOOR["Critical"]:
        return "Critical"
    if score >= RATING_FLOOR["High"]:
        return "High"
    if score >= RATING_FLOOR["Medium"]:
        return "Medium"
    return "Low"


def parse_rating(value: str | int) -> str:
    """A rating name from 'critical', 'HIGH', 'med' or a score; raises Invalid otherwise."""
    if isinstance(value, int) and not isinstance(value, bool):
        return score_rating(value)
    word = _norm(str(value))
    aliases = {"med": "medium", "crit": "critical"}
    word = aliases.get(word, word)
    for rating in RATINGS:
        if rating.lower() == word:
            return rating
    raise Invalid(f"'{value}' is not a rating; use one of {', '.join(RATINGS)}.")


def choice(value: str, allowed: tuple[str, ...], what: str) -> str:
    """`value` normalised (case, spaces, hyphens) if it is one of `allowed`, else Invalid naming them."""
    word = _norm(str(value)).replace(" ", "_")
    if word in allowed:
        return word
    raise Invalid(f"'{value}' is not a valid {what}; use one of: {', '.join(allowed)}.")


def parse_date(value: date | str | None, what: str = "date") -> date | None:
    """A date from a date object or an ISO `YYYY-MM-DD` string; raises Invalid with a sentence."""
    if value is None or value == "":
        return None
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        text = value.strip()
        for parse in (date.fromisoformat, lambda t: datetime.fromisoformat(t).date()):
            try:
                return parse(text)
            except ValueError:
                continue
    raise Invalid(f"The {what} '{value}' is not a date I can read; use YYYY-MM-DD, e.g. 2026-12-15.")


# The change request lifecycle. Approvers often decide straight from submitted, and a deferred
# request can be reopened for review or decided later.
CR_TRANSITIONS: dict[str, tuple[str, ...]] = {
    "submitted": ("under_review", "approved", "rejected", "deferred"),
    "under_review": ("approved", "rejected", "deferred"),
    "deferred": ("under_review", "approved", "rejected"),
    "approved": ("implemented",),
    "implemented": ("closed",),
    "rejected": (),
    "closed": (),
}
CR_AWAITING_DECISION: tuple[str, ...] = ("submitted", "under_review")
