"""Named labels in text: RAG colours, decisions, record statuses, risk categories and responses."""

from __future__ import annotations

import re

from tools import scales

_RAG_WORDS = {"green": "green", "amber": "amber", "yellow": "amber", "orange": "amber", "red": "red"}
RAG_RE = re.compile(r"\b(green|amber|yellow|orange|red)\b", re.I)
_DIMENSION_RE = re.compile(
    r"\b(schedule|timeline|budget|cost|scope)\s*(?:is|=|:|-|at)?\s*(green|amber|yellow|orange|red)\b"
    r"|\b(green|amber|yellow|orange|red)\s+(?:on|for)\s+(schedule|timeline|budget|cost|scope)\b",
    re.I,
)
_DIM = {
    "schedule": "schedule",
    "timeline": "schedule",
    "budget": "budget",
    "cost": "budget",
    "scope": "scope",
}


def rag_dimensions(text: str) -> tuple[str | None, dict[str, str], list[tuple[int, int]]]:
    """Overall RAG, per-dimension RAG, and the spans used (so the summary can drop them)."""
    dims: dict[str, str] = {}
    spans: list[tuple[int, int]] = []
    for m in _DIMENSION_RE.finditer(text):
        dim = m.group(1) or m.group(4)
        rag = m.group(2) or m.group(3)
        dims[_DIM[dim.lower()]] = _RAG_WORDS[rag.lower()]
        spans.append(m.span())
    overall = None
    for m in RAG_RE.finditer(text):
        if any(a <= m.start() < b for a, b in spans):
            continue
        overall = _RAG_WORDS[m.group(1).lower()]
        spans.append(m.span())
        break
    if overall is None:
        low = text.lower()
        if re.search(r"\boff[- ]track\b|\bblocked\b", low):
            overall = "red"
        elif re.search(r"\bat[- ]risk\b", low):
            overall = "amber"
        elif re.search(r"\bon[- ]track\b|\ball good\b", low):
            overall = "green"
    return overall, dims, spans


DECISION_PATTERNS = [
    ("approve", r"\b(approv\w*|sign(ed|ing)? off|green[- ]?light\w*|lgtm|ok to proceed|go ahead with)\b"),
    ("reject", r"\b(reject\w*|den(y|ied|ying)|declin\w*|turn(ed)? down|no[- ]go|kill it|won'?t approve)\b"),
    (
        "defer",
        r"\b(defer\w*|postpon\w*|on hold|hold off|park (it|this|that)|table (it|this)|punt\w*|revisit|"
        r"not now|push (it|this|that) to next quarter)\b",
    ),
]


def decision(text: str) -> str | None:
    low = text.lower()
    found = [(m.start(), name) for name, pat in DECISION_PATTERNS if (m := re.search(pat, low))]
    if not found:
        return None
    # "not approving, defer it" -> the later, more specific verb; otherwise the first one said.
    if re.search(r"\b(not|don'?t|won'?t|can'?t)\s+(approv)", low):
        rest = [f for f in found if f[1] != "approve"]
        return min(rest)[1] if rest else "reject"
    return min(found)[1]


RISK_STATUS = [
    ("monitoring", r"\b(monitor\w*|watch(ing|list)?)\b"),
    ("closed", r"\b(closed|close)\b"),
    ("open", r"\b(open|active|live|reopen|re-open)\b"),
]
CR_STATUS = [
    ("under_review", r"\b(under[ _-]?review|in review|being reviewed|reviewing)\b"),
    ("submitted", r"\b(submitted|pending|awaiting|waiting|new|undecided)\b"),
    ("approved", r"\bapproved\b"),
    ("rejected", r"\b(rejected|denied|declined)\b"),
    ("deferred", r"\b(deferred|on hold|postponed)\b"),
    (
        "implemented",
        r"\b(implemented|done|"
        r"delivered)\b",
    ),
    ("closed", r"\bclosed\b"),
]
MILESTONE_STATUS = [
    ("in_progress", r"\b(in[ _-]?progress|underway|under way|started|ongoing|in flight)\b"),
    (
        "completed",
        r"\b(complet\w*|done|finished|achieved|hit|met|delivered|signed off|"
        r"received)\b",
    ),
    ("missed", r"\b(missed|overdue|late|slipped|blown)\b"),
    ("planned", r"\b(planned|not started|scheduled)\b"),
]


def first_status(text: str, table: list[tuple[str, str]]) -> str | None:
    """The first status named; after a transition ("in progress -> done", "from open to monitoring") the
    status it moves to."""
    low = text.lower()
    arrow = list(re.finditer(r"\u2192|->|=>|\bfrom\b.{1,25}?\bto\b", low))
    if arrow:
        after = first_status(low[arrow[-1].end() :], table) if arrow[-1].end() < len(low) else None
        if after:
            return after
    hits = [(m.start(), name) for name, pat in table if (m := re.search(pat, low))]
    return min(hits)[1] if hits else None


CATEGORIES = scales.CATEGORIES  # the contract's vocabulary, one definition in tools.scales
_CATEGORY_SYNONYMS = {
    "resourcing": "resource",
    "staffing": "resource",
    "people": "resource",
    "resources": "resource",
    "tech": "technical",
    "financial": "budget",
    "cost": "budget",
    "compliance": "regulatory",
    "legal": "regulatory",
    "ops": "operational",
    "timeline": "schedule",
    "infosec": "security",
    "cyber": "security",
    "phi": "privacy",
    "third-party": "vendor",
    "supplier": "vendor",
    "patient safety": "clinical",
    "safety": "clinical",
    "operations": "operational",
}


def category_word(word: str) -> str | None:
    w = word.lower().strip()
    if w in CATEGORIES:
        return w
    return _CATEGORY_SYNONYMS.get(w)


_CAT_ALT = "|".join(sorted(set(CATEGORIES) | set(_CATEGORY_SYNONYMS), key=len, reverse=True))


def category(text: str, *, adjective: bool = True) -> str | None:
    """Explicit category: "category budget", "cat: privacy", "a regulatory risk" (adjective form)."""
    low = text.lower()
    m = re.search(r"\b(?:category|cat|type)\s*(?:is|=|:|of)?\s*(" + _CAT_ALT + r")\b", low)
    if not m and adjective:
        m = re.search(r"\b(" + _CAT_ALT + r")[- ](?:related )?(?:risks?|issues?)\b", low)
    return category_word(m.group(1)) if m else None


RESPONSES = [
    ("mitigate", r"\b(mitigat\w*)\b"),
    (
        "accept",
        r"\b(accept(ed|ing)? (the |this |it)|we accept|"
        r"response\s*(:|is|=)?\s*accept|just accept|accept it)",
    ),
    ("escalate", r"\b(escalat\w*)\b"),
    ("transfer", r"\b(transfer\w*)\b"),
    ("avoid", r"\b(avoid\w*)\b"),
]


def response(text: str) -> str | None:
    low = text.lower()
    m = re.search(r"\bresponse\s*(?:is|=|:|to)?\s*(avoid|mitigate|transfer|accept|escalate)\b", low)
    if m:
        return m.group(1)
    return first_status(low, RESPONSES)
