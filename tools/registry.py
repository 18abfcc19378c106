"""The record tools: one ToolSpec per contract tool, run by name, and as LangChain StructuredTools."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from langchain_core.tools import StructuredTool
from pydantic import BaseModel
from sqlalchemy.orm import Session, sessionmaker

from tools import tool_args as ta
from tools.actor import Actor
from tools.db import session_scope
from tools.errors import DomainError, Invalid
from tools.scales import parse_rating
from tools.schemas import (
    ChangeRequestPublic,
    MilestonePublic,
    RiskPublic,
    StatusUpdatePublic,
    parse,
)
from tools.services import change_requests, milestones, risks, status

log = logging.getLogger(__name__)

# func(args, *, session, actor, today) -> JSON-able dict
ToolFunc = Callable[..., dict[str, Any]]


@dataclass(frozen=True)
class ToolSpec:
    name: str
    description: str
    args_schema: type[BaseModel]
    func: ToolFunc
    writes: bool = False


def _dump(model: type[BaseModel], obj: Any) -> dict[str, Any]:
    return model.model_validate(obj).model_dump(mode="json")


def _items(model: type[BaseModel], rows: Iterable[Any]) -> dict[str, Any]:
    return {"items": [_dump(model, r) for r in rows]}


def _set(args: BaseModel, *names: str) -> dict[str, Any]:
    """The arguments the caller gave (None for an optional argument means 'not given')."""
    given = args.model_dump(exclude_unset=True)
    return {k: v for k, v in given.items() if v is not None and (not names or k in names)}


def _project_status(a: ta.ProjectStatusArgs, *, session: Session, actor: Actor, today: date) -> dict:
    return status.project_status(session=session, actor=actor, project=a.project, today=today).model_dump(
        mode="json"
    )


def _list_risks(a: ta.ListRisksArgs, *, session: Session, actor: Actor, today: date) -> dict:
    filters = _set(a)
    if filters.get("status", "").strip().lower() == "all":
        filters.pop("status")
    elif "status" not in filters:
        filters["open_only"] = True
    if "min_rating" in filters:
        filters["min_rating"] = parse_rating(filters["min_rating"])
    return _items(RiskPublic, risks.list_risks(session=session, actor=actor, filters=filters))


def _log_risk(a: ta.LogRiskArgs, *, session: Session, actor: Actor, today: date) -> dict:
    return _dump(RiskPublic, risks.log_risk(session=session, actor=actor, data=_set(a)))


def _update_risk(a: ta.UpdateRiskArgs, *, session: Session, actor: Actor, today: date) -> dict:
    data = _set(a)
    key = data.pop("risk")
    if not data:
        raise Invalid(f"Tell me what to change on {key.upper()}: probability, impact, owner, status, ...")
    return _dump(RiskPublic, risks.update_risk(session=session, actor=actor, key=key, data=data))


def _close_risk(a: ta.CloseRiskArgs, *, session: Session, actor: Actor, today: date) -> dict:
    return _dump(RiskPublic, risks.close_risk(session=session, actor=actor, key=a.risk, reason=a.reason))


def _file_cr(a: ta.FileChangeRequestArgs, *, session: Session, actor: Actor, today: date) -> dict:
    cr = change_requests.file_change_request(session=session, actor=actor, data=_set(a))
    return _dump(ChangeRequestPublic, cr)


def _decide_cr(a: ta.DecideChangeRequestArgs, *, session: Session, actor: Actor, today: date) -> dict:
    cr = change_requests.decide_change_request(
        session=session, actor=actor, key=a.change_request, decision=a.decision, comment=a.comment
    )
    return _dump(ChangeRequestPublic, cr)


def _list_crs(a: ta.ListChangeRequestsArgs, *, session: Session, actor: Actor, today: date) -> dict:
    filters = _set(a)
    if filters.get("status", "").strip().lower().replace(" ", "_") == "awaiting_decision":
        filters["status"], filters["awaiting_decision"] = None, True
    rows = change_requests.list_change_requests(session=session, actor=actor, filters=filters)
    return _items(ChangeRequestPublic, rows)


def _list_milestones(a: ta.ListMilestonesArgs, *, session: Session, actor: Actor, today: date) -> dict:
    filters = _set(a)
    if filters.get("status", "").strip().lower() == "overdue":
        filters["status"], filters["overdue"] = None, True
    rows = milestones.list_milestones(session=session, actor=actor, filters=filters, today=today)
    return _items(MilestonePublic, rows)


def _update_milestone(a: ta.UpdateMilestoneArgs, *, session: Session, actor: Actor, today: date) -> dict:
    data = _set(a, "status", "due_date")
    if not data:
        raise Invalid(f"Tell me the new status or due date for {a.milestone.upper()}.")
    row = milestones.update_milestone(session=session, actor=actor, key=a.milestone, data=data, today=today)
    return _dump(MilestonePublic, row)


def _post_status(a: ta.PostStatusUpdateArgs, *, session: Session, actor: Actor, today: date) -> dict:
    update = status.post_status_update(session=session, actor=actor, data=_set(a), today=today)
    return _dump(StatusUpdatePublic, update)


def _spec(name: str, schema: type[BaseModel], func: ToolFunc, writes: bool, description: str) -> ToolSpec:
    return ToolSpec(name=name, description=description, args_schema=schema, func=func, writes=writes)


TOOL_SPECS: dict[str, ToolSpec] = {
    s.name: s
    for s in (
        _spec("project_status", ta.ProjectStatusArgs, _project_status, False,
              "Where a project stands today: latest RAG status and summary, open risks by rating, "
              "top risks, milestones due in the next 30 days or overdue, change requests awaiting "
              "a decision."),
        _spec("list_risks", ta.ListRisksArgs, _list_risks, False,
              "List risks, highest score first, filtered by project, status, minimum rating, owner or "
              "category. Without a status, closed risks are left out."),
        _spec("log_risk", ta.LogRiskArgs, _log_risk, True,
              "Log a new risk on a project. Probability and impact are 1-5 (or words); the score is their "
              "product and the rating follows from it. Returns the new risk with its key."),
        _spec("update_risk", ta.UpdateRiskArgs, _update_risk, True,
              "Change an existing risk: probability, impact, owner, status, response, mitigation or due "
              "date. Give only the fields that change."),
        _spec("close_risk", ta.CloseRiskArgs, _close_risk, True,
              "Close a risk that no longer applies, with the reason."),
        _spec("file_change_request", ta.FileChangeRequestArgs, _file_cr, True,
              "File a change request on a project with its schedule, cost and scope impact. "
              "It starts as submitted and waits for an approver's decision."),
        _spec("decide_change_request", ta.DecideChangeRequestArgs, _decide_cr, True,
              "Approve, reject or defer a change request. Only approvers and admins may decide."),
        _spec("list_change_requests", ta.ListChangeRequestsArgs, _list_crs, False,
              "List change requests, optionally for one project and one status."),
        _spec("list_milestones", ta.ListMilestonesArgs, _list_milestones, False,
              "List milestones, soonest due first, optionally for one project, by status, or due within "
              "the next N days."),
        _spec("update_milestone", ta.UpdateMilestoneArgs, _update_milestone, True,
              "Change a milestone's status or move its due date (the original date is kept to show slips)."),
        _spec("post_status_update", ta.PostStatusUpdateArgs, _post_status, True,
              "Post a project's status update: overall RAG (green/amber/red), a summary, and optional "
              "schedule, budget and scope RAG."),
    )
}  # fmt: skip


def index_specs(specs: Mapping[str, ToolSpec] | Iterable[ToolSpec] | None) -> dict[str, ToolSpec]:
    if specs is None:
        return dict(TOOL_SPECS)
    if isinstance(specs, Mapping):
        return dict(specs)
    return {s.name: s for s in specs}


def run_tool(
    name: str,
    args: dict[str, Any] | None,
    *,
    session: Session,
    actor: Actor,
    today: date,
    specs: Mapping[str, ToolSpec] | Iterable[ToolSpec] | None = None,
) -> dict[str, Any]:
    """Validate `args` with the tool's schema and run it; raises DomainError for expected failures."""
    spec = index_specs(specs).get(name)
    if spec is None:
        raise Invalid(f"There is no tool called {name}.")
    parsed = parse(spec.args_schema, args or {})
    return spec.func(parsed, session=session, actor=actor, today=today)


def build_langchain_tools(
    *,
    session_factory: sessionmaker[Session],
    actor: Actor,
    today: date | Callable[[], date],
    specs: Mapping[str, ToolSpec] | Iterable[ToolSpec] | None = None,
    on_call: Callable[[str, dict[str, Any], dict[str, Any]], None] | None = None,
) -> list[StructuredTool]:
    """LangChain tools over the specs; each call runs in its own unit of work and returns
    `{"ok": true, "result": ...}` or `{"ok": false, "error": sentence}`. `on_call(name, args, outcome)`
    lets the caller record what the agent did."""
    indexed = index_specs(specs)

    def make(spec: ToolSpec) -> StructuredTool:
        def call(**kwargs: Any) -> dict[str, Any]:
            args = {k: v for k, v in kwargs.items() if v is not None}  # LangChain fills in the defaults
            day = today() if callable(today) else today
            try:
                with session_scope(session_factory) as session:
                    result = run_tool(spec.name, args, session=session, actor=actor, today=day, specs=indexed)
                outcome: dict[str, Any] = {"ok": True, "result": result}
            except DomainError as exc:
                outcome = {"ok": False, "error": exc.message}
            if on_call is not None:
                on_call(spec.name, args, outcome)
            return outcome

        return StructuredTool.from_function(
            func=call, name=spec.name, description=spec.description, args_schema=spec.args_schema
        )

    return [make(spec) for spec in indexed.values()]
