"""Per-tool argument extraction from the user's own (normalized, unpasted) words."""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from bot.nlu import labels, slots, text, values
from bot.nlu.dates import DURATION_RE, duration_days
from bot.nlu.entities import find_project
from bot.nlu.levels import extract_levels
from bot.nlu.types import NluContext
from bot.nlu.values import level_word as labels_level

_PORTFOLIO = re.compile(
    r"\b(portfolio|all projects|across (?:the )?(?:board|projects|portfolio)|every project|"
    r"all (?:the )?(?:risks|crs|change requests|milestones) (?:everywhere|anywhere)|"
    r"everything|org[- ]wide|pmo[- ]wide)\b",
    re.I,
)


class Built(dict):
    """Args plus extraction notes (ambiguity options, reasons) for the validator."""

    def __init__(self) -> None:
        super().__init__()
        self.options: dict[str, list[str]] = {}
        self.notes: list[str] = []


def project_words(ctx: NluContext) -> list[str]:
    words = [p.key for p in ctx.projects] + [p.name for p in ctx.projects]
    return sorted(words, key=len, reverse=True)


def project_for(own: str, ctx: NluContext, *, weak: bool = False) -> str | None:
    """The project named in the text, else the channel's; weak name matches only for reads."""
    explicit = find_project(own, ctx, weak=weak and ctx.channel_project is None)
    if explicit:
        return explicit
    if _PORTFOLIO.search(own):
        return None
    return ctx.channel_project


def _set(args: dict[str, Any], key: str, value: Any) -> None:
    if value is not None and value != "":
        args[key] = value


def _response(own: str, mitigation: str | None) -> str | None:
    low = own.lower()
    m = re.search(r"\bresponse\s*(?:is|=|:|to)?\s*(avoid|mitigate|transfer|accept|escalate)\b", low)
    if m:
        return m.group(1)
    lead = re.match(
        r"^\W*(?:(?:please|pls|ok|okay|let'?s|we(?:'ll| will| should)?|i(?:'m| am)?)\s+)*"
        r"(escalat|accept|transferr?|avoid)(?:e|es|ed|ing)?\b",
        low,
    )
    if lead:
        return {"escalat": "escalate", "accept": "accept", "avoid": "avoid"}.get(lead.group(1), "transfer")
    if mitigation or re.search(r"\b(we'?ll|we will|will|to|plan to|going to) mitigate\b", low):
        return "mitigate"
    if re.search(r"\b(accept (the|this|it)|we accept|just accept)\b", low):
        return "accept"
    if re.search(r"\bescalat(e|ed|ing) (it |this )?to\b", low):
        return "escalate"
    if re.search(r"\btransfer(red|ring)? (it|the risk|this) to\b", low):
        return "transfer"
    if re.search(r"\bavoid (it|the risk|this) by\b", low):
        return "avoid"
    return None


def log_risk(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx))
    content = text.content_after_command(own, project_words(ctx))
    title, description = text.title_and_description(content)
    _set(args, "title", title)
    _set(args, "description", description)
    lv = extract_levels(own)
    _set(args, "probability", lv.probability)
    _set(args, "impact", lv.impact)
    _set(args, "owner", slots.owner_clause(own, ctx) or slots.lone_mention(own))
    _set(args, "category", labels.category(own))
    mitigation = text.mitigation(own)
    _set(args, "mitigation", mitigation)
    _set(args, "response", _response(own, mitigation))
    _set(args, "due_date", slots.due_date(own, ctx.today, strict=True))
    return args


_RISK_LIVE = ("open", "monitoring")


def _risk_ref(own: str, ctx: NluContext, args: Built) -> None:
    project = find_project(own, ctx, weak=False) or ctx.channel_project
    match = slots.resolve_record(
        own, ctx, "risk", project, r"risk|one|issue", _RISK_LIVE, {w.lower() for w in project_words(ctx)}
    )
    if match.key:
        args["risk"] = match.key
    elif match.options:
        args.options["risk"] = match.options


_NOW_LIKELY = re.compile(
    r"\b(?:is|now|becomes|became|to|getting|more)\s+((?:very |highly |almost )?(?:likely|unlikely|certain|"
    r"possible|probable|rare|improbable))\b",
    re.I,
)


_SHIFT = re.compile(r"\b(slip|push|move|delay|shift|extend|bump|pull|bring|brought)\w*\b", re.I)


def shifted_due(own: str, ctx: NluContext, key: str) -> str | None:
    """ "slip M2 two weeks", "push it out by 10 days": the record's current due date moved by the duration."""
    rec = ctx.record(key)
    m = _SHIFT.search(own)
    if not (rec and rec.due_date and m):
        return None
    d = DURATION_RE.search(own, m.end())
    if not d or re.search(r"[.;\n]", own[m.end() : d.start()]):
        return None
    days = duration_days(own[d.start() :])
    if not days:
        return None
    sign = -1 if m.group(1).lower() in ("pull", "bring", "brought") else 1
    return (date.fromisoformat(rec.due_date) + timedelta(days=sign * days)).isoformat()


def update_risk(own: str, ctx: NluContext) -> Built:
    args = Built()
    _risk_ref(own, ctx, args)
    lv = extract_levels(own)
    if lv.probability is None and (m := _NOW_LIKELY.search(own)):
        lv.probability = labels_level(m.group(1))
    _set(args, "probability", lv.probability)
    _set(args, "impact", lv.impact)
    _set(args, "owner", slots.owner_clause(own, ctx))
    status = labels.first_status(re.sub(r"\bopen (?:risks?|items?)\b", "", own), labels.RISK_STATUS)
    if status and status != "closed":
        _set(args, "status", status)
    mitigation = text.mitigation(own)
    _set(args, "mitigation", mitigation)
    _set(args, "response", _response(own, None))
    # with another change asked for, only a cued date is the due date ("bump R1 to 4, leaks found on friday")
    others = {"probability", "impact", "owner", "status", "mitigation", "response"} & args.keys()
    due = slots.due_date(own, ctx.today, strict=bool(others))
    if not due and args.get("risk"):
        due = shifted_due(own, ctx, args["risk"])
    _set(args, "due_date", due)
    return args


def close_risk(own: str, ctx: NluContext) -> Built:
    args = Built()
    _risk_ref(own, ctx, args)
    reason = text.reason(own) or text.comment(own)
    if (
        reason
        and len(
            re.sub(
                r"\b(please|pls|close|it|this|thanks|thx|now|the|risk|r\d+)\b", "", reason, flags=re.I
            ).split()
        )
        < 2
    ):
        reason = None
    _set(args, "reason", reason)
    return args


def file_change_request(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx))
    content = text.content_after_command(own, project_words(ctx))
    title, description = text.title_and_description(content)
    _set(args, "title", title)
    _set(args, "description", description)
    _set(args, "schedule_days", duration_days(own))
    cost = values.cost(own)
    if cost is None:  # a bare "18k" in a change request is money
        m = re.search(r"(?<![\w$.])(\d+(?:\.\d+)?)\s?k\b", own, re.I)
        cost = int(float(m.group(1)) * 1000) if m else None
    _set(args, "cost", cost)
    _set(args, "scope", text.scope(own))
    _set(args, "priority", values.priority(own))
    _set(args, "reason", text.reason(own))
    return args


def decide_change_request(own: str, ctx: NluContext) -> Built:
    args = Built()
    project = find_project(own, ctx, weak=False) or ctx.channel_project
    ref = re.sub("|".join(p for _, p in labels.DECISION_PATTERNS), " ", own, flags=re.I)
    match = slots.resolve_record(
        ref,
        ctx,
        "change_request",
        project,
        r"cr|change request|request|one",
        ("submitted", "under_review"),
        {w.lower() for w in project_words(ctx)},
    )
    if match.key:
        args["change_request"] = match.key
    elif match.options:
        args.options["change_request"] = match.options
    _set(args, "decision", labels.decision(own))
    m = re.search(r"\b[A-Za-z0-9]+-CR\d+\b|\bCR\s?\d+\b", own, re.I)
    if m:
        rest = own[m.end() :].strip(" ,.:;-\u2014")
        rest = re.sub(
            r"\b(go ahead and |please |pls )?(mark (it|this) (as )?)?(approved|rejected|deferred)\b\.?",
            "",
            rest,
            flags=re.I,
        ).strip(" ,.;-")
        if len(rest.split()) >= 3:
            args["comment"] = rest
    if "comment" not in args:
        _set(args, "comment", text.reason(own))
    return args


def update_milestone(own: str, ctx: NluContext) -> Built:
    args = Built()
    project = find_project(own, ctx, weak=False) or ctx.channel_project
    match = slots.resolve_record(
        own,
        ctx,
        "milestone",
        project,
        r"milestone|one|deadline",
        ("planned", "in_progress", "missed"),
        {w.lower() for w in project_words(ctx)},
    )
    if match.key:
        args["milestone"] = match.key
    elif match.options:
        args.options["milestone"] = match.options
    due = slots.due_date(own, ctx.today, strict=False)
    _set(args, "due_date", due)
    status = labels.first_status(own, labels.MILESTONE_STATUS)
    if status and not (due and status == "missed"):
        _set(args, "status", status)
    if not due and args.get("milestone"):
        _set(args, "due_date", shifted_due(own, ctx, args["milestone"]))
    return args


def post_status_update(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx))
    overall, dims, spans = labels.rag_dimensions(own)
    _set(args, "overall", overall)
    for k, v in dims.items():
        args[k] = v
    _set(args, "summary", text.status_summary(own, spans, project_words(ctx)))
    return args
