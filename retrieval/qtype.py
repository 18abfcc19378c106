"""What kind of answer a question asks for ("why" wants a reason, "how many" a number), and its cues.

Cheap cues that break ties between passages and sentences about the same topic.
"""

from __future__ import annotations

import re

_MONTHS = "jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec"  # a month's name starts so ("Sept", "October")
TYPE_BONUS = 0.08  # added to a sentence's (and, weighted, a passage's) score when it has the cue

# question wordings, then what a text holding that kind of answer looks like
_KINDS = [
    ("why", re.compile(r"\bwhy\b|\bwhat (?:was|is|were) the (?:reason|cause|purpose|motivation)\b", re.I)),
    (
        "count",
        re.compile(
            # a measure asked in words ("how busy is the issues@ list", "how fast do builds start")
            r"\bhow (?:many|much|long|often|busy|active|big|large|fast|quickly)\b"
            r"|\bwhat (?:number|percentage|rate)\b",
            re.I,
        ),
    ),
    # at the start of the question or of its clause: "On what date...", "In 2016, when..."
    (
        "when",
        re.compile(
            r"(?:^|[,;:]\s*)(?:(?:on|in|by|from|until|since)\s+)?(?:when|what (?:date|day|month|year))\b",
            re.I,
        ),
    ),
    (
        "who",
        re.compile(
            r"^\s*(?:who|whom|whose)\b|^\s*(?:which|what)\s+(?:[\w-]+\s+){0,3}?(?:people|persons?|members?|"
            r"committers?|contributors?|engineers?|developers?|volunteers?|maintainers?|owners?|leads?|"
            r"managers?|pms?|approvers?|reviewers?|staff|users?)\b",
            re.I,
        ),
    ),
    # where something is, was, or came from: a place ("the street of the old Nitobi office", "the Microsoft
    # Campus in Redmond") or an address
    ("where", re.compile(r"(?:^|[,;:]\s*)where\b|\bwhich (?:city|country|venue|place|location)\b", re.I)),
    (
        "version",
        re.compile(
            r"\b(?:what|which)(?:'s| is| was| are)?\s+(?:the\s+)?(?:[\w-]+\s+){0,3}?"
            r"(?:versions?|releases?)\b",
            re.I,
        ),
    ),
]
_CUES = {
    "why": re.compile(
        r"\b(?:because|due to|since|so that|in order to|aimed at|owing to|as a result|caused by|thanks to|"
        r"reason|to (?:allow|enable|address|avoid|fix|support|remove|reduce|improve))\b",
        re.I,
    ),
    "count": re.compile(r"\d"),
    "when": re.compile(rf"\b(?:(?:19|20)\d\d|{_MONTHS})[a-z]*\b|\d{{1,2}}/\w+/\d\d", re.I),
    "version": re.compile(r"\b\d+\.\d+(?:\.\d+)?\b|@\d"),
    "where": re.compile(
        r"\b(?:street|office|campus|city|venue|hall|headquarters|hosted (?:at|on|by)|located)\b"
        rf"|\b(?:in|at)\s+(?:the\s+)?(?!(?:The|This|That|Our|Q[1-4])\b|(?i:{_MONTHS})[a-z]*\b)[A-Z][a-z]+",
    ),
    # a person's name: two capitalised words, the first not a capitalised function word ("The Committer")
    "who": re.compile(
        r"\b(?!(?:The|A|An|This|That|These|Those|Our|We|Its|It|In|On|At|For|Of|And|But|With|As|By|To|From|"
        r"New|Last|No)\b)[A-Z][a-z]+(?: [A-Z]\.?)? [A-Z][a-z]+\b"
    ),
}
_URL = re.compile(r"\(?\bhttps?://\S+|\bwww\.\S+")
_ONLINE = re.compile(r"\bhttps?://|\bwww\.")  # a link, not a domain named in passing ("cordova.io")


def question_kind(question: str) -> str | None:
    """'why', 'count', 'when', 'who' or 'version' when the question's wording asks for that kind of answer."""
    for kind, pattern in _KINDS:
        if pattern.search(question):
            return kind
    return None


def answer_type_bonus(kind: str | None, text: str) -> float:
    """A small bonus for a text holding the kind of answer asked for (a reason, number, date, name)."""
    if kind is None:
        return 0.0
    if kind == "where" and _ONLINE.search(text):  # "where's the status dashboard?": at its address
        return TYPE_BONUS
    return TYPE_BONUS if _CUES[kind].search(strip_urls(text)) else 0.0


def strip_urls(text: str) -> str:
    return _URL.sub(" ", text)
