"""Free-text slots: title, description, mitigation, scope, reason, status summary, question text."""

from __future__ import annotations

import re

from bot.nlu.levels import extract_levels

_GREETING = re.compile(
    r"^\s*(?:(?:hi|hey|hello|yo|morning|good (?:morning|afternoon)|ok(?:ay)?|so|quick one|fyi|heads[- ]up|"
    r"hi team|hey team|hey bot|hi bot|<@[UW][A-Z0-9]+>|@\w+)\b[\s,!.:\-]*)+",
    re.I,
)
_COMMAND_WORDS = (
    r"(?:log|add|new|raise|flag|record|create|open|register|file|filing|submit|submitting|"
    r"put in|enter|track|capture|logging|adding|raising|another)"
)
_OBJECT_WORDS = r"(?:risk|risks|cr|crs|change request|change req|change|status update|status|update|issue)"
_LEADING_CMD = re.compile(
    r"^(?:(?:please|pls|can you|could you|would you|can u|pls can you|kindly|i need to|i want to|i'd like to|"
    r"let's|lets|we need to|we need|i need|need to|need|we want|we'd like|i'd like|want to)\s+)*(?:"
    + _COMMAND_WORDS
    + r"\s+)?(?:(?:a|an|new|another|the|this)\s+)*(?:\w+\s+)?"
    + _OBJECT_WORDS
    + r"\b(?:\s+(?:for|on|in|to|against|under))?",
    re.I,
)
_SEP = re.compile(r"\s*(?::|\s[-\u2013\u2014]+\s|[-\u2013\u2014]{1,2}\s|\s[-\u2013\u2014]{1,2}(?=\w))\s*")
_LEADIN = re.compile(
    r"^.{0,120}?\b(?:it turns out|turns out|found out|just heard|we heard|i heard|heard|learned|looks like|"
    r"apparently|noticed|realized|it seems|seems like)\s+(?:that\s+)?",
    re.I,
)
_WANT = re.compile(
    r"^(?:we'?d like to|we would like to|we want to|we need to|i'd like to|i want to|we should|"
    r"let's|lets|we'll need to|we will need to|need to|want to|the request is to|request to|"
    r"propose to|proposal:?|we propose to|plan is to)\s+",
    re.I,
)
_TAIL_CMD = re.compile(
    r"[\s,;.\-\u2014]*\b(?:can|could|would) (?:you|u) (?:please |pls )?(?:log|file|add|record|track|raise|"
    r"submit|put)\b[^.,;]*|[\s,;.\-]*\b(?:please|pls) (?:log|file|add|record|track)\b[^.,;]*",
    re.I,
)
_SLOT_CLAUSE = re.compile(
    r"\b(probability|likelihood|impact|severity|owner|owned by|assign(ed)? to|due|deadline|category|priority|"
    r"prio|response|cost|costs|budget impact|estimated|estimate|est\.?)\b|<@[UW]|\$\s*\d|\b\d+\s*(k|m)\b|"
    r"^\W*(thanks|thank you|thx|ty|cheers|please|pls|asap|urgent|high|low|medium|med)\W*(so much)?\W*$",
    re.I,
)
_DURATION_ONLY = re.compile(
    r"^\W*(?:about |around |roughly |approx\.? |est\.? |~|\+)?\s*\d+(\.\d+)?\s*"
    r"(?:business |working )?(days?|weeks?|months?|sprints?)\W*$",
    re.I,
)
_LIKELIHOOD_ONLY = re.compile(
    r"^\W*(?:(?:pretty|fairly|quite|really|very|highly|most|almost)\s+)?(likely|unlikely|"
    r"certain|possible|probable|rare|improbable)\b[\w\s]{0,25}$",
    re.I,
)
_EXTRACTED = re.compile(
    r"^\W*(scope|mitigation|mitigate|we'll mitigate|we will mitigate|plan|reason|because|"
    r"since|due to|so that|description|details|response)\b",
    re.I,
)


def strip_greeting(text: str) -> str:
    return _GREETING.sub("", text, count=1).strip()


def sentences(text: str) -> list[str]:
    parts = re.split(r"(?<=[.!?])\s+(?=\S)|\n+|;\s*", text)
    return [p.strip() for p in parts if p and p.strip(" .!?")]


_LABEL = re.compile(r"(?:^|[.!?;\n]|\s[-\u2013\u2014]+)\s*(?:new\s+)?(?:risk|cr|change request)\s*:\s*", re.I)


_COMMAND_FIRST = re.compile(
    r"^(?:(?:please|pls|can you|could you|can u)\s+)*(?:log|file|add|raise|submit|record|track|open|"
    r"create)\s+(?:(?:a|an|the|this|new|another)\s+)*(?:risk|cr|change request)\b"
    r"(?:\s+(?:that|about|re|regarding|where))?[\s:,-]*",
    re.I,
)
_REQUEST_AFTER = re.compile(
    r"^(?:(?:please|pls|can you|could you|can u|would you)\s+)+(?:log|file|add|raise|submit|record|track|"
    r"open)\s+(?:it|this|that|(?:a|an|the)\s+(?:new\s+)?(?:cr|change request|risk))\b[\s,.;:]*",
    re.I,
)


def content_after_command(text: str, project_words: list[str]) -> str:
    """The user's text with greetings and the leading command ("log risk SEPSIS:", "CR for X -") removed."""
    s = strip_greeting(text)
    label = _LABEL.search(s[:150])
    if label:  # "see NAV-88 - CR: add a handoff button ...": the record starts after its label
        return s[label.end() :].strip(" :-\u2014,")
    head = s[:90]
    m = _SEP.search(head)
    proj_alt = "|".join(re.escape(w) for w in project_words if w) or "$^"
    if m:
        before = s[: m.start()]
        words = before.split()
        rest = s[m.end() :].strip()
        if _REQUEST_AFTER.match(rest):  # "we need a second site - please file a CR, 2 months": story first
            return f"{before.strip()}. {_REQUEST_AFTER.sub('', rest, count=1)}".strip(" .,")
        if re.search(
            _OBJECT_WORDS + r"|\b" + _COMMAND_WORDS + r"\b|\b(" + proj_alt + r")\b", before, re.I
        ) and (len(words) <= 14):
            # "radsum: log a risk that ...": the command may follow the project label
            return _COMMAND_FIRST.sub("", rest, count=1).strip()
    sents = sentences(s)
    if len(sents) > 1:
        first = sents[0]
        rest = re.sub(r"\b(" + proj_alt + r")\b", " ", first, flags=re.I)
        rest = re.sub(
            r"\b(could|can|would|you|please|pls|file|log|add|raise|submit|a|an|new|for|the|on|in|"
            r"project|risk|change|request|cr|thanks|hi|hey|me|us|to|i|we|need|want|like|help)\b",
            " ",
            rest,
            flags=re.I,
        )
        if len(re.findall(r"\w+", rest)) <= 2 and re.search(_OBJECT_WORDS, first, re.I):
            return " ".join(sents[1:])
    cut = _LEADING_CMD.match(s)
    if (
        cut
        and len(cut.group(0).split()) <= 9
        and re.search(r"\b(?:" + _COMMAND_WORDS + r"|risk|cr|change request)\b", cut.group(0), re.I)
    ):
        s = s[cut.end() :]
        s = re.sub(r"^\s*(?:the\s+)?(?:" + proj_alt + r")\b(?:\s+project)?", "", s, flags=re.I)
        s = re.sub(r"^\s*(?:the\s+)?[\w\s-]{1,40}?\s+project\b", "", s, flags=re.I)
        s = re.sub(r"^\s*(?:that|about|re:?|regarding|saying|where|to|:|-)\s+", "", s, flags=re.I)
    return s.strip(" :-\u2014,")


# words that may come before a slot word in a slot clause ("high priority", "no cost", "total cost $5k")
_SLOT_LEAD = {"high", "low", "medium", "med", "urgent", "critical", "very high", "very low", "no", "zero",
              "total", "new", "the", "its", "it's", "with", "and", "plus", "+", "est", "est."}  # fmt: skip


def _is_slot_clause(clause: str) -> bool:
    c = clause.strip()
    if not c:
        return True
    if _DURATION_ONLY.match(c) or _LIKELIHOOD_ONLY.match(c) or _EXTRACTED.match(c):
        return True
    slot = _SLOT_CLAUSE.search(c)
    if slot and len(c.split()) <= 12:
        lv = extract_levels(c)
        words = len(c.split())
        # a long clause that merely contains "due" or "impact" is still the story, not a slot; so is a short
        # one where the word is part of the story ("GPU costs may double next year")
        before = c[: slot.start()].strip().lower()
        early = not before or before in _SLOT_LEAD
        valued = bool(re.search(r"\d|<@|\$", c))
        return (
            (words <= 7 and (early or valued))
            or lv.probability is not None
            or lv.impact is not None
            or c.lower().startswith(("owner", "due", "category", "priority", "cost", "estimated", "est"))
        )
    return False


_SUBORDINATE = re.compile(
    r"^(?:if|when|once|unless|although|though|while|after|before|whenever|until)\b", re.I
)


def _keep_names(sent: str) -> str:
    """Protect a short parenthetical that names something ("a second site (Mercy West)") from the clause
    split; asides with numbers or slot words ("(45% fewer)", "(high impact)") still split off."""

    def keep(m: re.Match[str]) -> str:
        inner = m.group(1)
        if re.search(r"\d", inner) or _SLOT_CLAUSE.search(inner) or len(inner.split()) > 4:
            return m.group(0)
        return f" \x00{inner}\x01"

    return re.sub(r"\s*\(([^()]{1,40})\)", keep, sent)


def title_and_description(content: str) -> tuple[str | None, str | None]:
    content = _TAIL_CMD.sub("", content).strip(" ,.-")
    title = None
    for sent in sentences(content):
        clauses = re.split(r",\s+|:\s+|\s+[-\u2013\u2014]+\s+|\s*\(|\)\s*", _keep_names(sent))
        for i, clause in enumerate(clauses):
            clause = clause.strip(" .,:;!?)").replace("\x00", "(").replace("\x01", ")")
            if _SUBORDINATE.match(clause) and i + 1 < len(clauses) and not _is_slot_clause(clauses[i + 1]):
                clause = f"{clause}, {clauses[i + 1].strip(' .,:;!?)')}"  # "if the vendor slips, we lose..."
            slot = _SLOT_CLAUSE.search(clause)
            if slot and len(clause.split()) > 12 and len(clause[: slot.start()].split()) >= 3:
                clause = clause[: slot.start()].strip(" .,:;-")  # story first, then "prob 3 impact 3"
            if _is_slot_clause(clause) or len(clause.split()) < 2:
                continue
            title = clause
            break
        if title:
            break
    if not title:
        return None, None
    lead = _LEADIN.search(title)
    if lead and len(title[lead.end() :].split()) >= 4:
        title = title[lead.end() :]
    title = _WANT.sub("", title)
    title = re.sub(r"^(?:that|about|re:?|regarding)\s+", "", title, flags=re.I)
    parts = re.split(r"\s+(?:so that|so|because|since|which means|meaning|in order to)\s+", title, maxsplit=1)
    if len(parts) > 1 and len(parts[0].split()) >= 4:
        title = parts[0]
    if len(title.split()) > 16:
        parts = re.split(r"\s+(?:which|as|and so|while|but)\s+", title, maxsplit=1)
        title = parts[0]
        if len(title.split()) > 16:
            title = " ".join(title.split()[:16]) + "..."
    title = title[0].upper() + title[1:] if title else title
    desc = content.strip()
    description = desc if len(desc) > len(title) + 15 else None
    return title.strip(), description


def clause_after(text: str, pattern: str) -> str | None:
    """The rest of the sentence after a cue ("scope: ...", "we'll mitigate by ...")."""
    m = re.search(pattern, text, re.I)
    if not m:
        return None
    rest = text[m.end() :]
    rest = re.split(r"(?<=[.!?])\s+|\n|;\s*(?=(?:prob|impact|owner|due|priority|cost|category)\b)", rest)[0]
    rest = rest.strip(" :,-.")
    return rest or None


def mitigation(text: str) -> str | None:
    return clause_after(
        text,
        r"\b(?:we'?ll|we will|we can|we plan to|plan to|going to|will|to|we)\s+mitigate\s+(?:this |it "
        r"|that )?"
        r"(?:by|via|with|through)?\s*|\bmitigat(?:e|ing)\s+(?:this |it |that )?(?:by|via|with|"
        r"through)\s+"
        r"|\bmitigation(?: plan)?(?: update| change| now)?(?:\s+(?:for|on)\s+[\w-]+)?\s*"
        r"(?:is|:|=|->|-|would be|will be)\s*|"
        r"\bplan\s*:\s*|\bworkaround\s*:\s*",
    )


def scope(text: str) -> str | None:
    return clause_after(text, r"\bscope\s*(?:change)?\s*(?::|=|-|is)\s*")


def reason(text: str) -> str | None:
    return clause_after(
        text,
        r"\b(?:reason\s*(?::|=|is)\s*|because\s+|since\s+|\bdue to\s+(?!\d)|b/c\s+|"
        r"\bwhy\s*:\s*)",
    )


def comment(text: str) -> str | None:
    """Free comment after the decision ("approve CR1 - budget confirmed by finance")."""
    m = re.search(r"(?:\s[-\u2013\u2014]+\s|[,:;.]\s+|\s+because\s+|\s+since\s+)(.{8,})$", text)
    return m.group(1).strip(" .") if m else None


def status_summary(text: str, spans: list[tuple[int, int]], project_words: list[str]) -> str | None:
    """Status text minus the command prefix and the RAG words."""
    s = text
    for a, b in sorted(spans, reverse=True):
        s = s[:a] + " " + s[b:]
    s = strip_greeting(s)
    s = re.sub(
        r"^\s*(?:please\s+|pls\s+)?(?:post|log|record|add|submit|here'?s|here is)?\s*(?:a|an|the|my|our)?\s*"
        r"(?:weekly|this week'?s|today'?s)?\s*(?:status|update)(?:\s+update)?\s*(?:for|on)?\s*",
        "",
        s,
        flags=re.I,
    )
    proj_alt = "|".join(re.escape(w) for w in project_words if w)
    if proj_alt:
        s = re.sub(r"^\s*(?:for|on)?\s*(?:the\s+)?(?:" + proj_alt + r")\b(?:\s+project)?", "", s, flags=re.I)
    for _ in range(3):
        if proj_alt:
            s = re.sub(
                r"^\s*(?:for|on)?\s*(?:the\s+)?(?:" + proj_alt + r")\b(?:\s+project)?\s*[:.,-]?",
                "",
                s,
                flags=re.I,
            )
        s = re.sub(
            r"^\s*(?:overall|is|=|:|-|\u2014|\u2013|,|\.|;|this week|today|for now|we'?re|we are|"
            r"looking|tl;?dr)+\s*",
            "",
            s,
            flags=re.I,
        ).strip()
    s = re.sub(r"\s+([,.;])", r"\1", s)
    s = re.sub(r"([,;])(\s*[,;.])+", r"\1", s)
    s = re.sub(r"\s{2,}", " ", s).strip(" ,;:-\u2014")
    return s if len(s) >= 3 else None
