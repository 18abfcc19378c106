"""Sync-state reads and writes for the ingestor (tables in `tools.models.knowledge`)."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from knowledge.loaders import LoadedDocument
from knowledge.types import Chunk
from tools.models.knowledge import KnowledgeChunk, KnowledgeDocument


@dataclass
class Prepared:
    """A changed file, loaded, redacted and chunked, waiting to be written."""

    path: Path
    root: Path
    source: str
    file_hash: str
    pipeline: str
    doc: LoadedDocument
    chunks: list[Chunk]
    redactions: dict[str, int] = field(default_factory=dict)
    # filled by `write_intent`
    doc_id: int = 0
    upsert: list[Chunk] = field(default_factory=list)
    remove: list[str] = field(default_factory=list)


def under(path: str, root: Path) -> bool:
    return path == str(root) or path.startswith(str(root) + os.sep)


def fingerprints(session: Session) -> dict[str, tuple[str, str | None, str | None]]:
    """path -> (status, content hash, pipeline hash) of every known document."""
    rows = session.execute(
        select(
            KnowledgeDocument.path,
            KnowledgeDocument.status,
            KnowledgeDocument.content_hash,
            KnowledgeDocument.pipeline,
        )
    )
    return {path: (status, digest, pipeline) for path, status, digest, pipeline in rows}


def write_intent(session: Session, item: Prepared, project: str | None) -> int:
    """Record the document as pending and its new chunks as not yet indexed; returns chunks added."""
    doc = session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.path == str(item.path)))
    if doc is None:
        doc = KnowledgeDocument(path=str(item.path), root=str(item.root), source=item.source)
        session.add(doc)
    loaded = item.doc
    doc.root, doc.source, doc.project_key, doc.format = str(item.root), item.source, project, loaded.format
    doc.size = int(loaded.metadata.get("size", 0))
    doc.title = (loaded.title or "")[:500] or None
    doc.doc_date, doc.period, doc.status, doc.error = loaded.doc_date, loaded.period, "pending", None
    session.flush()
    existing = {
        row.chunk_id: row
        for row in session.scalars(select(KnowledgeChunk).where(KnowledgeChunk.document_id == doc.id))
    }
    added = 0
    item.doc_id, item.upsert = doc.id, []
    for chunk in item.chunks:
        row = existing.get(chunk.id)
        if row is None:
            session.add(
                KnowledgeChunk(chunk_id=chunk.id, document_id=doc.id, ordinal=chunk.ordinal, hash=chunk.hash)
            )
            added += 1
        else:
            row.ordinal = chunk.ordinal
        if row is None or not row.indexed:
            item.upsert.append(chunk)
    new_ids = {c.id for c in item.chunks}
    item.remove = [cid for cid in existing if cid not in new_ids]
    return added


def mark_indexed(session: Session, ids: list[str]) -> None:
    session.execute(update(KnowledgeChunk).where(KnowledgeChunk.chunk_id.in_(ids)).values(indexed=True))


def finalize(session: Session, item: Prepared) -> None:
    """The document is fully in the index: drop removed chunk rows, store the hashes last."""
    if item.remove:
        session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.chunk_id.in_(item.remove)))
    doc = session.get(KnowledgeDocument, item.doc_id)
    if doc is not None:
        doc.content_hash, doc.pipeline, doc.status = item.file_hash, item.pipeline, "indexed"
        doc.redactions, doc.redaction_total = item.redactions, sum(item.redactions.values())
        doc.chunk_count = len(item.chunks)


def mark_error(session: Session, path: Path, reason: str) -> None:
    doc = session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.path == str(path)))
    if doc is not None:
        doc.status, doc.error = "error", reason[:2000]


def documents_under(session: Session, scope: Path) -> list[tuple[int, str]]:
    rows = session.execute(
        select(KnowledgeDocument.id, KnowledgeDocument.path).where(
            KnowledgeDocument.path.startswith(str(scope))
        )
    )
    return [(doc_id, path) for doc_id, path in rows if under(path, scope)]


def chunk_ids(session: Session, doc_id: int) -> list[str]:
    return list(session.scalars(select(KnowledgeChunk.chunk_id).where(KnowledgeChunk.document_id == doc_id)))


def forget(session: Session, doc_id: int) -> None:
    session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.document_id == doc_id))
    session.execute(delete(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))


def reconcile_rows(session: Session, held: set[str]) -> tuple[int, set[str]]:
    """Rows the sink lost go back to "not indexed" (their documents to pending); returns (lost, known ids)."""
    rows = session.execute(
        select(KnowledgeChunk.chunk_id, KnowledgeChunk.indexed, KnowledgeChunk.document_id)
    )
    known: set[str] = set()
    lost: list[str] = []
    lost_docs: set[int] = set()
    for chunk_id, indexed, doc_id in rows:
        known.add(chunk_id)
        if indexed and chunk_id not in held:
            lost.append(chunk_id)
            lost_docs.add(doc_id)
    for start in range(0, len(lost), 500):
        session.execute(
            update(KnowledgeChunk)
            .where(KnowledgeChunk.chunk_id.in_(lost[start : start + 500]))
            .values(indexed=False)
        )
    if lost_docs:
        session.execute(
            update(KnowledgeDocument).where(KnowledgeDocument.id.in_(lost_docs)).values(status="pending")
        )
    return len(lost), known
