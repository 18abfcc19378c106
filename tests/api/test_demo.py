"""`pmo demo`: the portfolio loads through the services, covers every lifecycle state, and is idempotent."""

from __future__ import annotations

from collections import Counter

import pytest
from sqlalchemy import func, select
from typer.testing import CliRunner

from api.cli import app
from api.container import Container
from api.demo import DEMO_DIR, load_demo, read_portfolio, render_document
from tools.models import AuditEvent, ChangeRequest, Milestone, Person, Project, Risk, StatusUpdate


def counts(container: Container) -> dict[str, int]:
    with container.session() as session:
        return {
            m.__name__: session.scalar(select(func.count()).select_from(m))
            for m in (Person, Project, Risk, ChangeRequest, Milestone, StatusUpdate, AuditEvent)
        }


def test_demo_loads_a_realistic_portfolio_and_is_idempotent(container: Container) -> None:
    result = CliRunner().invoke(app, ["demo", "--no-serve", "--no-ingest"], obj=container)
    assert result.exit_code == 0, result.output
    assert "SEPSIS" in result.stdout
    first = counts(container)
    data = read_portfolio()
    assert first["Project"] == len(data["projects"]) >= 5
    assert first["Person"] == len(data["people"])
    assert first["Risk"] >= 15 and first["StatusUpdate"] >= 10

    with container.session() as session:
        cr_states = Counter(session.scalars(select(ChangeRequest.status)))
        assert {
            "submitted",
            "under_review",
            "approved",
            "rejected",
            "deferred",
            "implemented",
            "closed",
        } <= set(cr_states)
        today = container.today()
        milestones = list(session.scalars(select(Milestone)))
        overdue = [m for m in milestones if m.due_date < today and m.status in ("planned", "in_progress")]
        slipped = [m for m in milestones if m.original_due_date and m.due_date > m.original_due_date]
        assert overdue and slipped and any(m.status == "completed" for m in milestones)
        assert any(m.status == "missed" for m in milestones)
        assert session.scalar(select(Project).where(Project.key == "SCRIBE")).private
        # Records are attributed to the people who own them, so the audit trail reads true.
        actors = set(session.scalars(select(AuditEvent.actor)))
        assert {"U01DANAPM", "U04ELENA", "U06SAMP"} <= actors
        weeks = sorted({u.as_of for u in session.scalars(select(StatusUpdate))})
        assert len(weeks) >= 4 and weeks[-1] == today

    again = CliRunner().invoke(app, ["demo", "--no-serve", "--no-ingest"], obj=container)
    assert again.exit_code == 0 and "Already loaded" in again.stdout
    assert counts(container) == first


def test_demo_documents_render_dates_and_include_fake_phi(container: Container) -> None:
    report = load_demo(container, ingest=False)
    assert report.projects_added
    target = container.settings.data_dir / "demo_docs"
    written = sorted(p.relative_to(target).as_posix() for p in target.rglob("*.md"))
    expected = sorted(f"{p['key']}/{d}" for p in read_portfolio()["projects"] for d in p.get("documents", []))
    assert written == expected and len(written) >= 8
    for path in target.rglob("*.md"):
        assert "{{" not in path.read_text(encoding="utf-8")
    minutes = (target / "SEPSIS" / "steering-committee-minutes.md").read_text(encoding="utf-8")
    week_ago = container.today().toordinal() - 7
    from datetime import date

    assert f"**Date:** {date.fromordinal(week_ago).isoformat()}" in minutes
    assert "MRN" in (DEMO_DIR / "docs" / "SCRIBE" / "pilot-feedback-log.md").read_text(encoding="utf-8")


def test_render_document_offsets() -> None:
    from datetime import date

    assert render_document("on {{date:-7}} and {{date:+3}} and {{date:0}}", date(2026, 11, 25)) == (
        "on 2026-11-18 and 2026-11-28 and 2026-11-25"
    )


@pytest.mark.slow  # builds the PHI redactor (presidio) and indexes the whole demo
def test_demo_indexes_documents_and_records_without_phi(db_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    from tests.api.conftest import make_settings
    from tests.fakes import HashingEmbedder

    container = Container(make_settings(db_url, tmp_path / "data"), embedder=HashingEmbedder())
    report = load_demo(container, ingest=True)
    assert report.documents == 8 and report.chunks > 8 and not report.errors
    assert report.redactions > 0  # the SCRIBE feedback log carries fictional PHI
    index = container.index
    texts = [c.text for c in index.chunks()]
    everything = "\n".join(texts)
    for phi in ("00482913", "00577120", "maria.testcase@example.com", "(555) 201-4433"):
        assert phi not in everything
    assert index.get("SEPSIS-R1") is not None and index.get("SEPSIS-CR1") is not None  # records too
    assert any("steering committee" in t.lower() for t in texts)
    again = load_demo(container, ingest=True)
    assert again.chunks == 0 and index.count() == len(texts)
    container.close()
