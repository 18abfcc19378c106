"""Normalization: separate the user's own words from pasted text, fix keyword typos and abbreviations."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

# Distinctive command/slot words worth correcting when misspelled ("impct", "probabilty", "mitgation").
KEYWORDS = (
    "probability",
    "likelihood",
    "impact",
    "severity",
    "mitigation",
    "mitigate",
    "milestone",
    "milestones",
    "approve",
    "reject",
    "defer",
    "priority",
    "category",
    "owner",
    "status",
    "change",
    "request",
    "risks",
    "digest",
    "summary",
    "schedule",
    "budget",
    "register",
    "close",
    "update",
)
# Never "correct" these ordinary words into a keyword.
_KEEP = {
    "impacts",
    "changes",
    "changed",
    "closer",
    "closed",
    "closes",
    "states",
    "stats",
    "statue",
    "requests",
    "request",
    "owners",
    "owned",
    "prior",
    "proven",
    "probably",
    "probable",
    "approves",
    "approved",
    "rejects",
    "defers",
    "deferred",
    "delete",
    "budgets",
    "summary",
    "summer",
    "registry",
    "mitigated",
    "closing",
    "updated",
    "updates",
    "schedules",
    "scheduled",
    "risky",
    "category",
    "project",
    "impacted",
    "another",
    "ranger",
    "charge",
    "channel",
    "chance",
    "owner",
    "clone",
    "closely",
    "impala",
}
ABBREVIATIONS = {
    "prob": "probability",
    "probs": "probability",
    "likelihd": "likelihood",
    "imp": "impact",
    "pls": "please",
    "plz": "please",
    "thx": "thanks",
    "ty": "thanks",
    "tks": "thanks",
    "wks": "weeks",
    "wk": "week",
    "wkd": "weeks",
    "mos": "months",
    "mo": "month",
    "mths": "months",
    "hrs": "hours",
    "hr": "hour",
    "eom": "end of month",
    "eow": "end of week",
    "eoy": "end of year",
    "eoq": "end of quarter",
    "eod": "today",
    "tmrw": "tomorrow",
    "tmr": "tomorrow",
    "tomoz": "tomorrow",
    "nxt": "next",
    "msg": "message",
    "mgmt": "management",
    "ms": "milestone",
    "mstone": "milestone",
    "milestn": "milestone",
    "reqs": "requests",
    "u": "you",
    "r": "are",
    "w/": "with",
    "b/c": "because",
    "bc": "because",
    "cuz": "because",
    "asap": "urgently",
    "approv": "approve",
}
# Tokens that look like abbreviations but are meaningful as-is when followed by a digit (R4, M2).
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'/]*")


_KEEP_SHORT = {
    "approver",
    "approvers",
    "approving",
    "deferral",
    "risk",
    "cost",
    "case",
    "once",
    "core",
    "cure",
    "dose",
    "code",
    "copy",
    "date",
    "data",
    "stat",
    "star",
    "stay",
    "step",
    "stop",
    "rate",
    "role",
    "some",
    "same",
    "done",
    "open",
    "over",
}


def _fix_word(word: str) -> str:
    low = word.lower()
    if low in ABBREVIATIONS:
        return ABBREVIATIONS[low]
    if len(low) < 4 or low in _KEEP or low in KEYWORDS or low in _KEEP_SHORT:
        return word
    best, score = None, 0.0
    for kw in KEYWORDS:
        if abs(len(kw) - len(low)) > (1 if len(low) == 4 else 2) or kw[0] != low[0]:
            continue
        sc = 100.0 if sorted(low) == sorted(kw) else fuzz.ratio(low, kw)
        if sc > score:
            best, score = kw, sc
    return best if best and score >= (88 if len(low) == 4 else 86) else word


def normalize(text: str) -> str:
    """Slack markup to plain text, keyword typos fixed, abbreviations expanded; case otherwise kept."""
    s = text.replace("\u2019", "'").replace("\u2018", "'").replace("&amp;", "&")
    s = s.replace("&lt;", "<").replace("&gt;", ">")
    s = re.sub(r"<(https?://[^|>]+)\|([^>]+)>", r"\2", s)
    s = re.sub(r"<@([UW][A-Z0-9]+)\|[^>]*>", r"<@\1>", s)
    s = re.sub(r"<#C[A-Z0-9]+\|([^>]+)>", r"#\1", s)
    s = s.replace(":large_green_circle:", " green ").replace(":green_circle:", " green ")
    s = s.replace(":large_yellow_circle:", " amber ").replace(":yellow_circle:", " amber ")
    s = s.replace(":red_circle:", " red ").replace(":large_orange_circle:", " amber ")
    s = s.replace("\U0001f7e2", " green ").replace("\U0001f7e1", " amber ").replace("\U0001f534", " red ")
    s = s.replace("\U0001f7e0", " amber ")

    s = re.sub(r"(?<!\w)[*_~]{1,2}(\S[^*_~\n]*?\S|\S)[*_~]{1,2}(?!\w)", r"\1", s)  # bold/italic/strike

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        nxt = s[m.end() : m.end() + 1]
        if word.lower() in ("r", "u", "ms", "pl", "imp") and (nxt.isdigit() or nxt == "-"):
            return word
        return _fix_word(word)

    s = _WORD_RE.sub(fix, s)
    return re.sub(r"[ \t]+", " ", s).strip()


_STOP = set(
    "a an the and or of to in on for at by with from into onto about as is are was were be been being it its "
    "this that these those we our us i me my you your he she they them their his her there here then than so "
    "but if not no do does did done can could would should will shall may might must have has had just also "
    "please pls thanks thank hi hey hello one ones some any all what which who whom whose when where why how "
    "up down out over under again more most very too now new get got let make mark set pretty really".split()
)


def stem(word: str) -> str:
    w = word.lower().strip("'")
    for suf in ("ations", "ation", "ings", "ing", "ies", "ied", "ers", "er", "es", "ed", "s", "al", "ly"):
        if w.endswith(suf) and len(w) - len(suf) >= (5 if suf.startswith("er") else 4):
            return w[: -len(suf)] + ("y" if suf in ("ies", "ied") else "")
    return w


def content_tokens(text: str, extra_stop: set[str] | frozenset[str] = frozenset()) -> list[str]:
    """Lower-cased content words (no stopwords, no pure numbers), in order."""
    out = []
    for tok in re.findall(r"[A-Za-z][A-Za-z0-9'-]*", text):
        low = tok.lower().strip("'-")
        if low.endswith("'s"):
            low = low[:-2]
        if len(low) < 2 or low in _STOP or low in extra_stop:
            continue
        out.append(low)
    return out
