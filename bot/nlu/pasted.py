"""Pasted material (quotes, code, HTML comments, forwarded mail, role-labelled text) vs the user's own words.

Only the user's own words may ask for a write; pasted text is data to summarize, never an instruction.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field


@dataclass
class Split:
    """The user's own words and any pasted/quoted material removed from them."""

    own: str
    pasted: list[str] = field(default_factory=list)
    summarize_request: bool = False


_PASTE_INTRO = re.compile(
    r"\b(summari[sz]e|tl;?dr|what does (this|it|that) (say|mean)|what(?: is|'s) (?:it|this|that) (?:asking|"
    r"saying|"
    r"about|for)|is (?:this|that|it) (?:legit|real|safe|a scam)|translate|rewrite|proofread|explain)\b"
    r"[^:\n]*?(this|that|the following|below|email|message|thread|text|note|doc(ument)?)?\s*[:?\n]",
    re.I,
)
_QUOTE_PAIRS = [('"', '"'), ("\u201c", "\u201d"), ("'''", "'''"), ("\u00ab", "\u00bb")]
_FORWARD = re.compile(r"(-{2,}\s*forwarded message\s*-{2,}|^\s*(from|subject|to|sent):\s)", re.I | re.M)


_SINGLE_QUOTED = re.compile(r"(?:(?<=\s)|^|(?<=:))'((?:[^'\n]|'(?=[a-z]))*)'(?=\s|$|[.,!?;:)-])")


def split_pasted(text: str, *, keep_quotes: bool = False) -> Split:
    """Remove HTML comments, code, block quotes, long quotes and pasted bodies from the user's words.

    keep_quotes=True keeps quoted passages (their text, without the marks): for the content of a record the
    user's own words asked to create ("log this risk: \"...\""), never for deciding what to do.
    """
    pasted: list[str] = []

    def cut(m: re.Match[str]) -> str:
        pasted.append(m.group(0))
        return " "

    s = re.sub(r"<!--.*?(-->|$)", cut, text, flags=re.S)
    s = re.sub(r"\[\[.*?(\]\]|$)|\{\{.*?(\}\}|$)", cut, s, flags=re.S)
    # role-labelled or jailbreak-style text is someone else's instruction, not the user's request
    s = re.sub(r"[\[(]?\b(?:SYSTEM|ASSISTANT|INSTRUCTIONS?|ADMIN)\b\s*[:\]].*?([\])]|$)", cut, s, flags=re.S)
    s = re.sub(
        r"(?i)\b(?:note to (?:the )?(?:ai|assistant|bot)|ignore (?:all )?(?:previous|prior|above) "
        r"instructions|you are (?:now )?(?:an? )?admin).*?([.!?\n]|$)",
        cut,
        s,
        flags=re.S,
    )
    s = re.sub(r"```.*?(```|$)", cut, s, flags=re.S)
    s = re.sub(r"`[^`\n]{12,}`", cut, s)
    s = re.sub(r"^\s*(>|&gt;).*$", cut, s, flags=re.M)

    def quote(m: re.Match[str]) -> str:
        if len(m.group(1).split()) < 5:
            return m.group(0)
        return f" {m.group(1)} " if keep_quotes else cut(m)

    for left, right in _QUOTE_PAIRS:
        pat = re.escape(left) + r"([^" + re.escape(right[0]) + r"]*)(" + re.escape(right) + r"|$)"
        s = re.sub(pat, quote, s, flags=re.S)
    s = _SINGLE_QUOTED.sub(quote, s)
    m = _FORWARD.search(s)
    if m:
        pasted.append(s[m.start() :])
        s = s[: m.start()]
    intro = _PASTE_INTRO.search(s)
    summarize = False
    if intro:
        summarize = True
        rest = s[intro.end() :]
        if len(rest.split()) >= 6:  # a body follows the request to summarize: that body is not the user's
            pasted.append(rest)
            s = s[: intro.end()]
    elif pasted and re.search(r"\b(summari[sz]e|what does|explain|translate|tl;?dr)\b", s, re.I):
        summarize = True
    s = re.sub(r"[ \t]+", " ", s).strip()
    return Split(own=s, pasted=pasted, summarize_request=summarize)
