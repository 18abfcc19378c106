"""The PMO's records as retrievable text: each risk, change request, milestone, status update and
project becomes one `Chunk` whose id and source are the record's key (status updates get
``{PROJECT}-S{id}``), written in words so search and extractive answers can quote it.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from knowledge.phi import PhiRedactor
from knowledge.types import Chunk, SyncReport, content_hash
from tools.models import ChangeRequest, Milestone, Person, Project, Risk, StatusUpdate

HEADINGS = {
    "risk": "Risk register",
    "change_request": "Change requests",
    "milestone": "Milestones",
    "status_update": "Status updates",
    "project": "Project",
}
MODELS = {"risk": Risk, "change_request": ChangeRequest, "milestone": Milestone}


def status_key(update: StatusUpdate) -> str:
    return f"{update.project.key}-S{update.id}"


def _day(value: date | datetime | None) -> str | None:
    if value is None:
        return None
    return (value.date() if isinstance(value, datetime) else value).isoformat()


def _who(value: str | None, people: dict[str, str]) -> str | None:
    if not value:
        return None
    name = people.get(value)
    return f"{name} ({value})" if name and name != value else value


def _lines(*pairs: tuple[str, object]) -> list[str]:
    return [
        f"{label}: {value}." if not str(value).endswith(".") else f"{label}: {value}"
        for label, value in pairs
        if value not in (None, "")
    ]


def _text(kind: str, record, people: dict[str, str]) -> tuple[str, str, str, list[str], object, dict]:
    """(key, title, first line, field lines, date of last change, metadata) for one record."""
    if kind == "risk":
        r: Risk = record
        head = f"Risk {r.key}: {r.title}"
        body = _lines(
            ("Status", r.status),
            ("Rating", f"{r.rating} (score {r.score} = probability {r.probability} x impact {r.impact})"),
            ("Category", r.category), ("Owner", _who(r.owner, people)), ("Response", r.response),
            ("Description", r.description), ("Mitigation", r.mitigation), ("Trigger", r.trigger),
            ("Due date", _day(r.due_date)), ("Review date", _day(r.review_date)),
            ("Closed", _day(r.closed_at)), ("Closing reason", r.closed_reason),
        )  # fmt: skip
        meta = {"status": r.status, "rating": r.rating, "score": r.score, "category": r.category}
        return r.key, r.title, head, body, r.updated_at or r.created_at, meta
    if kind == "change_request":
        c: ChangeRequest = record
        head = f"Change request {c.key}: {c.title}"
        cost = f"${c.cost:,.0f}" if c.cost is not None else None
        body = _lines(
            ("Status", c.status.replace("_", " ")), ("Priority", c.priority),
            ("Requested by", _who(c.requested_by, people)),
            ("Description", c.description), ("Reason", c.reason),
            ("Schedule impact", f"{c.schedule_days} days" if c.schedule_days is not None else None),
            ("Cost impact", cost), ("Scope impact", c.scope), ("Decision", c.decision),
            ("Decided by", _who(c.decided_by, people)), ("Decision comment", c.decision_comment),
            ("Decided on", _day(c.decided_at)),
        )  # fmt: skip
        meta = {"status": c.status, "priority": c.priority}
        return c.key, c.title, head, body, c.updated_at or c.created_at, meta
    if kind == "milestone":
        m: Milestone = record
        head = f"Milestone {m.key}: {m.title}"
        body = _lines(
            ("Status", m.status.replace("_", " ")), ("Due date", _day(m.due_date)),
            ("Original due date", _day(m.original_due_date) if m.original_due_date != m.due_date else None),
            ("Completed on", _day(m.completed_on)), ("Owner", _who(m.owner, people)),
            ("Description", m.description),
        )  # fmt: skip
        meta = {"status": m.status, "due_date": _day(m.due_date)}
        return m.key, m.title, head, body, m.updated_at or m.created_at, meta
    if kind == "status_update":
        s: StatusUpdate = record
        key = status_key(s)
        head = f"Status update {key} for {s.project.key} as of {_day(s.as_of)}: overall {s.overall}"
        body = _lines(
            ("Schedule", s.schedule), ("Budget", s.budget), ("Scope", s.scope),
            ("Summary", s.summary), ("Posted by", _who(s.author, people)),
        )  # fmt: skip
        return key, f"Status update {_day(s.as_of)}", head, body, s.as_of, {"overall": s.overall}
    p: Project = record
    head = f"Project {p.key}: {p.name}"
    pm = f"{p.pm.name} ({p.pm.slack_id})" if p.pm else None
    body = _lines(
        ("Status", p.status),
        ("Project manager", pm),
        ("Description", p.description),
        ("Slack channel", p.channel),
    )
    return p.key, p.name, head, body, p.updated_at or p.created_at, {"status": p.status}


def to_chunk(kind: str, record, people: dict[str, str], redactor: PhiRedactor | None = None) -> Chunk:
    key, title, head, body, when, meta = _text(kind, record, people)
    project = record if kind == "project" else record.project
    text = "\n".join(
        [head, f"Project: {project.name} ({project.key})." if kind != "project" else "", *body]
    ).replace("\n\n", "\n")
    updated = _day(when)
    if updated:
        text += f"\nLast updated {updated}."
    if redactor is not None and redactor.enabled:
        text = redactor.redact(text).text
    doc_date = when.date() if isinstance(when, datetime) else when
    return Chunk(
        id=key,
        text=text,
        source=key,
        kind=kind,
        project=project.key,
        title=title,
        heading=HEADINGS[kind],
        doc_date=doc_date,
        hash=content_hash(text + str(bool(project.private))),
        private=bool(project.private),
        metadata={k: v for k, v in meta.items() if v is not None},
    )


def _people(session: Session) -> dict[str, str]:
    return dict(session.execute(select(Person.slack_id, Person.name)).tuples().all())


def _load(session: Session, kind: str, key: str):
    if kind == "project":
        return session.scalar(select(Project).where(Project.key == key))
    if kind == "status_update":
        number = key.rsplit("-S", 1)[-1]
        return session.get(StatusUpdate, int(number)) if number.isdigit() else None
    model = MODELS.get(kind)
    return session.scalar(select(model).where(model.key == key)) if model is not None else None


def record_chunks(session: Session, kind: str, key: str, redactor: PhiRedactor | None = None) -> list[Chunk]:
    """The chunk for one record (empty when it does not exist or the kind is not indexed)."""
    if kind not in HEADINGS:
        return []
    record = _load(session, kind, key)
    return [to_chunk(kind, record, _people(session), redactor)] if record is not None else []


def all_record_chunks(
    session: Session, redactor: PhiRedactor | None = None, *, project: str | None = None
) -> list[Chunk]:
    """Every record as a chunk (for `pmo reindex`), optionally one project's only."""
    people = _people(session)
    chunks = []
    for kind, model in (("project", Project), *MODELS.items(), ("status_update", StatusUpdate)):
        query = select(model)
        if project is not None:
            query = (
                query.where(Project.key == project)
                if model is Project
                else query.join(Project).where(Project.key == project)
            )
        chunks.extend(to_chunk(kind, r, people, redactor) for r in session.scalars(query).unique())
    return chunks


def sync_records(
    session: Session,
    sink,
    changed: Sequence | None = None,
    *,
    redactor: PhiRedactor | None = None,
    batch_size: int = 256,
) -> SyncReport:
    """Write changed records (tools.events.ChangedRecord: kind, key, project_key, deleted) to the
    sink, or, with `changed=None`, every record, dropping record chunks the store no longer has."""
    report = SyncReport()
    if changed is None:
        chunks = all_record_chunks(session, redactor)
        _upsert(sink, chunks, batch_size, report)
        lister = getattr(sink, "ids", None)
        if callable(lister):
            stale = sorted(i for i in lister() if "#" not in i and i not in {c.id for c in chunks})
            if stale:
                sink.delete(stale)
                report.chunks_removed += len(stale)
        return report
    upserts: dict[str, Chunk] = {}
    removals: list[str] = []
    for change in changed:
        kind, key = change.kind, change.key
        if kind not in HEADINGS:
            continue  # people are not indexed on their own
        chunk_id = f"{change.project_key}-S{key}" if kind == "status_update" and key.isdigit() else key
        found = [] if change.deleted else record_chunks(session, kind, key, redactor)
        if not found:
            removals.append(chunk_id)
        if kind == "project" and not change.deleted:
            found = all_record_chunks(session, redactor, project=key)  # name or privacy shows on each
        upserts.update((c.id, c) for c in found)
    _upsert(sink, list(upserts.values()), batch_size, report)
    if removals:
        sink.delete(removals)
        report.chunks_removed += len(removals)
    return report


def _upsert(sink, chunks: Iterable[Chunk], batch_size: int, report: SyncReport) -> None:
    chunks = list(chunks)
    for start in range(0, len(chunks), batch_size):
        batch = chunks[start : start + batch_size]
        embedded = sink.upsert(batch)
        report.chunks_embedded += embedded if isinstance(embedded, int) else len(batch)
    report.records += len(chunks)
