"""`pmo demo`: load a realistic clinical-AI portfolio through the services, then index its documents.

Dates in `demo_data/portfolio.yaml` are offsets from today, so the demo always looks current. Loading is
idempotent: people and projects that already exist are left alone, documents re-sync by content hash.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml
from sqlalchemy import select
from sqlalchemy.orm import Session

from api.container import Container
from tools.actor import Actor
from tools.models import Person, Project
from tools.services import change_requests, milestones, people, projects, risks, status

DEMO_DIR = Path(__file__).parent / "demo_data"
DECISIONS = {"approved": "approve", "rejected": "reject", "deferred": "defer"}
AFTER_APPROVAL = ("implemented", "closed")
Progress = Callable[[str], Any]


@dataclass
class DemoReport:
    people_added: int = 0
    projects_added: list[str] = field(default_factory=list)
    projects_skipped: list[str] = field(default_factory=list)
    documents: int = 0
    chunks: int = 0
    redactions: int = 0
    errors: list[str] = field(default_factory=list)
    ingest_note: str | None = None

    def summary(self) -> str:
        added = ", ".join(self.projects_added) or "none"
        lines = [f"Demo portfolio: {self.people_added} people and projects {added} added."]
        if self.projects_skipped:
            lines.append(f"Already loaded (left as they are): {', '.join(self.projects_skipped)}.")
        if self.ingest_note:
            lines.append(self.ingest_note)
        elif self.documents:
            lines.append(
                f"Indexed {self.documents} demo documents ({self.chunks} new chunks, "
                f"{self.redactions} PHI redactions)."
            )
        lines.extend(f"Could not index {e}" for e in self.errors)
        return "\n".join(lines)


def read_portfolio(path: Path | None = None) -> dict[str, Any]:
    return yaml.safe_load((path or DEMO_DIR / "portfolio.yaml").read_text(encoding="utf-8"))


def _day(today: date, offset: int | None) -> str | None:
    return None if offset is None else (today + timedelta(days=int(offset))).isoformat()


def render_document(text: str, today: date) -> str:
    """`{{date:-14}}` -> the ISO date 14 days before today."""
    return re.sub(r"\{\{date:([+-]?\d+)\}\}", lambda m: _day(today, int(m.group(1))) or "", text)


def _actor(session: Session, slack_id: str | None) -> Actor:
    if not slack_id:
        return Actor.system("system")
    return people.actor_for(session, slack_id, "system")


def load_people(session: Session, data: dict[str, Any]) -> int:
    admin = Actor.system("system")
    added = 0
    for person in data.get("people", []):
        if session.scalar(select(Person).where(Person.slack_id == person["slack_id"])) is None:
            people.create_person(session=session, actor=admin, data=person)
            added += 1
    return added


def load_project(session: Session, spec: dict[str, Any], today: date) -> None:
    """One project and its records, written by the people the fixture names (so the audit reads true)."""
    key = spec["key"]
    fields = {
        k: spec[k] for k in ("key", "name", "description", "channel", "pm", "members", "private") if k in spec
    }
    projects.create_project(session=session, actor=_actor(session, spec.get("pm")), data=fields)
    for item in spec.get("risks", []):
        _load_risk(session, key, item, today)
    for item in spec.get("change_requests", []):
        _load_change_request(session, key, item, spec.get("pm"))
    for item in spec.get("milestones", []):
        _load_milestone(session, key, item, spec.get("pm"), today)
    for item in sorted(spec.get("status_updates", []), key=lambda u: -int(u["days_ago"])):
        data = {k: item[k] for k in ("overall", "schedule", "budget", "scope", "summary") if k in item}
        data.update(project=key, as_of=_day(today, -int(item["days_ago"])))
        status.post_status_update(
            session=session, actor=_actor(session, item.get("by")), data=data, today=today
        )


def _load_risk(session: Session, key: str, item: dict[str, Any], today: date) -> None:
    data = {k: v for k, v in item.items() if k not in ("by", "due")}
    data.update(project=key, due_date=_day(today, item.get("due")))
    risks.log_risk(session=session, actor=_actor(session, item.get("by")), data=data)


def _load_change_request(session: Session, key: str, item: dict[str, Any], pm: str | None) -> None:
    data = {k: v for k, v in item.items() if k not in ("by", "status", "decided_by", "comment")}
    cr = change_requests.file_change_request(
        session=session, actor=_actor(session, item.get("by")), data={**data, "project": key}
    )
    target = item.get("status", "submitted")
    if target == "submitted":
        return
    manager = _actor(session, pm)
    change_requests.bring_to_status(session=session, actor=manager, key=cr.key, status="under_review")
    decision = "approve" if target in AFTER_APPROVAL else DECISIONS.get(target)
    if decision:
        change_requests.decide_change_request(
            session=session,
            actor=_actor(session, item.get("decided_by")),
            key=cr.key,
            decision=decision,
            comment=item.get("comment"),
        )
    if target in AFTER_APPROVAL:
        change_requests.bring_to_status(session=session, actor=manager, key=cr.key, status=target)


def _load_milestone(session: Session, key: str, item: dict[str, Any], pm: str | None, today: date) -> None:
    """A `slip` of N days: planned N days earlier, then moved (so the slip shows in its history)."""
    actor = _actor(session, item.get("owner") or pm)
    slip = int(item.get("slip", 0))
    due = int(item["due"])
    data = {k: item[k] for k in ("title", "status", "owner", "description") if k in item}
    data["due_date"] = _day(today, due - slip)
    milestone = milestones.create_milestone(session=session, actor=actor, project=key, data=data, today=today)
    if slip:
        milestones.update_milestone(
            session=session, actor=actor, key=milestone.key, data={"due_date": _day(today, due)}, today=today
        )


def write_documents(data: dict[str, Any], target: Path, today: date) -> dict[str, list[Path]]:
    """Render the demo documents (dates relative to today) under `target`; project key -> paths."""
    written: dict[str, list[Path]] = {}
    for spec in data.get("projects", []):
        for name in spec.get("documents", []):
            source = DEMO_DIR / "docs" / spec["key"] / name
            path = target / spec["key"] / name
            path.parent.mkdir(parents=True, exist_ok=True)
            text = render_document(source.read_text(encoding="utf-8"), today)
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                path.write_text(text, encoding="utf-8")
            written.setdefault(spec["key"], []).append(path)
    return written


def ingest_documents(container: Container, docs: dict[str, list[Path]], report: DemoReport) -> None:
    try:
        ingestor = container.ingestor
    except ImportError as exc:
        report.ingest_note = f"Documents were not indexed: this build has no document ingestion ({exc.name})."
        return
    for key, paths in docs.items():
        result = ingestor.ingest(paths, project=key)
        report.documents += result.files
        report.chunks += result.chunks_added
        report.redactions += result.redactions
        report.errors.extend(f"{path}: {reason}" for path, reason in result.errors)


def load_demo(
    container: Container, *, ingest: bool = True, progress: Progress | None = None, path: Path | None = None
) -> DemoReport:
    """Load (or top up) the demo portfolio; safe to run again."""
    say = progress or (lambda _msg: None)
    data = read_portfolio(path)
    today = container.today()
    report = DemoReport()
    with container.session() as session:
        report.people_added = load_people(session, data)
    for spec in data.get("projects", []):
        with container.session() as session:
            if session.scalar(select(Project).where(Project.key == spec["key"])) is not None:
                report.projects_skipped.append(spec["key"])
                continue
            load_project(session, spec, today)
        report.projects_added.append(spec["key"])
        say(f"Loaded {spec['key']}: {spec['name']}")
    docs = write_documents(data, container.settings.data_dir / "demo_docs", today)
    if ingest:
        say("Indexing the demo documents (the first run loads the embedding model)...")
        ingest_documents(container, docs, report)
    return report
