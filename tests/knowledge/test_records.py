"""Records as chunks, kept in sync after each committed write, and rebuilt in full."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.records import all_record_chunks, record_chunks, sync_records
from tests.builders import (
    SYSTEM,
    make_change_request,
    make_milestone,
    make_person,
    make_project,
    make_risk,
    make_status_update,
)
from tests.knowledge.fakes import MemorySink
from tools.db import session_scope
from tools.events import install_after_commit
from tools.services import projects, risks


@pytest.fixture
def portfolio(session_factory):
    with session_scope(session_factory) as s:
        pm = make_person(s, "U0PM", "Dana Lee", role="pm")
        make_project(s, "SEPSIS", "Sepsis Early Warning", pm=pm, description="Predicts sepsis 6 hours early.")
        make_project(s, "HIDDEN", "Private pilot", private=True)
        make_risk(s, "SEPSIS", "Label drift after the EHR upgrade", probability="likely", impact=5,
                  category="model", owner="U0PM", mitigation="Monthly recalibration.")  # fmt: skip
        make_change_request(s, "SEPSIS", "Add a second site", schedule_days=14, cost=45000, reason="Demand.")
        make_milestone(s, "SEPSIS", "Silent pilot", due_date=date(2024, 10, 1))
        make_status_update(s, "SEPSIS", "amber", "Vendor API is late; pilot date at risk.")
        make_risk(s, "HIDDEN", "Vendor contract unsigned")


def test_each_record_reads_as_text_with_its_key(session_factory, portfolio) -> None:
    with session_factory() as s:
        (risk,) = record_chunks(s, "risk", "SEPSIS-R1")
        (cr,) = record_chunks(s, "change_request", "SEPSIS-CR1")
        (ms,) = record_chunks(s, "milestone", "SEPSIS-M1")
        (project,) = record_chunks(s, "project", "SEPSIS")
        chunks = all_record_chunks(s)
        assert record_chunks(s, "risk", "SEPSIS-R99") == [] and record_chunks(s, "person", "U0PM") == []
    assert risk.id == risk.source == "SEPSIS-R1" and risk.kind == "risk" and risk.project == "SEPSIS"
    assert "Risk SEPSIS-R1: Label drift after the EHR upgrade" in risk.text
    assert "Rating: High (score 20 = probability 4 x impact 5)" in risk.text or "Critical" in risk.text
    assert "Owner: Dana Lee (U0PM)" in risk.text and "Mitigation: Monthly recalibration." in risk.text
    assert risk.doc_date is not None and not risk.private
    assert "Cost impact: $45,000" in cr.text and "Schedule impact: 14 days" in cr.text
    assert "Due date: 2024-10-01" in ms.text
    assert "Project manager: Dana Lee (U0PM)" in project.text
    status = [c for c in chunks if c.kind == "status_update"]
    assert len(status) == 1 and status[0].id.startswith("SEPSIS-S") and "overall amber" in status[0].text
    assert {c.kind for c in chunks} == {"project", "risk", "change_request", "milestone", "status_update"}
    hidden = [c for c in chunks if c.project == "HIDDEN"]
    assert hidden and all(c.private for c in hidden)


def test_full_sync_writes_everything_and_drops_stale_record_chunks(session_factory, portfolio) -> None:
    sink = MemorySink()
    sink.chunks["SEPSIS-R42"] = object()  # a record deleted while we were away
    sink.chunks["2024-09.md#0:abc"] = object()  # documents are not the record sync's business
    with session_factory() as s:
        report = sync_records(s, sink)
    assert report.records == 7 and "SEPSIS-R42" not in sink.chunks and "2024-09.md#0:abc" in sink.chunks
    assert {"SEPSIS", "SEPSIS-R1", "SEPSIS-CR1", "SEPSIS-M1", "HIDDEN-R1"} <= set(sink.chunks)


def test_index_follows_committed_writes(session_factory, portfolio) -> None:
    sink = MemorySink()

    def follow(changed):
        with session_factory() as s:
            sync_records(s, sink, changed)

    uninstall = install_after_commit(session_factory, follow)
    try:
        with session_scope(session_factory) as s:
            risks.update_risk(session=s, actor=SYSTEM, key="SEPSIS-R1", data={"probability": 2})
        assert "probability 2" in sink.chunks["SEPSIS-R1"].text
        with session_scope(session_factory) as s:
            make_status_update(s, "SEPSIS", "green", "Back on track.")
        assert any("Back on track" in c.text for k, c in sink.chunks.items() if k.startswith("SEPSIS-S"))
        with pytest.raises(RuntimeError), session_scope(session_factory) as s:
            risks.close_risk(session=s, actor=SYSTEM, key="SEPSIS-R1", reason="never happens")
            raise RuntimeError("rolled back")
        assert "Status: open" in sink.chunks["SEPSIS-R1"].text  # nothing delivered for a rollback
        with session_scope(session_factory) as s:
            projects.update_project(session=s, actor=SYSTEM, key="SEPSIS", data={"private": True})
        assert all(c.private for k, c in sink.chunks.items() if k.startswith("SEPSIS"))
    finally:
        uninstall()


def test_record_text_is_redacted(session_factory, redactor) -> None:
    with session_scope(session_factory) as s:
        make_project(s, "READMIT", "Readmission model")
        make_risk(
            s, "READMIT", "Chart leak", description="Screenshot showed patient John Smith, MRN 12345678."
        )
    with session_factory() as s:
        (chunk,) = record_chunks(s, "risk", "READMIT-R1", redactor)
    assert "John Smith" not in chunk.text and "[PATIENT_NAME]" in chunk.text and "[MRN]" in chunk.text
