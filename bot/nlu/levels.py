"""Probability and impact from free text: "prob 3 impact 4", "likely, high impact", "impact down to 2"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu.values import LIKELIHOOD_ONLY, level_word

_TOKEN = re.compile(r"<@\w+>|[a-z]+(?:-[a-z]+)?|\d+(?:\.\d+)?%?|[^\s\w]")
PROB_ANCHORS = {"probability", "likelihood", "chance", "odds", "prob"}
IMPACT_ANCHORS = {"impact", "severity", "consequence", "impacts"}
_SKIP = {
    "say",
    "is",
    "=",
    ":",
    "of",
    "at",
    "to",
    "down",
    "up",
    "now",
    "from",
    "be",
    "should",
    "set",
    "score",
    "rating",
    "level",
    "-",
    ">",
    "~",
    "around",
    "about",
    "rated",
    "it's",
    "its",
    "maybe",
    "probably",
    "lowered",
    "raised",
    "bumped",
    "drop",
    "dropped",
    "moved",
    "goes",
    "go",
    "went",
    "back",
    "would",
    "as",
    "->",
    "'",
    "s",
    "like",
    "even",
    "still",
    "pretty",
    "fairly",
    "quite",
    "really",
    "reduced",
    "increased",
    "lower",
    "raise",
    "bump",
    "reduce",
    "increase",
    "stays",
    "stay",
    "remains",
    "remain",
    "unchanged",
    "only",
}
_FILLER = {
    "call",
    "rate",
    "rated",
    "put",
    "mark",
    "a",
    "at",
    "now",
    "becomes",
    "became",
    "still",
    "getting",
    "i",
    "i'd",
    "'",
    "d",
    "s",
    "say",
    "think",
    "guess",
    "would",
    "it",
    "it's",
    "its",
    "is",
    "seems",
    "feels",
    "looks",
    "probably",
    "maybe",
    "imo",
    "tbh",
    "honestly",
    "fairly",
    "overall",
    "prob",
    "chance",
    "odds",
    "id",
    "this",
    "that",
    "very",
    "pretty",
    "quite",
    "more",
    "than",
    "not",
    "as",
    "like",
    "so",
    "be",
    "will",
}
_INTENSIFIERS = {"pretty", "fairly", "quite", "really", "rather", "somewhat", "super"}


@dataclass
class Levels:
    probability: int | None = None
    impact: int | None = None


def _value_at(tokens: list[str], i: int) -> tuple[int | None, int]:
    """Level at token i (one or two tokens), and how many tokens it used."""
    if i >= len(tokens):
        return None, 0
    if i + 1 < len(tokens):
        two = level_word(tokens[i] + " " + tokens[i + 1])
        if two is not None:
            return two, 2
    tok = tokens[i]
    pct = re.fullmatch(r"(\d{1,3})%", tok)
    if pct:  # "likelihood 70%"
        p = int(pct.group(1))
        return (1 if p <= 10 else 2 if p <= 30 else 3 if p <= 60 else 4 if p <= 85 else 5), 1
    if re.fullmatch(r"[1-5]", tok):
        nxt = tokens[i + 1] if i + 1 < len(tokens) else ""
        after = tokens[i + 2] if i + 2 < len(tokens) else ""
        if nxt in ("%", "/", "weeks", "week", "days", "day", "months", "k", "x") and not (
            nxt == "/" and (after == "5" or not after[:1].isdigit())
        ):
            return None, 0
        return int(tok), 1
    one = level_word(tok)
    return (one, 1) if one is not None else (None, 0)


def extract_levels(text: str) -> Levels:
    low = text.lower()
    out = Levels()
    compact = re.search(r"\bp\s*[=:]?\s*([1-5])\s*[,/ ]\s*i\s*[=:]?\s*([1-5])\b", low) or re.search(
        r"\bprobability\s*(?:/|and|&)\s*impact\s*(?:of|:|=|is|are)?\s*([1-5])\s*(?:/|and|,|x)\s*([1-5])\b",
        low,
    )
    if compact:
        return Levels(int(compact.group(1)), int(compact.group(2)))
    tokens = _TOKEN.findall(low)
    claimed: set[int] = set()
    anchors = [
        (i, "p" if t in PROB_ANCHORS else "i")
        for i, t in enumerate(tokens)
        if t in PROB_ANCHORS or t in IMPACT_ANCHORS
    ]
    anchor_idx = {i for i, _ in anchors}
    for i, kind in anchors:
        if (out.probability if kind == "p" else out.impact) is not None:
            continue
        value = None
        j = i + 1
        steps = 0
        while j < len(tokens) and steps < 6 and j not in anchor_idx:
            v, used = _value_at(tokens, j)
            if v is not None and j not in claimed:
                value = v
                claimed.update(range(j, j + used))
                # "from 4 to 3": keep reading to the last value
                if j + used + 1 < len(tokens) and tokens[j + used] == "to":
                    v2, used2 = _value_at(tokens, j + used + 1)
                    if v2 is not None:
                        value = v2
                        claimed.update(range(j + used + 1, j + used + 1 + used2))
                break
            # "likelihood is lower now, say 2": a comma only before a hedge that leads to the value
            hedged = (
                tokens[j] == ","
                and j + 1 < len(tokens)
                and tokens[j + 1] in ("say", "maybe", "about", "around")
            )
            if tokens[j] not in _SKIP and not hedged:
                break
            j += 1
            steps += 1
        if value is None:  # "high impact", "very high probability"
            for back in (2, 1):
                k = i - back
                if k < 0 or k in claimed:
                    continue
                v, used = _value_at(tokens, k)
                if v is not None and k + used == i:
                    value = v
                    claimed.update(range(k, i))
                    break
        if value is None:  # "lower the probability of the GPU risk to 2"
            value = _value_after_to(tokens, i, anchor_idx, claimed)
        if kind == "p":
            out.probability = value
        else:
            out.impact = value
    if out.probability is None:
        out.probability = _bare_likelihood(tokens, claimed)
    return out


def _value_after_to(tokens: list[str], i: int, anchor_idx: set[int], claimed: set[int]) -> int | None:
    for j in range(i + 1, min(len(tokens) - 1, i + 12)):
        if j in anchor_idx or tokens[j] in (".", ";", "?", "!"):
            return None
        if tokens[j] in ("to", "at", "as") and j + 1 not in claimed:
            v, used = _value_at(tokens, j + 1)
            if v is not None:
                claimed.update(range(j + 1, j + 1 + used))
                return v
    return None


def _bare_likelihood(tokens: list[str], claimed: set[int]) -> int | None:
    """An unanchored "likely"/"unlikely" said as its own short clause ("pretty likely, high impact")."""
    clauses: list[list[int]] = [[]]
    for i, t in enumerate(tokens):
        if t in (",", ".", ";", "(", ")", "!", "?", "+", "&", "/", "-", "\u2013", "\u2014") or t in (
            "but",
            "and",
            "so",
            "with",
        ):
            clauses.append([])
        else:
            clauses[-1].append(i)
    for clause in clauses:
        words = [tokens[i] for i in clause if i not in claimed]
        if not words:
            continue
        for n in (2, 1):
            for k in range(len(words) - n + 1):
                phrase = " ".join(words[k : k + n])
                if phrase in LIKELIHOOD_ONLY:
                    others = [
                        w
                        for w in words
                        if w not in _INTENSIFIERS and w not in _FILLER and w not in phrase.split()
                    ]
                    if len(others) <= 1 and "not" not in words:
                        return level_word(phrase)
    return None
