"""Incremental, resumable ingest of files into a `ChunkSink` (the retrieval layer's index).

State lives in `tools.models.knowledge`: a document row per file (bytes hash + pipeline hash) and a
chunk row per chunk. Crash safety comes from ordering, not from luck:

1. chunk rows for new chunks are committed (``indexed=False``) *before* the sink sees them;
2. a batch is marked ``indexed`` only after ``sink.upsert`` returned;
3. chunks that went away are deleted from the sink first, then from the state;
4. a document's hashes are written last, so a killed run leaves it "changed" and it is redone.

Upserts are idempotent (ids are content-addressed), so redoing a half-sent batch duplicates
nothing. When the sink can list its ids, `reconcile` also repairs a sink that lost chunks and
drops chunks the state does not know.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol, runtime_checkable

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session, sessionmaker

from knowledge.chunking import chunk_document
from knowledge.errors import LoadError, UnsupportedFile
from knowledge.loaders import DEFAULT_MAX_BYTES, is_supported, load_document
from knowledge.phi import PhiRedactor
from knowledge.types import Chunk, SyncReport, content_hash
from tools.db import session_scope
from tools.errors import NotFound
from tools.models import Project
from tools.models.knowledge import KnowledgeChunk, KnowledgeDocument

# Bump when loaders or chunking change their output, so the next ingest re-chunks every file.
PIPELINE_VERSION = "1"
ProgressHook = Callable[[int, int, str], None]  # (files done, files total, source just handled)


@runtime_checkable
class ChunkSink(Protocol):
    """Where chunks go (the vector + lexical index). `upsert` replaces chunks with the same id."""

    def upsert(self, chunks: Sequence[Chunk]) -> int | None: ...  # may return how many it embedded

    def delete(self, ids: Sequence[str]) -> None: ...  # unknown ids are ignored

    def count(self) -> int: ...


class ListableSink(ChunkSink, Protocol):
    """A sink that can list what it holds; enables `Ingestor.reconcile`."""

    def ids(self) -> set[str]: ...


def is_document_chunk_id(chunk_id: str) -> bool:
    return "#" in chunk_id  # document ids are "{source}#{n}:{hash}"; record ids are record keys


@dataclass
class _Pending:
    """A document whose new chunks wait for the sink; its state is finalized after the flush."""

    doc_id: int
    file_hash: str
    pipeline: str
    upsert: list[Chunk]
    remove: list[str]
    chunk_count: int
    redactions: dict[str, int] = field(default_factory=dict)


def _walk(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in sorted(filenames):
            if not name.startswith((".", "~$")):
                yield Path(dirpath) / name


def _under(path: str, root: Path) -> bool:
    return path == str(root) or path.startswith(str(root) + os.sep)


class Ingestor:
    """Ingests files and folders for one project; see the module docstring for the guarantees."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        sink: ChunkSink,
        redactor: PhiRedactor | None = None,
        max_bytes: int = DEFAULT_MAX_BYTES,
        *,
        batch_size: int = 256,
    ) -> None:
        self.session_factory = session_factory
        self.sink = sink
        self.redactor = redactor if redactor is not None else PhiRedactor()
        self.max_bytes = max_bytes
        self.batch_size = batch_size
        self._pending: list[_Pending] = []
        self._buffered = 0

    # -- public ---------------------------------------------------------------------------------

    def ingest(
        self, paths: Sequence[str | Path], project: str | None = None, progress: ProgressHook | None = None
    ) -> SyncReport:
        """Bring the index in line with `paths` (files or folders, recursive) for `project`."""
        started = time.perf_counter()
        report = SyncReport()
        project_key, private = self._project(project)
        self.reconcile(report)
        files: list[tuple[Path, Path]] = []
        scopes: list[Path] = []  # where a file missing on disk means "deleted"
        for raw in paths:
            path = Path(raw).expanduser().resolve()
            if path.is_dir():
                scopes.append(path)
                for file in _walk(path):
                    if is_supported(file):
                        files.append((file, path))
                    else:
                        report.skipped.append(
                            (str(file), f"unsupported file type '{file.suffix or file.name}'")
                        )
            elif path.is_file():
                files.append((path, path.parent))
            else:
                scopes.append(path)
                if not self._known(path):
                    report.errors.append((str(raw), "no such file or directory"))
        for done, (file, root) in enumerate(files, 1):
            self._ingest_file(file, root, project_key, private, report)
            if self._buffered >= self.batch_size:
                self._flush(report)
            if progress:
                progress(done, len(files), file.relative_to(root).as_posix())
        self._flush(report)
        present = {str(f) for f, _ in files}
        for scope in scopes:
            self._remove_missing(scope, present, report)
        report.seconds = time.perf_counter() - started
        return report

    def reconcile(self, report: SyncReport | None = None) -> int:
        """Repair state vs sink when the sink can list ids; returns the number of fixes made."""
        lister = getattr(self.sink, "ids", None)
        if not callable(lister):
            return 0
        held = {i for i in lister() if is_document_chunk_id(i)}
        fixes = 0
        with session_scope(self.session_factory) as session:
            rows = session.execute(
                select(KnowledgeChunk.chunk_id, KnowledgeChunk.indexed, KnowledgeChunk.document_id)
            )
            known, lost_docs, lost = set(), set(), []
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
                    update(KnowledgeDocument)
                    .where(KnowledgeDocument.id.in_(lost_docs))
                    .values(status="pending")
                )
            fixes += len(lost)
        orphans = sorted(held - known)
        if orphans:
            self.sink.delete(orphans)
            fixes += len(orphans)
            if report is not None:
                report.chunks_removed += len(orphans)
        return fixes

    # -- steps ----------------------------------------------------------------------------------

    def _project(self, key: str | None) -> tuple[str | None, bool]:
        if key is None:
            return None, False
        with self.session_factory() as session:
            project = session.scalar(select(Project).where(Project.key == key.strip().upper()))
            if project is None:
                raise NotFound(
                    f"There is no project {key.strip().upper()}.",
                    hint="Create it with `pmo projects create`.",
                )
            return project.key, bool(project.private)

    def _known(self, path: Path) -> bool:
        with self.session_factory() as session:
            paths = session.scalars(
                select(KnowledgeDocument.path).where(KnowledgeDocument.path.startswith(str(path)))
            )
            return any(_under(p, path) for p in paths)

    def _pipeline(self, project: str | None, private: bool, source: str, root: Path) -> str:
        options = [PIPELINE_VERSION, self.redactor.enabled, project, private, source, str(root)]
        return content_hash(json.dumps(options))

    def _ingest_file(
        self, path: Path, root: Path, project: str | None, private: bool, report: SyncReport
    ) -> None:
        source = path.relative_to(root).as_posix()
        report.files += 1
        pipeline = self._pipeline(project, private, source, root)
        try:
            size = path.stat().st_size
            file_hash = hashlib.sha256(path.read_bytes()).hexdigest() if size <= self.max_bytes else ""
        except OSError as exc:
            report.errors.append((str(path), f"cannot read the file ({exc.strerror or exc})"))
            return
        with self.session_factory() as session:
            doc = session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.path == str(path)))
            if doc is not None and (doc.status, doc.content_hash, doc.pipeline) == (
                "indexed",
                file_hash,
                pipeline,
            ):
                report.unchanged += 1
                return
        try:
            loaded = load_document(path, self.max_bytes)
        except UnsupportedFile as exc:
            report.skipped.append((str(path), exc.reason))
            return
        except LoadError as exc:
            report.errors.append((str(path), exc.reason))
            self._mark_error(path, exc.reason)  # chunks from an earlier good version stay searchable
            return
        redacted, counts = self.redactor.redact_document(loaded)
        chunks = chunk_document(redacted, project=project, source=source, private=private, scope=str(root))
        with session_scope(self.session_factory) as session:
            doc = session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.path == str(path)))
            if doc is None:
                doc = KnowledgeDocument(path=str(path), root=str(root), source=source)
                session.add(doc)
            doc.root, doc.source, doc.project_key, doc.format = str(root), source, project, redacted.format
            doc.size, doc.title, doc.doc_date, doc.period = (
                size,
                (redacted.title or "")[:500] or None,
                redacted.doc_date,
                redacted.period,
            )
            doc.status, doc.error = "pending", None
            session.flush()
            existing = {
                row.chunk_id: row
                for row in session.scalars(select(KnowledgeChunk).where(KnowledgeChunk.document_id == doc.id))
            }
            upsert = []
            for chunk in chunks:
                row = existing.get(chunk.id)
                if row is None:
                    session.add(
                        KnowledgeChunk(
                            chunk_id=chunk.id, document_id=doc.id, ordinal=chunk.ordinal, hash=chunk.hash
                        )
                    )
                    report.chunks_added += 1
                else:
                    row.ordinal = chunk.ordinal
                if row is None or not row.indexed:
                    upsert.append(chunk)
            new_ids = {c.id for c in chunks}
            remove = [cid for cid in existing if cid not in new_ids]
            self._pending.append(_Pending(doc.id, file_hash, pipeline, upsert, remove, len(chunks), counts))
        self._buffered += len(upsert)
        report.redactions += sum(counts.values())
        for kind, n in counts.items():
            report.redactions_by_type[kind] = report.redactions_by_type.get(kind, 0) + n

    def _flush(self, report: SyncReport) -> None:
        pending, self._pending, self._buffered = self._pending, [], 0
        chunks = [c for p in pending for c in p.upsert]
        for start in range(0, len(chunks), self.batch_size):
            batch = chunks[start : start + self.batch_size]
            embedded = self.sink.upsert(batch)
            with session_scope(self.session_factory) as session:
                session.execute(
                    update(KnowledgeChunk)
                    .where(KnowledgeChunk.chunk_id.in_([c.id for c in batch]))
                    .values(indexed=True)
                )
            # a sink may skip chunks whose text it already embedded and say how many it did embed
            report.chunks_embedded += embedded if isinstance(embedded, int) else len(batch)
        for p in pending:
            if p.remove:
                self.sink.delete(p.remove)
                report.chunks_removed += len(p.remove)
            with session_scope(self.session_factory) as session:
                if p.remove:
                    session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.chunk_id.in_(p.remove)))
                doc = session.get(KnowledgeDocument, p.doc_id)
                if doc is not None:
                    doc.content_hash, doc.pipeline, doc.status = p.file_hash, p.pipeline, "indexed"
                    doc.redactions, doc.redaction_total = p.redactions, sum(p.redactions.values())
                    doc.chunk_count = p.chunk_count

    def _mark_error(self, path: Path, reason: str) -> None:
        with session_scope(self.session_factory) as session:
            doc = session.scalar(select(KnowledgeDocument).where(KnowledgeDocument.path == str(path)))
            if doc is not None:
                doc.status, doc.error = "error", reason[:2000]

    def _remove_missing(self, scope: Path, present: set[str], report: SyncReport) -> None:
        """Documents under `scope` that are no longer on disk leave the index and the state."""
        with self.session_factory() as session:
            docs = session.scalars(
                select(KnowledgeDocument).where(KnowledgeDocument.path.startswith(str(scope)))
            ).all()
            gone = [
                d.id
                for d in docs
                if _under(d.path, scope) and d.path not in present and not Path(d.path).exists()
            ]
        for doc_id in gone:
            with session_scope(self.session_factory) as session:
                ids = list(
                    session.scalars(
                        select(KnowledgeChunk.chunk_id).where(KnowledgeChunk.document_id == doc_id)
                    )
                )
                if ids:
                    self.sink.delete(ids)
                session.execute(delete(KnowledgeChunk).where(KnowledgeChunk.document_id == doc_id))
                session.execute(delete(KnowledgeDocument).where(KnowledgeDocument.id == doc_id))
            report.chunks_removed += len(ids)
            report.documents_removed += 1
