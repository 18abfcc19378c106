"""Intent: which contract tool (or help / small talk) a message asks for, from keyword features."""

from __future__ import annotations

import re
from dataclasses import dataclass

from bot.nlu import labels
from bot.nlu.entities import KEY_RE, SHORT_KEY_RE
from bot.nlu.levels import extract_levels

_Q_START = re.compile(
    r"^\s*(what|what's|whats|which|who|who's|whom|whose|when|where|where's|why|how|how's|"
    r"is|are|was|were|do|does|did|has|have|had|will|would|should|could|can|any|anything)\b",
    re.I,
)
_POLITE = re.compile(
    r"^\s*(?:(?:hi|hey|hello)\b[\s,!]*)?(?:can|could|would|will)\s+(?:you|u)\s+(?:please\s+|pls\s+"
    r"|kindly\s+|just\s+|quickly\s+)?",
    re.I,
)
# "can we get a CR in for chatnav to ...", "could I put a risk in": asking for a record, not a question
_GET_IN = re.compile(
    r"^\W*(?:(?:hi|hey|hello)\b[\s,!]*)?(?:can|could) (?:we|i|u|you) (?:please |pls )?"
    r"(?:get|put|pop|stick)\s+(?:a|an|another|one)\s+(?:new\s+|quick\s+)?(cr|change request|risk)\s+in\b",
    re.I,
)
_ACTION_VERBS = re.compile(
    r"^(log|add|file|raise|flag|record|create|open|submit|approve|reject|defer|deny|"
    r"decline|close|update|change|set|bump|lower|raise|reduce|increase|move|push|slip|"
    r"mark|reassign|assign|post|show|list|give|pull|send|put|register|track|drop|"
    r"extend|delay|sign)\b",
    re.I,
)
CREATE = (
    r"(?:log|logging|add|adding|new|raise|raising|flag|flagging|record|create|open|register|enter|capture|"
    r"file|filing|submit|submitting|put in|track|start)"
)
_CREATE_RISK = re.compile(
    r"\b" + CREATE + r"\b(?:\s+(?:a|an|another|the|this|one|new|that as a|it as a|as a|"
    r"as an))*(?:\s+[\w-]+)?\s+risk\b|^\W*(?:(?:new|another|big|major|potential|"
    r"possible|quick|a)\s+){0,2}risk\b(?!s)(?!\s+(?:register|log\b|"
    r"list|matrix|report))|\brisk\s+(?:for|on)\s+\S+\s*:",
    re.I,
)
# "TRIALMATCH risk: ..." / "radsum CR - ...": a one-word (project) label, then the record's story
HEADER = re.compile(r"^\W*([\w-]+)\s+(risk|cr|change request)\s*(?::|\s[-\u2013\u2014]+\s)", re.I)
_MID_LABEL = re.compile(
    r"(?:[.!?;\n]|\s[-\u2013\u2014]+)\s*(?:new\s+)?(risk|cr|change request)\s*:\s*\w", re.I
)
_LOG_THAT = re.compile(r"\b(?:log|record|track|capture|add|flag|register)\s+(?:that|this|it)\b", re.I)
_LOG_BARE = re.compile(
    r"^\W*(?:please |pls |can you |could you |quick )?(?:log|record|track|capture|"
    r"flag)\b",
    re.I,
)
_CREATE_CR = re.compile(
    r"\b" + CREATE + r"\b(?:\s+(?:a|an|another|the|new|this|my))*(?:\s+[\w-]+)?\s+"
    r"(?:cr|change request|change req)\b|^\W*(?:(?:new|urgent|quick|small|another|a|"
    r"high[- ]priority|"
    r"low[- ]priority)\s+){0,2}(?:cr|change request)\b(?!s)"
    r"(?!\s*-?\d)(?!\s+(?:log|list|register|queue|backlog|tracker|report)\b)"
    r"|\brequest(?:ing)? (?:a|to) change\b|\b(?:need|want|requesting|propose|proposing|raising)\s+"
    r"(?:a|an|another|new)\s+(?:[\w-]+\s+)?(?:cr|change request)\b|\bcr\s+(?:for|on)\s+\S+\s*:",
    re.I,
)
_CLOSE = re.compile(
    r"\b(close|closing|closed|retire|retiring|resolve|resolved|no longer (?:a|an) (?:risk|issue)|"
    r"can be closed|(?:kill|drop|remove) (?:it|this|that|the risk|r\d+|this risk))\b",
    re.I,
)
_UPDATE = re.compile(
    r"\b(reopen|re-open|update|change|set|bump|bumped|lower|raise|reduce|increase|move|moved|moves|push|pushed|"
    r"pushes|slip|slips|pull(?:ed|s)? (?:\S+ ){0,2}in|bring (?:\S+ ){0,2}forward|"
    r"slipped|reassign|assign|make|mark|now|down to|up to|drop|extend|delay|delayed|shift|"
    r"owner|due|escalate|mitigation|response|probability|impact|to)\b",
    re.I,
)
_RISK_W = re.compile(r"\brisks?\b|\brisk register\b", re.I)
_RISKS_LIST = re.compile(
    r"\brisks\b|\brisk[- ]?wise\b|\b(?:every|all|each|any|list|show)\s+(?:\w+\s+)?risk\b|\brisk "
    r"(register|log|list|matrix|report|heat ?map)\b|\bregister\b",
    re.I,
)
_CR_W = re.compile(r"\b(crs?|change requests?|change reqs?)\b", re.I)
_CRS_LIST = re.compile(
    r"\b(crs|change requests|change reqs)\b|\b(list|show|any|all|pending|open)\b.*\b(cr|"
    r"change request)\b|\b(?:cr|change request) (?:log|list|register|queue|backlog|tracker|report)\b",
    re.I,
)
_MS_W = re.compile(r"\bmilestones?\b", re.I)
_MS_LIST = re.compile(
    r"\bmilestones\b|\bdeadlines\b|\bwhat'?s\s+(?:is\s+)?(?:coming\s+)?(?:due|up)\b|\bdue\s+"
    r"(?:in|within|this|next|before|soon)\b|\bcoming up\b|\bupcoming\b|\boverdue\b|"
    r"\bwhat'?s (?:left|remaining|outstanding) (?:before|until|till|to)\b",
    re.I,
)
_STATUS_Q = re.compile(
    r"\b(status|rundown|overview|fill me in|catch me up|update me|where are we|latest (?:on|with|for)|news "
    r"on|what'?s new (?:on|with)|"
    r"how are we doing|how we doing|how(?:'?s| is| are) .{1,40} (?:coming along|looking)|"
    r"where (?:do|does|did) [\w\s'/-]{1,40}? stand|how do things stand|"
    r"how(?:'s| is| are)\b.*\b(going|doing|tracking|looking)|health|state of|update on|progress on|"
    r"how are things|pulse(?: check)?|temperature check|sitrep|check[- ]in on)\b",
    re.I,
)
_DIGEST = re.compile(
    r"\b(digest|round-?up|weekly summary|portfolio summary|summary of (?:the )?(?:week|portfolio)|"
    r"weekly report|recap|summari[sz]e (?:the|this|my|our) week|week in review)\b",
    re.I,
)
_POST_STATUS = re.compile(
    r"\b(weekly status|status update|status report|status:|post (?:a |the |our )?status|"
    r"this week'?s status|overall)\b|^\W*(green|amber|yellow|red)\b",
    re.I,
)
_IS_RAG = re.compile(
    r"\b(is|are|we're|we are|looking|stays|remains|still|now|at|overall|going|trending)\s+"
    r"(green|amber|yellow|red)\b"
)
_HELP = re.compile(
    r"^\W*(help|commands|usage|\?|what can (?:you|u) do|how do i use (?:you|this|the bot)|"
    r"what do you do|how does this work|what are (?:your|the) commands|help me)\W*$"
    r"|^\W*how (?:do|can|should) (?:i|we) (?:log|file|add|raise|update|close|approve|use|post|ask|submit|"
    r"report)\b"
    r".*\b(?:you|u|this bot|the bot|here|pmo assistant)\b",
    re.I,
)
_SMALLTALK = re.compile(
    r"^\W*(hi|hey|hello|yo|sup|morning|good (?:morning|afternoon|evening|night)|thanks|thank "
    r"you|thx|ty|cheers|cool|nice|great|awesome|ok|okay|k|lol|haha|bye|gn|you rock|good "
    r"bot|"
    r"bad bot|how are you|how's it going|hows it going|what's up|whats up)\b",
    re.I,
)
_OUT_OF_SCOPE = re.compile(
    r"\b(weather|joke|lunch|dinner|pizza|coffee|recipe|movie|sports?|game last night|"
    r"stock price|horoscope|song|poem|birthday|vacation plans|tell me about yourself|"
    r"who are you|are you (?:a )?(?:human|real|bot))\b",
    re.I,
)
CANCEL = re.compile(
    r"^\W*(cancel|never ?mind|nvm|forget (?:it|that|about it)|stop|abort|scratch that|no thanks|"
    r"ignore (?:it|that|this)|don'?t bother|drop it|nah)\b",
    re.I,
)


@dataclass
class Features:
    text: str
    question: bool
    risk_key: bool
    cr_key: bool
    ms_key: bool
    decision: str | None
    levels: bool
    both_levels: bool = False


def is_question(text: str) -> bool:
    s = text.strip()
    polite = _POLITE.match(s)
    if polite and _ACTION_VERBS.match(s[polite.end() :]):
        return False
    if _GET_IN.match(s):
        return False
    return bool(_Q_START.match(s)) or s.endswith("?")


def features(text: str) -> Features:
    kinds = {m.group(2).upper() for m in KEY_RE.finditer(text)} | {
        m.group(1).upper() for m in SHORT_KEY_RE.finditer(text)
    }
    lv = extract_levels(text)
    return Features(
        text=text,
        question=is_question(text),
        risk_key="R" in kinds,
        cr_key="CR" in kinds,
        ms_key="M" in kinds,
        decision=labels.decision(text),
        levels=lv.probability is not None or lv.impact is not None,
        both_levels=lv.probability is not None and lv.impact is not None,
    )


def classify(
    text: str,
    *,
    has_project: bool,
    has_owner_clause: bool,
    has_date: bool,
    risk_described: bool,
    ms_described: bool,
    header_project: bool = False,
    channel_project: bool = False,
) -> tuple[str, float]:
    """Return (tool name | 'help' | 'smalltalk' | 'unknown' | 'ask?' , confidence)."""
    f = features(text)
    low = text.lower()
    if _HELP.match(text):
        return "help", 0.95
    domain = (
        f.risk_key or f.cr_key or f.ms_key or _RISK_W.search(low) or _CR_W.search(low) or _MS_W.search(low)
    )
    if (
        not has_project
        and not domain
        and (
            (_SMALLTALK.match(text) and len(text.split()) <= 8)
            or re.search(r"\bhow(?:'s| is| are)? (?:it|you|things|life|your day)\b(?: going| doing)?", low)
        )
    ):
        return "smalltalk", 0.85
    write_ok = not f.question
    listing = re.search(r"\b(crs|change requests|change reqs)\b", low) and (
        re.search(r"\b(show|list|which|any|all|pull|what|see|view)\b", low)
        or re.match(r"^\W*(?:\w+\s+){0,2}(crs|change requests|change reqs)\W*$", low)  # "rejected CRs"
    )
    bare_decision = re.match(
        r"^\W*(?:please\s+|pls\s+|ok\s+|okay\s+)?(?:approve|reject|defer|deny|decline|postpone)\b", low
    ) and not (f.risk_key or f.ms_key or _RISK_W.search(low) or _MS_W.search(low))
    if write_ok and f.cr_key and re.search(r"\b(decide|decision)\b", low) and not listing:
        return "decide_change_request", 0.8
    if (
        write_ok
        and f.decision
        and (f.cr_key or _CR_W.search(low) or bare_decision)
        and not _CREATE_CR.search(low)
        and not listing
    ):
        return "decide_change_request", 0.9
    got_in = _GET_IN.match(low)
    if got_in and not (f.risk_key or f.cr_key):
        return ("log_risk" if got_in.group(1) == "risk" else "file_change_request"), 0.85
    if write_ok and _CREATE_RISK.search(low) and not f.risk_key:
        return "log_risk", 0.9
    header = HEADER.match(low)
    if header and not header_project:
        header = None
    header = header or _MID_LABEL.search(low)
    if write_ok and header and not (f.risk_key or f.cr_key or f.ms_key):
        return ("log_risk" if header.group(header.lastindex or 1) == "risk" else "file_change_request"), 0.85
    if (
        write_ok
        and _CLOSE.search(low)
        and (
            f.risk_key
            or (_RISK_W.search(low) and not _RISKS_LIST.search(low))
            or (
                re.search(r"\b(close|retire|resolve)\s+(?:out\s+)?(?:the|that|this|it)\b", low)
                and not (f.cr_key or f.ms_key or _CR_W.search(low) or _MS_W.search(low))
            )
        )
    ):
        return "close_risk", 0.9
    if write_ok and (_LOG_THAT.search(low) or _LOG_BARE.match(low)) and f.levels and not f.risk_key:
        return "log_risk", 0.8
    if (
        write_ok
        and f.both_levels
        and not (f.risk_key or f.cr_key or f.ms_key or risk_described or ms_described or _CR_W.search(low))
        and not _RISKS_LIST.search(low)
    ):
        return "log_risk", 0.75
    if write_ok and _CREATE_CR.search(low) and not f.cr_key:
        return "file_change_request", 0.9
    overall, _, _ = labels.rag_dimensions(text)
    if write_ok and (
        (_POST_STATUS.search(low) and (labels.RAG_RE.search(low) or re.search(r"\bpost\b", low)))
        or (re.search(r"\bstatus\b", low) and labels.RAG_RE.search(low))
        or _IS_RAG.search(low)
    ):
        return "post_status_update", 0.85
    if (
        write_ok
        and (f.ms_key or (ms_described and not _MS_LIST.search(low)))
        and (has_date or labels.first_status(low, labels.MILESTONE_STATUS) or _UPDATE.search(low))
    ):
        return "update_milestone", 0.85
    if (
        write_ok
        and (f.risk_key or risk_described)
        and (
            f.levels
            or has_owner_clause
            or has_date
            or _UPDATE.search(low)
            or labels.first_status(low, labels.RISK_STATUS)
        )
    ):
        return "update_risk", 0.85
    if (
        f.question
        and (has_project or (channel_project and len(text.split()) <= 8))
        and not (
            f.risk_key
            or f.cr_key
            or f.ms_key
            or _RISK_W.search(low)
            or _MS_W.search(low)
            or _CR_W.search(low)
        )
        and re.search(
            r"\b(on track|off track|at risk|behind( schedule)?|ahead of schedule|on schedule|in trouble|"
            r"slipping|green|amber|red)\b",
            low,
        )
    ):
        return "project_status", 0.8
    if (
        f.question
        and (f.risk_key or f.cr_key or f.ms_key)
        and not (_RISKS_LIST.search(low) or _CRS_LIST.search(low) or _MS_LIST.search(low))
    ):
        return "ask", 0.8
    if _DIGEST.search(low):
        return "digest", 0.85
    if _MS_LIST.search(low):
        return "list_milestones", 0.85
    if _CRS_LIST.search(low):
        return "list_change_requests", 0.85
    if _RISKS_LIST.search(low) and not re.search(r"\bthe \w+(?: \w+)? risk\b", low):
        return "list_risks", 0.85
    if _STATUS_Q.search(low) and not re.search(
        r"\bstatus of (?:the )?\w+(?: \w+)? (risk|cr|milestone)\b", low
    ):
        return "project_status", 0.85
    if _OUT_OF_SCOPE.search(low):
        return "smalltalk", 0.8
    if _SMALLTALK.match(text) and len(text.split()) <= 8:
        return "smalltalk", 0.85
    if f.question or re.match(
        r"^\W*(tell me|explain|find|look up|search|show me|describe|summari[sz]e)\b", low
    ):
        return "ask", 0.7
    if has_project and len(text.split()) <= 3:
        return "project_status", 0.6
    return "unknown", 0.2
