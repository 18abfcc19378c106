"""The pipeline: normalize -> drop pasted text -> intent -> slots -> validate (ask one question if needed)."""

from __future__ import annotations

import re

from bot.nlu import builders, intent, labels, reads
from bot.nlu.builders import Built
from bot.nlu.dates import find_dates
from bot.nlu.entities import find_project, project_keys_in
from bot.nlu.normalize import content_tokens, normalize
from bot.nlu.pasted import split_pasted
from bot.nlu.records import describe, match_record, strong_title_match
from bot.nlu.slots import owner_clause
from bot.nlu.types import REQUIRED, WRITE_TOOLS, Interpretation, NluContext

BUILDERS = {
    "log_risk": builders.log_risk,
    "update_risk": builders.update_risk,
    "close_risk": builders.close_risk,
    "file_change_request": builders.file_change_request,
    "decide_change_request": builders.decide_change_request,
    "update_milestone": builders.update_milestone,
    "post_status_update": builders.post_status_update,
    "project_status": reads.project_status,
    "list_risks": reads.list_risks,
    "list_change_requests": reads.list_change_requests,
    "list_milestones": reads.list_milestones,
    "digest": reads.digest,
    "ask": reads.ask,
}
_NOUN = {"risk": "risk", "change_request": "change request", "milestone": "milestone"}
_RISK_DESCRIBED = re.compile(r"\b(?:the|that|this|our)\s+(?:[\w\s'-]{1,50}?\s+)?(?:risk|issue)\b(?!s)", re.I)
_MS_DESCRIBED = re.compile(r"\b(?:the|that|this|our)\s+(?:[\w\s'-]{1,50}?\s+)?milestone\b(?!s)", re.I)
# a message may also open with the record's description, no article ("SSO risk can be closed",
# "reader study milestone is in progress"); it counts when those words find an existing record
_OPENING = {
    kind: re.compile(r"^\W*((?:[\w'-]+\s+){1,4}?)" + noun + r"\b(?!s)", re.I)
    for kind, noun in (("risk", "risk"), ("milestone", "milestone"))
}


def understand(text: str, ctx: NluContext) -> Interpretation:
    """Read one message from the user in its channel and say what to do about it."""
    norm = strip_bot_mention(normalize(text or ""), ctx)
    split = split_pasted(norm)
    own = split.own
    notes = ["pasted_text"] if split.pasted else []
    if not own.strip(" ?!.,"):
        if split.pasted:
            return Interpretation("smalltalk", confidence=0.8, notes=notes)
        return Interpretation("unknown", confidence=0.0, notes=["empty"])
    if intent.CANCEL.match(own) and len(own.split()) <= 5:
        return Interpretation("smalltalk", confidence=0.9, notes=["cancelled"])
    if split.summarize_request:
        # A request to summarize/explain pasted material: nothing in that material is an instruction.
        return Interpretation("smalltalk", confidence=0.85, notes=[*notes, "summarize_request"])
    has_project = find_project(own, ctx) is not None
    header = intent.HEADER.match(own)
    name, confidence = intent.classify(
        own,
        has_project=has_project,
        has_owner_clause=owner_clause(own, ctx) is not None,
        has_date=bool(find_dates(own, ctx.today)),
        risk_described=bool(_RISK_DESCRIBED.search(own)) or _opens_with_record(own, ctx, "risk"),
        ms_described=bool(_MS_DESCRIBED.search(own))
        or _opens_with_record(own, ctx, "milestone")
        or _milestone_by_title(own, ctx),
        # "TRIALMATCH risk: ..." / "vendor risk: ...": a project or category label opens a new record
        channel_project=ctx.channel_project is not None,
        header_project=bool(
            header and (project_keys_in(header.group(1), ctx) or header.group(1).lower() in labels.CATEGORIES)
        ),
    )
    if name in ("help", "smalltalk", "unknown"):
        return Interpretation(name, confidence=confidence, notes=notes)
    if name in WRITE_TOOLS and held_back(own):
        # "don't close R1 yet", "not sure if we should raise the prob": talk about a write, not a request
        return Interpretation("smalltalk", confidence=0.6, notes=[*notes, "not_a_request"])
    if name == "ask" and not _in_scope(own, ctx, has_project):
        return Interpretation("smalltalk", confidence=0.6, notes=[*notes, "out_of_scope"])
    if name in ("log_risk", "file_change_request") and split.pasted:
        # the user's own words asked for the record; a quoted passage may be its text (not an instruction)
        quoted = split_pasted(norm, keep_quotes=True)
        if not quoted.summarize_request and quoted.own != own:
            own = quoted.own
            notes.append("quoted_content")
    args = BUILDERS[name](own, ctx)
    return validate(name, args, ctx, confidence, notes)


_MS_VERBS = re.compile(
    r"\b(push(?:es|ed|ing)?|mov(?:e|es|ed|ing)|slip(?:s|ped|ping)?|delay(?:s|ed|ing)?|reschedul\w*|shift\w*|"
    r"bring forward|"
    r"pull in|mark|marked|completed|done|finished|hit|missed|"
    r"(?:now |re)?(?:planned|scheduled|set|due) (?:for|on)|now (?:due|on|for|targeting)|targeting)\b",
    re.I,
)


_WRITE_VERB = (
    r"(?:log|logging|record|track|add|file|filing|raise|raising|open|create|close|closing|resolve|update|"
    r"change|bump|lower|move|push|mark|post|approve|approving|reject|rejecting|defer|reassign|set|escalate)\b"
)
_HELD_BACK = re.compile(
    "|".join(
        [
            # negated: "don't close R1 yet", "let's not move the go-live"
            r"\b(?:don'?t|dont|do not|never|no need to|not going to|shouldn'?t|should not|let'?s not|"
            r"not yet)\s+(?!forget\b|hesitate\b|wait\b)(?:\w+\s+){0,2}?" + _WRITE_VERB,
            # undecided: "not sure if we should raise the prob"
            r"\b(?:not sure|unsure|wondering|thinking about|debating|undecided)"
            r"(?:\s+(?:if|whether|about))?\s+(?:\w+\s+){0,4}?" + _WRITE_VERB,
            # possible later: "we might need to log a risk"
            r"\b(?:might|may) (?:need|want|have) to\s+(?:\w+\s+){0,1}?" + _WRITE_VERB,
            # asking whether to: "should we close R2", "would it make sense to log ..."
            r"\b(?:should we|do we (?:need|want) to|would it make sense to|is it worth)\s+(?:\w+\s+){0,1}?"
            + _WRITE_VERB,
            # notes for later: "reminder to self: close R1 once ...", "remind me to file a CR"
            r"\b(?:remind me to|reminder(?: to self)?|note to self|to-?do)\W+(?:\w+\s+){0,2}?" + _WRITE_VERB,
            # conditional plans: "if the council says no we'll have to file a CR"
            r"^\W*(?:if|in case|unless)\b[^.?!]{0,150}?\b(?:we|i)(?:'ll| will|'d| would)?\s+"
            r"(?:have to|need to|want to|probably|then)\s+(?:\w+\s+){0,1}?" + _WRITE_VERB,
        ]
    ),
    re.I,
)


def held_back(own: str) -> bool:
    """The user negates or hedges the write ("don't log this yet", "not sure we should close R2")."""
    return bool(_HELD_BACK.search(own))


def _opens_with_record(own: str, ctx: NluContext, kind: str) -> bool:
    m = _OPENING[kind].match(own)
    if not m:
        return False
    names = {w.lower() for p in ctx.projects for w in [p.key, *p.name.split()]}
    if not content_tokens(m.group(1), names | {"new", "another", "potential", "possible", "big", "any"}):
        return False
    project = find_project(own, ctx) or ctx.channel_project
    return match_record(m.group(1), ctx, kind, project, exclude=names).key is not None


def _milestone_by_title(own: str, ctx: NluContext) -> bool:
    if not _MS_VERBS.search(own) or re.search(r"\b(risk|cr|change request)s?\b", own, re.I):
        return False
    project = find_project(own, ctx) or ctx.channel_project
    return strong_title_match(own, ctx, "milestone", project) is not None


def strip_bot_mention(text: str, ctx: NluContext) -> str:
    """A leading @mention of someone who is not a known person is the user addressing the bot."""
    known = {p.slack_id for p in ctx.people}
    m = re.match(r"^\s*<@([UWB][A-Z0-9]+)>[\s,:]*", text)
    if m and m.group(1) not in known:
        return text[m.end() :]
    return text


def validate(
    tool: str, args: Built | dict, ctx: NluContext, confidence: float, notes: list[str]
) -> Interpretation:
    """Turn extracted args into a tool call, or into the one follow-up question still needed."""
    options = getattr(args, "options", {})
    notes = [*notes, *getattr(args, "notes", [])]
    plain = dict(args)
    missing = [f for f in REQUIRED.get(tool, ()) if plain.get(f) in (None, "")]
    if tool == "update_risk" and "risk" not in missing and len(plain) == 1:
        missing.append("changes")
    if (
        tool == "update_milestone"
        and "milestone" not in missing
        and not ({"due_date", "status"} & plain.keys())
    ):
        missing.append("changes")
    if not missing:
        return Interpretation("tool", tool, plain, confidence=confidence, notes=notes)
    first = missing[0]
    opts = options.get(first, [])
    if first == "project":
        opts = [p.key for p in ctx.projects]
    question = _question(tool, first, missing, opts, ctx, plain)
    kind = "clarify" if options.get(first) and len(options[first]) > 1 else "ask"
    return Interpretation(
        kind,
        tool,
        plain,
        missing=missing,
        question=question,
        options=opts,
        confidence=confidence,
        notes=notes,
    )


def _question(
    tool: str, field: str, missing: list[str], options: list[str], ctx: NluContext, args: dict
) -> str:
    if field == "project":
        what = {
            "log_risk": "this risk",
            "file_change_request": "this change request",
            "post_status_update": "this status update",
        }.get(tool, "this")
        keys = ", ".join(options[:8])
        return f"Which project is {what} for? ({keys})" if keys else f"Which project is {what} for?"
    if field in ("risk", "change_request", "milestone"):
        noun = _NOUN[field]
        if options:
            listed = "; ".join(describe(ctx, k) for k in options[:6])
            return f"Which {noun} do you mean: {listed}?"
        return f"Which {noun} do you mean? Give its key (e.g. PROJECT-{_short(field)}1) or describe it."
    if field == "probability" and "impact" in missing:
        return (
            "What are the probability and impact (each 1-5, or very low / low / medium / high / very high)?"
        )
    if field == "probability":
        return "What's the probability (1-5, or very low / low / medium / high / almost certain)?"
    if field == "impact":
        return "What's the impact (1-5, or very low / low / medium / high / critical)?"
    if field == "title":
        noun = "risk" if tool == "log_risk" else "change request"
        return f"What's a short title for the {noun}?"
    if field == "decision":
        key = args.get("change_request", "this change request")
        return f"Should I approve, reject or defer {key}?"
    if field == "overall":
        return "What's the overall status: green, amber or red?"
    if field == "summary":
        return "What's the one-line summary for the status update?"
    if field == "changes":
        key = args.get("risk") or args.get("milestone")
        if tool == "update_milestone":
            return (
                f"What should change on {key}: a new due date, or a status (in progress, completed, missed)?"
            )
        return f"What should change on {key}: probability, impact, owner, status, due date or mitigation?"
    if field == "question":
        return "What would you like to know?"
    return f"What's the {field.replace('_', ' ')}?"


def _short(field: str) -> str:
    return {"risk": "R", "change_request": "CR", "milestone": "M"}[field]


_PM_VOCAB = re.compile(
    r"\b(project|risk|milestone|cr|change|status|budget|schedule|scope|vendor|contract|irb|validation|model|"
    r"data|"
    r"launch|go-?live|pilot|steering|committee|owner|approv\w*|decision|plan|timeline|deadline|report|"
    r"meeting|"
    r"sponsor|team|stakeholder|auroc|ppv|sensitivity|accuracy|f1|metric|training|deploy\w*|integration|epic|"
    r"policy|governance|charter|requirement|document|doc|kickoff|retro|sprint|release|clinic\w*|patient|"
    r"phi|privacy|security|fda|compliance|dashboard|cost|spend|roadmap)s?\b",
    re.I,
)


def _in_scope(own: str, ctx: NluContext, has_project: bool) -> bool:
    """Does a question look like it is about the PMO's work (so retrieval should answer it)?"""
    if has_project or _PM_VOCAB.search(own):
        return True
    vocab = set()
    for r in ctx.records:
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}|[A-Z]{3}", r.title))
    for p in ctx.projects:
        vocab.update(w.lower() for w in re.findall(r"[A-Za-z]{4,}|[A-Z]{3}", p.name + " " + p.description))
    words = {w.lower() for w in re.findall(r"[A-Za-z]{4,}|[A-Z]{3}", own)}
    # in a project's channel a question is presumably about the project
    return len(words & vocab) >= 1 or (ctx.channel_project is not None and len(own.split()) >= 3)
