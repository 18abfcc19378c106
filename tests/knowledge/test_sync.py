"""Incremental sync against a real database and an in-memory sink."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from sqlalchemy import func, select

from knowledge.chunking import chunk_document
from knowledge.loaders import load_document
from knowledge.phi import PhiRedactor
from knowledge.sync import ChunkSink, Ingestor
from tests.knowledge.conftest import make_docx
from tests.knowledge.fakes import Killed, MemorySink
from tools.db import session_scope
from tools.errors import NotFound
from tools.models import Project
from tools.models.knowledge import KnowledgeChunk, KnowledgeDocument

OFF = PhiRedactor(enabled=False)


@pytest.fixture
def project(session_factory) -> str:
    with session_scope(session_factory) as s:
        s.add(Project(key="CORDOVA", name="Apache Cordova"))
        s.add(Project(key="SECRET", name="Private pilot", private=True))
    return "CORDOVA"


@pytest.fixture
def folder(tmp_path: Path, corpus_dir: Path) -> Path:
    target = tmp_path / "reports"
    target.mkdir()
    for path in sorted(corpus_dir.glob("20*.md"))[:12]:
        shutil.copy(path, target / path.name)
    (target / "sub").mkdir()
    make_docx(target / "sub" / "status-2024-06.docx")
    return target


def expected_ids(folder: Path, project: str = "CORDOVA") -> set[str]:
    ids = set()
    for path in sorted(p for p in folder.rglob("*") if p.is_file() and p.suffix in (".md", ".docx")):
        doc = load_document(path)
        source = path.relative_to(folder).as_posix()
        ids |= {
            c.id for c in chunk_document(doc, project=project, source=source, scope=str(folder.resolve()))
        }
    return ids


def state(session_factory) -> tuple[int, int, int]:
    with session_factory() as s:
        docs = s.scalar(select(func.count()).select_from(KnowledgeDocument))
        chunks = s.scalar(select(func.count()).select_from(KnowledgeChunk))
        unindexed = s.scalar(select(func.count()).select_from(KnowledgeChunk).where(~KnowledgeChunk.indexed))
    return docs, chunks, unindexed


def test_memory_sink_satisfies_the_protocol() -> None:
    assert isinstance(MemorySink(), ChunkSink)


def test_first_ingest_then_unchanged_embeds_nothing(session_factory, project, folder) -> None:
    sink = MemorySink()
    seen = []
    report = Ingestor(session_factory, sink, OFF).ingest(
        [folder], project, progress=lambda d, t, s: seen.append((d, t, s))
    )
    assert report.files == 13 and not report.errors and report.unchanged == 0
    assert set(sink.chunks) == expected_ids(folder)
    assert report.chunks_embedded == report.chunks_added == len(sink.chunks)
    assert seen[-1][:2] == (13, 13) and ("sub/status-2024-06.docx" in {s for _, _, s in seen})
    assert all(c.project == "CORDOVA" and c.doc_date and not c.private for c in sink.chunks.values())
    assert state(session_factory) == (13, len(sink.chunks), 0)

    again = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert (again.unchanged, again.chunks_embedded, again.chunks_added, again.chunks_removed) == (13, 0, 0, 0)


def test_changed_file_replaces_only_its_changed_chunks(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    before = dict(sink.chunks)
    target = folder / "2013-01.md"
    target.write_text(
        target.read_text() + "\n\nAddendum\n========\n\nOne more release is planned for February.\n"
    )
    report = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert report.unchanged == 12 and report.chunks_embedded == 1 and report.chunks_removed == 0
    new = set(sink.chunks) - set(before)
    assert len(new) == 1 and "One more release" in sink.chunks[new.pop()].text
    # an edit in one section re-embeds that section's chunks only
    text = target.read_text().replace("One more release", "Two more releases")
    target.write_text(text)
    report = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert (report.chunks_embedded, report.chunks_removed) == (1, 1)
    assert set(sink.chunks) == expected_ids(folder)


def test_deleted_file_chunks_go(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    gone = {i for i, c in sink.chunks.items() if c.source == "2012-01.md"}
    (folder / "2012-01.md").unlink()
    shutil.rmtree(folder / "sub")
    report = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert report.documents_removed == 2 and gone and not gone & set(sink.chunks)
    assert set(sink.chunks) == expected_ids(folder)
    assert state(session_factory)[0] == 11


def test_deleting_outside_the_ingested_root_touches_nothing(
    session_factory, project, folder, tmp_path
) -> None:
    other = tmp_path / "other"
    other.mkdir()
    (other / "notes.md").write_text("# Notes\n\nKeep me.\n")
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder, other], project)
    (other / "notes.md").unlink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)  # only `folder` is re-synced
    assert any(c.source == "notes.md" for c in sink.chunks.values())


@pytest.mark.parametrize("listable", [True, False])
@pytest.mark.parametrize("die_after", [0, 7, 25])
def test_killed_ingest_resumes_without_duplicates_or_gaps(
    session_factory, project, folder, listable, die_after
) -> None:
    sink = MemorySink(listable=listable, die_after=die_after)
    with pytest.raises(Killed):
        Ingestor(session_factory, sink, OFF, batch_size=16).ingest([folder], project)
    sink.die_after = None
    report = Ingestor(session_factory, sink, OFF, batch_size=16).ingest([folder], project)
    assert not report.errors
    assert set(sink.chunks) == expected_ids(folder)
    assert state(session_factory) == (13, len(sink.chunks), 0)
    assert len(sink.upserted) - len(set(sink.upserted)) <= 16  # at most the half-sent batch is re-sent
    assert Ingestor(session_factory, sink, OFF).ingest([folder], project).chunks_embedded == 0


def test_killed_while_replacing_a_changed_file(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    target = folder / "2013-02.md"
    target.write_text(target.read_text().replace("Apache Cordova", "Apache Cordova (formerly Callback)"))
    before = set(sink.chunks)
    sink.die_after = 0
    with pytest.raises(Killed):
        Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert set(sink.chunks) == before  # the old version stays searchable until the new one is in
    sink.die_after = None
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert set(sink.chunks) == expected_ids(folder)


def test_reconcile_repairs_a_sink_that_lost_chunks_and_drops_orphans(
    session_factory, project, folder
) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    lost = sorted(sink.chunks)[:5]
    for chunk_id in lost:
        del sink.chunks[chunk_id]
    orphan = next(iter(sink.chunks.values()))
    sink.chunks["old.md#0:deadbeef0000"] = orphan
    sink.chunks["CORDOVA-R1"] = orphan  # record chunks are not the ingestor's to judge
    report = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert report.chunks_embedded == 5
    assert set(sink.chunks) == expected_ids(folder) | {"CORDOVA-R1"}


def test_bad_files_are_reported_and_the_rest_goes_on(session_factory, project, folder) -> None:
    (folder / "empty.md").write_text("")
    (folder / "broken.pdf").write_bytes(b"%PDF-1.4 nope")
    (folder / "huge.txt").write_text("x" * 70_000)
    (folder / "image.png").write_bytes(b"\x89PNG")
    (folder / ".hidden.md").write_text("# secret")
    report = Ingestor(session_factory, MemorySink(), OFF, max_bytes=60_000).ingest(
        [folder, folder / "nope.md"], project
    )
    errors = {Path(p).name: reason for p, reason in report.errors}
    assert set(errors) == {"empty.md", "broken.pdf", "huge.txt", "nope.md"}
    assert "over the" in errors["huge.txt"] and "empty" in errors["empty.md"]
    assert [Path(p).name for p, _ in report.skipped] == ["image.png"]
    assert report.files == 16 and state(session_factory)[0] == 13


def test_file_that_turns_corrupt_keeps_its_last_good_chunks(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    before = set(sink.chunks)
    (folder / "sub" / "status-2024-06.docx").write_bytes(b"PK\x03\x04 broken")
    report = Ingestor(session_factory, sink, OFF).ingest([folder], project)
    assert [Path(p).name for p, _ in report.errors] == ["status-2024-06.docx"]
    assert set(sink.chunks) == before
    with session_factory() as s:
        doc = s.scalar(select(KnowledgeDocument).where(KnowledgeDocument.source == "sub/status-2024-06.docx"))
        assert doc.status == "error" and "cannot parse" in doc.error


def test_redaction_counts_are_kept_per_document(session_factory, project, tmp_path, redactor) -> None:
    (tmp_path / "incident-2024-10.md").write_text(
        "# Incident\n\nPatient John Smith (MRN 12345678) got two alerts.\n"
    )
    (tmp_path / "release.md").write_text("# Release\n\ncordova-android 10.1.2 shipped on 2024-07-24.\n")
    sink = MemorySink()
    report = Ingestor(session_factory, sink, redactor).ingest([tmp_path], project)
    assert report.redactions == 2 and report.redactions_by_type == {"PATIENT_NAME": 1, "MRN": 1}
    texts = " ".join(c.text for c in sink.chunks.values())
    assert "John" not in texts and "12345678" not in texts and "[PATIENT_NAME]" in texts and "10.1.2" in texts
    with session_factory() as s:
        counts = dict(
            s.execute(select(KnowledgeDocument.source, KnowledgeDocument.redactions)).tuples().all()
        )
    assert counts == {"incident-2024-10.md": {"PATIENT_NAME": 1, "MRN": 1}, "release.md": {}}


def test_private_project_and_unknown_project(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder / "2012-01.md"], "secret")
    assert sink.chunks and all(c.private and c.project == "SECRET" for c in sink.chunks.values())
    with pytest.raises(NotFound, match="NOPE"):
        Ingestor(session_factory, sink, OFF).ingest([folder], "nope")


def test_moving_a_file_to_another_project_replaces_its_chunks(session_factory, project, folder) -> None:
    sink = MemorySink()
    Ingestor(session_factory, sink, OFF).ingest([folder], project)
    report = Ingestor(session_factory, sink, OFF).ingest([folder / "2012-01.md"], "SECRET")
    moved = [c for c in sink.chunks.values() if c.source == "2012-01.md"]
    assert moved and all(c.project == "SECRET" for c in moved) and report.chunks_removed == len(moved)
