"""The record tools: contract names and arguments, run_tool outputs, LangChain StructuredTools."""

from __future__ import annotations

from datetime import date

import pytest
from langchain_core.tools import StructuredTool
from sqlalchemy.orm import Session, sessionmaker

from tests.builders import make_change_request, make_milestone, make_risk
from tools.errors import Forbidden, Invalid, NotFound
from tools.registry import TOOL_SPECS, ToolSpec, build_langchain_tools, run_tool
from tools.services import audit

# The contract's table (eval/CONTRACT.md): tool -> arguments, "?" marks optional ones.
CONTRACT = {
    "project_status": "project",
    "list_risks": "project?, status?, min_rating?, owner?, category?",
    "log_risk": "project, title, description?, category?, probability, impact, owner?, response?, mitigation?, "
    "due_date?",
    "update_risk": "risk, probability?, impact?, owner?, status?, response?, mitigation?, due_date?",
    "close_risk": "risk, reason?",
    "file_change_request": "project, title, description?, reason?, schedule_days?, cost?, scope?, priority?",
    "decide_change_request": "change_request, decision, comment?",
    "list_change_requests": "project?, status?",
    "list_milestones": "project?, due_within_days?, status?",
    "update_milestone": "milestone, status?, due_date?",
    "post_status_update": "project, overall, summary, schedule?, budget?, scope?",
}
WRITES = {
    "log_risk",
    "update_risk",
    "close_risk",
    "file_change_request",
    "decide_change_request",
    "update_milestone",
    "post_status_update",
}


@pytest.mark.parametrize("name", sorted(CONTRACT))
def test_names_and_arguments_are_the_contracts(name: str) -> None:
    spec = TOOL_SPECS[name]
    args = [a.strip() for a in CONTRACT[name].split(",")]
    fields = spec.args_schema.model_fields
    assert list(fields) == [a.rstrip("?") for a in args]
    for arg in args:
        assert fields[arg.rstrip("?")].is_required() == (not arg.endswith("?")), arg
        assert fields[arg.rstrip("?")].description, f"{name}.{arg} needs a description for the model"
    assert spec.writes == (name in WRITES)
    assert len(spec.description) > 30


def test_no_extra_tools() -> None:
    assert set(TOOL_SPECS) == set(CONTRACT)


def run(session: Session, actor, name: str, **args):
    return run_tool(name, args, session=session, actor=actor, today=date(2026, 11, 24))


def test_log_update_close_risk(session: Session, cast) -> None:
    out = run(
        session,
        cast.member,
        "log_risk",
        project="sepsis",
        title="Drift",
        probability="likely",
        impact="very high",
        owner="Aisha",
        category="data",
        due_date="2026-12-15",
    )
    assert (out["key"], out["score"], out["rating"], out["owner"], out["due_date"]) == (
        "SEPSIS-R1",
        20,
        "Critical",
        "U0AISHA01",
        "2026-12-15",
    )
    out = run(session, cast.member, "update_risk", risk="SEPSIS-R1", impact=2, owner=None)
    assert (out["score"], out["rating"], out["owner"]) == (8, "Medium", "U0AISHA01")  # None = not given
    out = run(session, cast.member, "close_risk", risk="sepsis-r1", reason="fixed")
    assert (out["status"], out["closed_reason"]) == ("closed", "fixed")
    with pytest.raises(Invalid, match="what to change"):
        run(session, cast.member, "update_risk", risk="SEPSIS-R1")


def test_list_risks_defaults_and_ratings(session: Session, cast) -> None:
    make_risk(session, "SEPSIS", "a", probability=5, impact=4)
    make_risk(session, "SEPSIS", "b", probability=3, impact=4)
    make_risk(session, "SEPSIS", "c", probability=5, impact=5, status="closed")
    keys = lambda **a: [r["key"] for r in run(session, cast.member, "list_risks", **a)["items"]]  # noqa: E731
    assert keys() == ["SEPSIS-R1", "SEPSIS-R2"]
    assert keys(status="all") == ["SEPSIS-R3", "SEPSIS-R1", "SEPSIS-R2"]
    assert keys(status="closed") == ["SEPSIS-R3"]
    assert keys(min_rating="Critical") == ["SEPSIS-R1"]
    assert keys(min_rating="high") == ["SEPSIS-R1", "SEPSIS-R2"]


def test_change_request_tools(session: Session, cast) -> None:
    out = run(
        session,
        cast.member,
        "file_change_request",
        project="SEPSIS",
        title="Extend",
        schedule_days=42,
        cost=38000,
        priority="high",
    )
    assert (out["key"], out["status"], out["cost"]) == ("SEPSIS-CR1", "submitted", 38000.0)
    with pytest.raises(Forbidden, match="Grace Okafor"):
        run(session, cast.member, "decide_change_request", change_request="SEPSIS-CR1", decision="approve")
    out = run(
        session,
        cast.approver,
        "decide_change_request",
        change_request="SEPSIS-CR1",
        decision="approve",
        comment="ok",
    )
    assert (out["status"], out["decided_by"], out["next_statuses"]) == (
        "approved",
        "U0GRACE01",
        ["implemented"],
    )
    make_change_request(session, "SEPSIS", "waiting")
    assert [
        c["key"] for c in run(session, cast.pm, "list_change_requests", status="awaiting_decision")["items"]
    ] == ["SEPSIS-CR2"]
    assert [c["key"] for c in run(session, cast.pm, "list_change_requests", project="SEPSIS")["items"]] == [
        "SEPSIS-CR1",
        "SEPSIS-CR2",
    ]


def test_milestone_and_status_tools(session: Session, cast) -> None:
    make_milestone(session, "SEPSIS", "soon", due_date="2026-11-30")
    make_milestone(session, "SEPSIS", "late", due_date="2026-11-01")
    make_milestone(session, "SEPSIS", "far", due_date="2027-06-01")
    titles = lambda **a: [m["title"] for m in run(session, cast.pm, "list_milestones", **a)["items"]]  # noqa: E731
    assert titles(due_within_days=7) == ["soon"]
    assert titles(status="overdue") == ["late"]
    assert titles(project="SEPSIS") == ["late", "soon", "far"]
    out = run(session, cast.pm, "update_milestone", milestone="SEPSIS-M1", due_date="2026-12-07")
    assert (out["due_date"], out["original_due_date"], out["slip_days"]) == ("2026-12-07", "2026-11-30", 7)
    out = run(session, cast.pm, "update_milestone", milestone="SEPSIS-M2", status="completed")
    assert out["completed_on"] == "2026-11-24"
    out = run(
        session,
        cast.pm,
        "post_status_update",
        project="SEPSIS",
        overall="amber",
        summary="Slipping",
        schedule="red",
    )
    assert (out["overall"], out["schedule"], out["as_of"]) == ("amber", "red", "2026-11-24")
    status = run(session, cast.pm, "project_status", project="SEPSIS")
    assert status["overall"] == "amber" and status["schedule"] == "red"
    assert [m["title"] for m in status["upcoming_milestones"]] == ["soon"]
    assert status["overdue_milestones"] == []


def test_run_tool_errors(session: Session, cast) -> None:
    with pytest.raises(Invalid, match="no tool called fly"):
        run(session, cast.pm, "fly")
    with pytest.raises(Invalid, match="title is required"):
        run(session, cast.pm, "log_risk", project="SEPSIS", probability=1, impact=1)
    with pytest.raises(Invalid, match="colour is not an argument"):
        run(session, cast.pm, "project_status", project="SEPSIS", colour="red")
    with pytest.raises(NotFound):
        run(session, cast.outsider, "project_status", project="SECRET")


def test_extra_specs_are_run(session: Session, cast) -> None:
    from pydantic import BaseModel

    class EchoArgs(BaseModel):
        question: str

    def echo(args, *, session, actor, today):
        return {"answer": args.question, "user": actor.user_id, "today": today.isoformat()}

    spec = ToolSpec("ask", "Echo.", EchoArgs, echo)
    out = run_tool(
        "ask",
        {"question": "hi"},
        session=session,
        actor=cast.pm,
        today=date(2026, 1, 2),
        specs={**TOOL_SPECS, "ask": spec},
    )
    assert out == {"answer": "hi", "user": "U0PRIYA01", "today": "2026-01-02"}
    assert (
        run_tool(
            "ask", {"question": "x"}, session=session, actor=cast.pm, today=date(2026, 1, 2), specs=[spec]
        )["answer"]
        == "x"
    )


def test_langchain_tools(session_factory: sessionmaker[Session], session: Session, cast) -> None:
    calls = []
    tools = build_langchain_tools(
        session_factory=session_factory,
        actor=cast.member,
        today=lambda: date(2026, 11, 24),
        on_call=lambda *a: calls.append(a),
    )
    by_name = {t.name: t for t in tools}
    assert set(by_name) == set(CONTRACT) and all(isinstance(t, StructuredTool) for t in tools)
    schema = by_name["log_risk"].args_schema.model_json_schema()
    assert "very high" in schema["properties"]["probability"]["description"]

    out = by_name["log_risk"].invoke(
        {"project": "SEPSIS", "title": "Drift", "probability": 4, "impact": "high"}
    )
    assert out["ok"] is True and out["result"]["key"] == "SEPSIS-R1"
    session.expire_all()
    assert [e.action for e in audit.history(session, "risk", "SEPSIS-R1")] == ["risk.create"]  # committed

    out = by_name["decide_change_request"].invoke({"change_request": "SEPSIS-CR9", "decision": "approve"})
    assert out == {"ok": False, "error": "There is no change request SEPSIS-CR9."}
    out = by_name["log_risk"].invoke({"project": "SEPSIS", "title": "x", "probability": "huge", "impact": 1})
    assert out["ok"] is False and "huge" in out["error"]
    out = by_name["list_risks"].invoke({"project": "SEPSIS"})
    assert [r["key"] for r in out["result"]["items"]] == ["SEPSIS-R1"]  # the failed write left nothing behind
    assert [c[0] for c in calls] == ["log_risk", "decide_change_request", "log_risk", "list_risks"]
    assert calls[0][1] == {"project": "SEPSIS", "title": "Drift", "probability": 4, "impact": "high"}
