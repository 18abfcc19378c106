"""Load a portfolio fixture (people, projects, risks, change requests, milestones) through the services.

Used by the chat evaluation and by tests: records are created in list order so their keys come out as
the fixture lists them, and statuses are reached through each record's lifecycle.
"""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Invalid
from tools.services import change_requests, milestones, people, projects, risks

RISK_FIELDS = ("title", "description", "category", "probability", "impact", "owner", "response",
               "mitigation", "due_date")  # fmt: skip
CR_FIELDS = ("title", "description", "reason", "schedule_days", "cost", "scope", "priority")


def read_fixture(path: str | Path) -> dict[str, Any]:
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise Invalid(f"Could not read the fixture {path}: {exc}") from exc
    if not isinstance(data, dict) or "projects" not in data:
        raise Invalid(f"{path} is not a portfolio fixture (it has no 'projects').")
    return data


def evaluation_date(fixture: dict[str, Any]) -> date | None:
    value = fixture.get("evaluation_date")
    return date.fromisoformat(value) if value else None


def _check(kind: str, got: str, want: str | None) -> None:
    if want and got != want:
        raise Invalid(
            f"The fixture expects {kind} {want} but the store assigned {got}; load into an empty database."
        )


def load_portfolio(session: Session, fixture: dict[str, Any], *, today: date | None = None) -> None:
    """Create the fixture's users, projects and records (the caller commits)."""
    admin = Actor.system("cli")
    today = today or evaluation_date(fixture) or date.today()
    for user in fixture.get("users", []):
        people.create_person(session=session, actor=admin, data={
            "slack_id": user["id"], "name": user["name"], "role": user.get("role", "member"),
            "title": user.get("title"),
        })  # fmt: skip
    for proj in fixture["projects"]:
        key = proj["key"]
        projects.create_project(session=session, actor=admin, data={
            "key": key, "name": proj["name"], "description": proj.get("description"),
            "channel": proj.get("channel"), "pm": proj.get("pm"), "members": proj.get("members", []),
            "private": bool(proj.get("private", False)),
        })  # fmt: skip
        for item in proj.get("risks", []):
            data = {f: item[f] for f in RISK_FIELDS if item.get(f) is not None}
            risk = risks.log_risk(session=session, actor=admin, data={"project": key, **data})
            _check("risk", risk.key, item.get("key"))
            status = item.get("status", "open")
            if status == "closed":
                risks.close_risk(session=session, actor=admin, key=risk.key, reason=item.get("closed_reason"))
            elif status != "open":
                risks.update_risk(session=session, actor=admin, key=risk.key, data={"status": status})
        for item in proj.get("change_requests", []):
            data = {f: item[f] for f in CR_FIELDS if item.get(f) is not None}
            cr = change_requests.file_change_request(
                session=session, actor=admin, data={"project": key, **data}
            )
            _check("change request", cr.key, item.get("key"))
            if item.get("status", "submitted") != "submitted":
                change_requests.bring_to_status(
                    session=session, actor=admin, key=cr.key, status=item["status"]
                )
        for item in proj.get("milestones", []):
            data = {
                f: item[f] for f in ("title", "due_date", "description", "owner") if item.get(f) is not None
            }
            ms = milestones.create_milestone(
                session=session, actor=admin, project=key, data=data, today=today
            )
            _check("milestone", ms.key, item.get("key"))
            if item.get("status", "planned") != "planned":
                milestones.update_milestone(
                    session=session, actor=admin, key=ms.key, data={"status": item["status"]}, today=today
                )
        session.flush()
