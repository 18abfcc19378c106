"""Incremental, resumable ingest of files into a `ChunkSink` (the retrieval layer's index).

State lives in `tools.models.knowledge`: a document row per file (bytes hash + pipeline hash) and a
chunk row per chunk. Crash safety comes from ordering, not from luck:

1. chunk rows for new chunks are committed (``indexed=False``) *before* the sink sees them;
2. a batch is marked ``indexed`` only after ``sink.upsert`` returned;
3. chunks that went away are deleted from the sink first, then from the state;
4. a document's hashes are written last, so a killed run leaves it "changed" and it is redone.

Upserts are idempotent (ids are content-addressed), so redoing a half-sent batch duplicates
nothing. When the sink can list its ids, `reconcile` also repairs a sink that lost chunks and
drops chunks the state does not know. Files are processed in batches of about `batch_size`
chunks so the sink can embed in large batches and the state is written in a few transactions.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Protocol, runtime_checkable

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from knowledge import state
from knowledge.chunking import chunk_document
from knowledge.errors import LoadError, UnsupportedFile
from knowledge.loaders import DEFAULT_MAX_BYTES, is_supported, load_document
from knowledge.phi import PhiRedactor
from knowledge.types import Chunk, SyncReport, content_hash
from tools.db import session_scope
from tools.errors import NotFound
from tools.models import Project

# Bump when loaders or chunking change their output, so the next ingest re-chunks every file.
PIPELINE_VERSION = "2"  # 2: Markdown HTML comments are not content
ProgressHook = Callable[[int, int, str], None]  # (files done, files total, source just handled)


@runtime_checkable
class ChunkSink(Protocol):
    """Where chunks go (the vector + lexical index). `upsert` replaces chunks with the same id."""

    def upsert(self, chunks: Sequence[Chunk]) -> int | None: ...  # may return how many it embedded

    def delete(self, ids: Sequence[str]) -> None: ...  # unknown ids are ignored

    def count(self) -> int: ...

    # optional: `version`, a string that changes when the sink derives other data from the same chunks
    # (the index's sentence splitting); a new one makes the next ingest hand it every file's chunks again


class ListableSink(ChunkSink, Protocol):
    """A sink that can list what it holds; enables `Ingestor.reconcile`."""

    def ids(self) -> set[str]: ...


def is_document_chunk_id(chunk_id: str) -> bool:
    return "#" in chunk_id  # document ids are "{source}#{n}:{hash}"; record ids are record keys


def _walk(root: Path) -> Iterable[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "__")))
        for name in sorted(filenames):
            if not name.startswith((".", "~$")):
                yield Path(dirpath) / name


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

    def ingest(
        self, paths: Sequence[str | Path], project: str | None = None, progress: ProgressHook | None = None
    ) -> SyncReport:
        """Bring the index in line with `paths` (files or folders, recursive) for `project`."""
        started = time.perf_counter()
        report = SyncReport()
        project_key, private = self._project(project)
        self.reconcile(report)
        files, scopes = self._discover(paths, report)
        with self.session_factory() as session:
            known = state.fingerprints(session)
        buffer: list[state.Prepared] = []
        for done, (file, root) in enumerate(files, 1):
            item = self._prepare(file, root, project_key, private, known, report)
            if item is not None:
                buffer.append(item)
            if sum(len(i.chunks) for i in buffer) >= self.batch_size:
                self._write(buffer, project_key, report)
                buffer = []
            if progress:
                progress(done, len(files), file.relative_to(root).as_posix())
        self._write(buffer, project_key, report)
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
        with session_scope(self.session_factory) as session:
            lost, known = state.reconcile_rows(session, held)
        orphans = sorted(held - known)
        if orphans:
            self.sink.delete(orphans)
            if report is not None:
                report.chunks_removed += len(orphans)
        return lost + len(orphans)

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

    def _discover(
        self, paths: Sequence[str | Path], report: SyncReport
    ) -> tuple[list[tuple[Path, Path]], list[Path]]:
        """(file, root) pairs to ingest, and the scopes in which a missing file means "deleted"."""
        files: list[tuple[Path, Path]] = []
        scopes: list[Path] = []
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
                with self.session_factory() as session:
                    if not state.documents_under(session, path):
                        report.errors.append((str(raw), "no such file or directory"))
        return files, scopes

    def _pipeline(self, project: str | None, private: bool, source: str, root: Path) -> str:
        options = [PIPELINE_VERSION, self.redactor.enabled, project, private, source, str(root)]
        sink_version = getattr(self.sink, "version", None)
        if sink_version:  # appended only when set, so a plain sink's documents keep their hashes
            options.append(str(sink_version))
        return content_hash(json.dumps(options))

    def _prepare(
        self, path: Path, root: Path, project: str | None, private: bool, known: dict, report: SyncReport
    ) -> state.Prepared | None:
        """Load, redact and chunk a changed file; None when unchanged or unusable (reported)."""
        source = path.relative_to(root).as_posix()
        report.files += 1
        pipeline = self._pipeline(project, private, source, root)
        try:
            size = path.stat().st_size
            file_hash = hashlib.sha256(path.read_bytes()).hexdigest() if size <= self.max_bytes else ""
        except OSError as exc:
            report.errors.append((str(path), f"cannot read the file ({exc.strerror or exc})"))
            return None
        if known.get(str(path)) == ("indexed", file_hash, pipeline):
            report.unchanged += 1
            return None
        try:
            loaded = load_document(path, self.max_bytes)
        except UnsupportedFile as exc:
            report.skipped.append((str(path), exc.reason))
            return None
        except LoadError as exc:
            report.errors.append((str(path), exc.reason))
            with session_scope(self.session_factory) as session:
                state.mark_error(session, path, exc.reason)  # an earlier good version stays searchable
            return None
        redacted, counts = self.redactor.redact_document(loaded)
        chunks = chunk_document(redacted, project=project, source=source, private=private, scope=str(root))
        report.redactions += sum(counts.values())
        for kind, n in counts.items():
            report.redactions_by_type[kind] = report.redactions_by_type.get(kind, 0) + n
        return state.Prepared(path, root, source, file_hash, pipeline, redacted, chunks, counts)

    def _write(self, items: list[state.Prepared], project: str | None, report: SyncReport) -> None:
        """Intent, then the sink, then the final state (see the module docstring)."""
        if not items:
            return
        with session_scope(self.session_factory) as session:
            for item in items:
                report.chunks_added += state.write_intent(session, item, project)
        chunks = [c for item in items for c in item.upsert]
        for start in range(0, len(chunks), self.batch_size):
            batch = chunks[start : start + self.batch_size]
            embedded = self.sink.upsert(batch)
            with session_scope(self.session_factory) as session:
                state.mark_indexed(session, [c.id for c in batch])
            # a sink may skip chunks whose text it already embedded and say how many it did embed
            report.chunks_embedded += embedded if isinstance(embedded, int) else len(batch)
        for item in items:
            if item.remove:
                self.sink.delete(item.remove)
                report.chunks_removed += len(item.remove)
        with session_scope(self.session_factory) as session:
            for item in items:
                state.finalize(session, item)

    def _remove_missing(self, scope: Path, present: set[str], report: SyncReport) -> None:
        """Documents under `scope` that are no longer on disk leave the index and the state."""
        with self.session_factory() as session:
            docs = state.documents_under(session, scope)
        for doc_id, path in docs:
            if path in present or Path(path).exists():
                continue
            with session_scope(self.session_factory) as session:
                ids = state.chunk_ids(session, doc_id)
                if ids:
                    self.sink.delete(ids)
                state.forget(session, doc_id)
            report.chunks_removed += len(ids)
            report.documents_removed += 1
