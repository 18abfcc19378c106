"""Scalar slot values: probability/impact levels, cost, priority, RAG, statuses, decision, category."""

from __future__ import annotations

import re

# Longest phrases first so "very high" wins over "high".
LEVEL_WORDS: list[tuple[str, int]] = [
    ("almost certain", 5),
    ("very likely", 5),
    ("highly likely", 5),
    ("very high", 5),
    ("extremely high", 5),
    ("super high", 5),
    ("very low", 1),
    ("very unlikely", 1),
    ("highly unlikely", 1),
    ("extremely low", 1),
    ("medium high", 4),
    ("medium-high", 4),
    ("low-medium", 2),
    ("critical", 5),
    ("catastrophic", 5),
    ("severe", 5),
    ("certain", 5),
    ("crit", 5),
    ("rare", 1),
    ("negligible", 1),
    ("minimal", 1),
    ("remote", 1),
    ("improbable", 2),
    ("unlikely", 2),
    ("low", 2),
    ("minor", 2),
    ("medium", 3),
    ("moderate", 3),
    ("possible", 3),
    ("possibly", 3),
    ("med", 3),
    ("mid", 3),
    ("high", 4),
    ("likely", 4),
    ("probable", 4),
    ("major", 4),
    ("significant", 4),
    ("hi", 4),
    ("lo", 2),
]
LIKELIHOOD_ONLY = {
    "almost certain",
    "very likely",
    "highly likely",
    "very unlikely",
    "highly unlikely",
    "certain",
    "rare",
    "remote",
    "improbable",
    "unlikely",
    "possible",
    "possibly",
    "likely",
    "probable",
}
_LEVEL_RE = re.compile(r"(?<![\w-])(" + "|".join(re.escape(w) for w, _ in LEVEL_WORDS) + r")(?![\w-])", re.I)
_LEVEL_MAP = dict(LEVEL_WORDS)


def level_word(text: str) -> int | None:
    m = _LEVEL_RE.fullmatch(text.strip().lower())
    return _LEVEL_MAP[m.group(1).lower()] if m else None


def level_answer(text: str) -> int | None:
    """A bare answer to "what's the impact?": "4", "critical tbh", "very high"."""
    low = re.sub(r"-?ish\b", "", text.lower())
    m = re.search(r"(?<![\d.$/])\b([1-5])\b(?!\s*(%|/|\.\d|weeks?|days?|k\b))", low)
    w = _LEVEL_RE.search(low)
    if w and (not m or w.start() < m.start()):
        return _LEVEL_MAP[w.group(1).lower()]
    return int(m.group(1)) if m else None


_PRIORITY = {
    "low": "low",
    "medium": "medium",
    "med": "medium",
    "normal": "medium",
    "high": "high",
    "urgent": "urgent",
    "urgently": "urgent",
    "critical": "urgent",
    "asap": "urgent",
    "p1": "urgent",
    "p2": "high",
    "p3": "medium",
    "p4": "low",
    "top": "urgent",
}


def priority(text: str) -> str | None:
    low = text.lower()
    m = re.search(
        r"\b(?:priority|prio|pri)\s*(?:is|=|:|of|to|should be)?\s*(low|medium|med|normal|high|urgent|"
        r"critical|p[1-4])"
        r"\b",
        low,
    )
    if not m:
        m = re.search(
            r"\b(low|medium|med|normal|high|urgent|critical|top)[- ]?(?:pri\b|priority|prio\b)", low
        )
    if not m:
        m = re.search(r"\b(urgent|urgently|asap)\b", low)
    if not m:  # a bare level as its own comma/period segment: "..., +4 wks, high"
        m = re.search(r"(?:^|[,.;/|])\s*(low|medium|med|high|urgent)\s*(?:[,.;!/|]|$)", low)
    return _PRIORITY[m.group(1)] if m else None


def cost(text: str) -> int | float | None:
    low = text.lower().replace("usd ", "$")
    num = r"(\d[\d,]*(?:\.\d+)?)\s*(k|m|mm|million|thousand|mil)?\b"
    m = re.search(r"\$\s*" + num, low) or re.search(
        num.replace(r"?\b", r"?") + r"\s*(?:usd|dollars|"
        r"bucks)\b",
        low,
    )
    if not m:
        m = re.search(
            r"\b(?:cost|costs|costing|budget|price)\s*(?:of|is|:|=|~|about|around|will be)?\s*~?" + num, low
        )
    if not m:
        if re.search(
            r"\b(?:no|zero|nil)\s+(?:extra\s+|additional\s+|added\s+|incremental\s+|new\s+|net\s+)?"
            r"(?:cost|spend|budget impact|dollars|money|\$)|\bcost[- ]neutral\b|\bfree of charge\b",
            low,
        ):
            return 0
        return None
    value = float(m.group(1).replace(",", ""))
    unit = (m.group(2) or "").lower()
    if unit in ("k", "thousand"):
        value *= 1_000
    elif unit in ("m", "mm", "million", "mil"):
        value *= 1_000_000
    value = round(value, 2)
    return int(value) if value == int(value) else value
