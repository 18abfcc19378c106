"""Write safety shared by both engines: only the user's own words may ask for a write, and only
people with the right role may decide a change request. Also PHI redaction for the audit trail."""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from typing import Any

from bot.nlu.types import WRITE_TOOLS  # one list of the contract's write tools

DECIDE_TOOLS = frozenset({"decide_change_request"})

# Material the user pasted rather than wrote: quoted passages, code, HTML comments, Slack quotes.
_PASTED = [
    re.compile(r"<!--.*?(-->|$)", re.S),
    re.compile(r"```.*?(```|$)", re.S),
    re.compile(r"`[^`\n]*`"),
    re.compile(r"^\s*(>|&gt;).*$", re.M),
    re.compile(r"\"[^\"]{12,}(\"|$)", re.S),
    re.compile(r"“[^”]{12,}(”|$)", re.S),
]

# Verbs of change; the LLM engine also accepts a write the built-in engine reads in the user's own words.
_WRITE_WORDS = re.compile(
    r"\b(log|add|create|file|filing|raise|register|update|change|set|bump|lower|drop|push|move|slip|"
    r"extend|close|closing|resolve|retire|mark|approve|approving|reject|rejecting|decline|defer|postpone|"
    r"post|reassign|assign|increase|decrease|reduce|reopen|complete|withdraw)\b",
    re.I,
)
_UNDO = re.compile(
    r"^\s*(please\s+)?(undo|revert|roll\s*back)(\s+(that|this|it|the last( change)?|my last change))?"
    r"(\s+please)?\s*[.!]*\s*$",
    re.I,
)


def own_words(text: str) -> str:
    """The user's message without anything they pasted (quotes, code, comments)."""
    for pattern in _PASTED:
        text = pattern.sub(" ", text)
    return re.sub(r"\s+", " ", text).strip()


def has_pasted_material(text: str) -> bool:
    return own_words(text) != re.sub(r"\s+", " ", text).strip()


def plausibly_requests_write(text: str, detector: Callable[[str], bool] | None = None) -> bool:
    """Whether the user's own words (pasted material removed) could be asking for a change."""
    words = own_words(text)
    if detector is not None:
        return bool(detector(words))
    return bool(_WRITE_WORDS.search(words))


def is_write(tool: str | None, specs: Mapping[str, Any] | None = None) -> bool:
    """Whether a tool changes records (its spec says so; the contract's write tools otherwise)."""
    if tool is None:
        return False
    spec = (specs or {}).get(tool)
    return bool(spec.writes) if spec is not None else tool in WRITE_TOOLS


def needs_decider(tool: str | None) -> bool:
    return tool in DECIDE_TOOLS


def is_undo(text: str) -> bool:
    return bool(_UNDO.match(text or ""))


_FALLBACK_PHI = [
    (re.compile(r"\b(MRN|medical record (number|no\.?))\s*[:#]?\s*\w*\d{5,}\b", re.I), "<MRN>"),
    (re.compile(r"\b\d{3}-\d{2}-\d{4}\b"), "<SSN>"),
    (re.compile(r"\b\(?\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b"), "<PHONE>"),
    (re.compile(r"\b[\w.+-]+@[\w-]+\.[\w.]+\b"), "<EMAIL>"),
    (re.compile(r"\b(DOB|date of birth)\s*[:#]?\s*\S+", re.I), "<DOB>"),
]


class Redactor:
    """PHI redaction for audit text: the knowledge package's redactor, or a conservative fallback."""

    def __init__(self, enabled: bool = True, *, impl: Any = None) -> None:
        self.enabled = enabled
        self._impl: Any = impl
        if enabled and impl is None:
            try:
                from knowledge.phi import PhiRedactor

                self._impl = PhiRedactor(enabled=True)
            except ImportError:  # knowledge.phi not installed in this build
                self._impl = None

    def __call__(self, text: str) -> str:
        if not self.enabled or not text:
            return text
        if self._impl is not None:
            return self._impl.redact(text).text
        for pattern, label in _FALLBACK_PHI:
            text = pattern.sub(label, text)
        return text
