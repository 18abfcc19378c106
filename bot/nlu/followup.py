"""The user's answer to our follow-up question: fill what was missing, or notice a brand-new request."""

from __future__ import annotations

import re

from bot.nlu import intent, labels, values
from bot.nlu.builders import Built
from bot.nlu.engine import BUILDERS, strip_bot_mention, understand, validate
from bot.nlu.entities import find_project
from bot.nlu.levels import extract_levels
from bot.nlu.normalize import content_tokens, normalize
from bot.nlu.pasted import split_pasted
from bot.nlu.records import match_record
from bot.nlu.slots import due_date, owner_clause
from bot.nlu.types import REQUIRED, WRITE_TOOLS, Interpretation, NluContext

_STATUSES = {
    "risk": ("open", "monitoring"),
    "change_request": ("submitted", "under_review"),
    "milestone": ("planned", "in_progress", "missed"),
}
_OPTIONAL_EXTRACTORS = (
    "owner",
    "due_date",
    "category",
    "mitigation",
    "response",
    "schedule_days",
    "cost",
    "scope",
    "priority",
    "reason",
    "probability",
    "impact",
    "status",
)


def continue_pending(pending: Interpretation, text: str, ctx: NluContext) -> Interpretation:
    """Continue `pending` (an 'ask'/'clarify' Interpretation) with the user's reply `text`."""
    norm = strip_bot_mention(normalize(text or ""), ctx)
    own = split_pasted(norm).own
    if intent.CANCEL.match(own) and len(own.split()) <= 6:
        return Interpretation("smalltalk", confidence=0.95, notes=["cancelled"])
    fresh = understand(text, ctx)
    if _is_new_request(fresh, pending, own):
        return fresh
    tool = pending.tool
    if not tool:
        return fresh
    args = Built()
    args.update(pending.args)
    fields = list(pending.missing) or list(REQUIRED.get(tool, ()))
    for field in fields:
        if field in _FREE_TEXT and field != fields[0] and len(_leftover(own, ctx)) < 2:
            continue  # "chatnav" answers the project question; it is not also the risk's title
        _fill(field, args, own, ctx, pending)
    _fill_extras(tool, args, own, ctx)
    result = validate(tool, args, ctx, max(pending.confidence, 0.7), [*pending.notes, "continued"])
    if result.needs_followup and result.missing == pending.missing and result.args == pending.args:
        result.notes.append("answer_not_understood")
    return result


_FREE_TEXT = ("title", "summary", "question")
_ANSWER_WORDS = {
    "for",
    "project",
    "the",
    "it's",
    "its",
    "is",
    "on",
    "in",
    "and",
    "overall",
    "prob",
    "probability",
}


def _leftover(own: str, ctx: NluContext) -> list[str]:
    """Words of an answer beyond project names, levels and colours (what could be a title or summary)."""
    names = {w.lower() for p in ctx.projects for w in [p.key, *p.name.split()]}
    out = []
    for w in content_tokens(own, _ANSWER_WORDS | names):
        if values.level_word(w) is None and not labels.RAG_RE.fullmatch(w):
            out.append(w)
    return out


def _is_new_request(fresh: Interpretation, pending: Interpretation, own: str) -> bool:
    if fresh.intent == "help":
        return True
    if fresh.intent not in ("tool", "ask", "clarify") or not fresh.tool:
        return False
    if fresh.tool in WRITE_TOOLS and fresh.confidence >= 0.85 and len(own.split()) >= 3:
        if fresh.tool != pending.tool:
            return True
        # same tool: a whole new write when it names its own subject
        return fresh.tool in ("log_risk", "file_change_request") and bool(fresh.args.get("title"))
    if fresh.tool in ("project_status", "list_risks", "list_change_requests", "list_milestones", "digest"):
        return fresh.confidence >= 0.85 and len(own.split()) >= 2
    return False


def _fill(field: str, args: Built, own: str, ctx: NluContext, pending: Interpretation) -> None:
    if field == "project":
        proj = find_project(own, ctx) or find_project(own, ctx, loose=True)
        if not proj:
            word = re.sub(r"[^\w]", "", own).upper()
            proj = next((p.key for p in ctx.projects if p.key == word), None)
        if proj:
            args["project"] = proj
    elif field in ("risk", "change_request", "milestone"):
        proj = find_project(own, ctx) or args.get("project") or ctx.channel_project
        match = match_record(own, ctx, field, proj, statuses=_STATUSES[field], among=pending.options or None)
        if match.key:
            args[field] = match.key
        elif match.options:
            args.options[field] = match.options
    elif field in ("probability", "impact"):
        lv = extract_levels(own)
        p, i = lv.probability, lv.impact
        both = "probability" in pending.missing and "impact" in pending.missing
        if both and (p is None or i is None):
            said = _levels_in_order(own)
            if len(said) >= 2 and not (p is not None and i is not None):
                p, i = (p, said[-1]) if p is not None and said[0] == p else (said[0], said[1])
            elif len(said) == 1 and p is None and i is None:
                p = said[0]  # one value for two questions: take it as the probability, ask the impact next
        if field == "probability":
            value = p if p is not None else (values.level_answer(own) if i is None and not both else None)
        else:
            value = i if i is not None else (values.level_answer(own) if p is None and not both else None)
        if value is not None:
            args[field] = value
    elif field == "title":
        title = own.strip(" .")
        if title:
            args["title"] = title[0].upper() + title[1:]
    elif field == "summary":
        if own.strip():
            args["summary"] = own.strip()
    elif field == "overall":
        overall, dims, _ = labels.rag_dimensions(own)
        if overall:
            args["overall"] = overall
        args.update({k: v for k, v in dims.items() if k not in args})
    elif field == "decision":
        d = labels.decision(own) or _yes_no(own)
        if d:
            args["decision"] = d
    elif field == "changes":
        extra = BUILDERS[pending.tool or "update_risk"](own, ctx)
        for k, v in extra.items():
            if k not in ("risk", "milestone") and v not in (None, ""):
                args[k] = v
    elif field == "question":
        args["question"] = own
    elif field == "due_date":
        d = due_date(own, ctx.today, strict=False)
        if d:
            args["due_date"] = d


def _levels_in_order(own: str) -> list[int]:
    tokens = re.findall(r"[a-z]+|\d+(?:\.\d+)?%?", own.lower())
    out, i = [], 0
    while i < len(tokens):
        two = values.level_word(" ".join(tokens[i : i + 2])) if i + 1 < len(tokens) else None
        if two is not None:
            out.append(two)
            i += 2
            continue
        one = int(tokens[i]) if re.fullmatch(r"[1-5]", tokens[i]) else values.level_word(tokens[i])
        if one is not None:
            out.append(one)
        i += 1
    return out


def _yes_no(own: str) -> str | None:
    if re.match(r"^\W*(yes|yep|yeah|approve|ok|okay|go|sure|do it)\b", own, re.I):
        return "approve"
    if re.match(r"^\W*(no|nope|reject)\b", own, re.I):
        return "reject"
    return None


def _fill_extras(tool: str, args: Built, own: str, ctx: NluContext) -> None:
    """Optional details the reply adds ("for SEPSIS, owner Aisha"): only fields still unset."""
    if tool not in ("log_risk", "file_change_request", "update_risk"):
        return
    extra = BUILDERS[tool](own, ctx)
    for key in _OPTIONAL_EXTRACTORS:
        if key in extra and key not in args:
            if key in ("probability", "impact") and tool == "log_risk":
                continue  # handled by _fill with answer semantics
            args[key] = extra[key]
    if "owner" not in args:
        owner = owner_clause(own, ctx)
        if owner:
            args["owner"] = owner
