"""Argument extraction for the read tools (status, lists, digest, questions)."""

from __future__ import annotations

import re

from bot.nlu import labels, slots
from bot.nlu.builders import Built, _set, project_for
from bot.nlu.entities import find_project
from bot.nlu.types import NluContext


def project_status(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", find_project(own, ctx) or ctx.channel_project)
    return args


def list_risks(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx, weak=True))
    status = labels.first_status(
        own,
        [
            ("open", r"\bopen\b"),
            ("closed", r"\bclosed\b"),
            ("monitoring", r"\bmonitor(ing|ed)?\b|\bwatch ?list\b"),
        ],
    )
    _set(args, "status", status)
    _set(args, "min_rating", slots.min_rating(own))
    owner = None
    if re.search(
        r"\b(my|mine|am i|i'm on|i am on|i own|assigned to me|owned by me|on me|on my plate)\b", own, re.I
    ):
        owner = ctx.user_id
    else:
        owner = slots.owner_clause(own, ctx) or slots.lone_mention(own)
        for m in re.finditer(r"\b([^\W\d_]{2,})['\u2019]s\s+(?:[\w-]+\s+){0,2}risks\b", own, re.I):
            owner = owner or slots.person_by_name(m.group(1), ctx)
    _set(args, "owner", owner)
    _set(args, "category", labels.category(own))
    return args


def list_change_requests(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx, weak=True))
    _set(args, "status", labels.first_status(own, labels.CR_STATUS))
    return args


def list_milestones(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx, weak=True))
    _set(args, "due_within_days", slots.window_days(own, ctx.today))
    status = labels.first_status(re.sub(r"\bdue\b", "", own), labels.MILESTONE_STATUS)
    _set(args, "status", status)
    return args


def digest(own: str, ctx: NluContext) -> Built:
    args = Built()
    _set(args, "project", project_for(own, ctx, weak=True))
    return args


def ask(own: str, ctx: NluContext) -> Built:
    args = Built()
    question = re.sub(r"^\s*<@[UW][A-Z0-9]+>\s*", "", own).strip()
    args["question"] = question
    _set(args, "project", find_project(own, ctx) or ctx.channel_project)
    return args
