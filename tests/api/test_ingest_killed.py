"""`pmo ingest` killed with SIGKILL in the middle of a run, then run again: the real index (embedded Chroma
and the sync state) ends with every chunk of every file exactly once, and a third run embeds nothing."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import pytest
from sqlalchemy import func, select

from api.container import Container
from tests.api.conftest import make_settings
from tests.builders import make_project
from tools.db import make_engine, make_session_factory, session_scope
from tools.models.knowledge import KnowledgeChunk, KnowledgeDocument

pytestmark = pytest.mark.slow

TOPICS = ("vendor contract", "label pipeline", "silent-mode validation", "Epic BPA build", "drift monitor",
          "IRB amendment", "GPU budget", "de-identification", "go-live checklist", "clinician training")  # fmt: skip


def write_corpus(folder: Path, files: int = 60) -> None:
    """Status notes with several sections each, every paragraph distinct (so every chunk is distinct)."""
    folder.mkdir()
    for n in range(files):
        topic = TOPICS[n % len(TOPICS)]
        sections = []
        for s in range(6):
            sentences = " ".join(
                f"Week {n}.{s}.{k}: the {topic} workstream reported item {n * 100 + s * 10 + k} as "
                f"{'on track' if (n + s + k) % 3 else 'at risk'}, with owner team {chr(65 + (n + k) % 26)} "
                f"following up on dependency {s * 7 + k} before the steering committee."
                for k in range(9)
            )
            sections.append(f"## Section {s}: {topic} update {n}-{s}\n\n{sentences}\n")
        (folder / f"2026-{1 + n % 12:02d}-note-{n:03d}.md").write_text(
            f"# Note {n} on {topic}\n\n" + "\n".join(sections)
        )


def indexed_rows(session_factory) -> int:  # type: ignore[no-untyped-def]
    with session_factory() as session:
        return session.scalar(select(func.count()).where(KnowledgeChunk.indexed.is_(True))) or 0


def test_sigkilled_ingest_resumes_without_duplicates_or_gaps(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "notes"
    write_corpus(folder)
    data_dir = tmp_path / "data"
    session_factory = make_session_factory(make_engine(db_url))
    with session_scope(session_factory) as session:
        make_project(session, "KILL", "Kill test")
    env = {**os.environ, "PMO_DATABASE_URL": db_url, "PMO_DATA_DIR": str(data_dir), "PMO_REDACT_PHI": "false",
           "HF_HUB_OFFLINE": "1"}  # fmt: skip
    command = [str(Path(sys.executable).parent / "pmo"), "ingest", str(folder), "--project", "KILL", "--json"]

    proc = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 240
    while indexed_rows(session_factory) == 0 and proc.poll() is None:
        assert time.monotonic() < deadline, "the first batch never reached the index"
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=30)
    assert proc.returncode == -signal.SIGKILL, (
        "ingest finished before it could be killed: make the corpus bigger"
    )
    with session_factory() as session:
        done = session.scalar(select(func.count()).where(KnowledgeDocument.status == "indexed"))
    assert done < 60, "the kill should have interrupted the run"

    resumed = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert resumed.returncode == 0, resumed.stderr
    summary = json.loads(resumed.stdout)
    assert summary["errors"] == [] and summary["files"] == 60

    container = Container(make_settings(db_url, data_dir))
    try:
        chunks = container.index.chunks()
        held = container.index.ids()
    finally:
        container.close()
    document_chunks = [c for c in chunks if "#" in c.id]  # record chunks have record keys as ids
    assert len(document_chunks) == len({c.id for c in document_chunks})
    ordinals: dict[str, list[int]] = defaultdict(list)
    for chunk in document_chunks:
        ordinals[chunk.source].append(chunk.ordinal)
    assert len(ordinals) == 60, "every file is in the index"
    with session_factory() as session:
        rows = dict(session.execute(select(KnowledgeDocument.source, KnowledgeDocument.chunk_count)).all())
        states = set(session.scalars(select(KnowledgeDocument.status)))
        state_ids = set(
            session.scalars(select(KnowledgeChunk.chunk_id).where(KnowledgeChunk.indexed.is_(True)))
        )
    assert states == {"indexed"}
    for source, found in ordinals.items():
        assert sorted(found) == list(range(rows[source])), f"{source}: chunks missing or doubled"
    assert state_ids == {i for i in held if "#" in i}

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=600)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout)["chunks_embedded"] == 0
