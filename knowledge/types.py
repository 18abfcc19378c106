"""The shapes that flow from ingestion to the index: documents, chunks, and what a sync did."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from datetime import date

# kind of a chunk's source: an ingested file, or one of the PMO's records
KINDS = ("document", "risk", "change_request", "milestone", "status_update", "project")


def content_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class Chunk:
    """One retrievable passage, already PHI-redacted, with what is needed to filter and cite it."""

    id: str  # stable: f"{source}#{ordinal}:{hash[:12]}" for documents, record key for records
    text: str  # the redacted passage as stored and shown
    source: str  # file path relative to the ingest root, or a record key such as SEPSIS-R3
    kind: str = "document"
    project: str | None = None  # project key; None = portfolio-wide public document
    title: str | None = None  # document title or record title
    heading: str | None = None  # heading path, e.g. "Project Activity > Releases"
    doc_date: date | None = None  # the document's own date (report month, record update)
    ordinal: int = 0
    hash: str = ""
    private: bool = False  # belongs to a private project: only its members may retrieve it
    metadata: dict = field(default_factory=dict)

    def embed_text(self) -> str:
        """What the encoder sees: the heading path gives a passage its context."""
        prefix = " > ".join(p for p in (self.title, self.heading) if p)
        return f"{prefix}\n{self.text}" if prefix else self.text


@dataclass
class SyncReport:
    """What one ingest or reindex did; printed by the CLI and returned by the API."""

    files: int = 0
    unchanged: int = 0
    chunks_added: int = 0
    chunks_removed: int = 0
    chunks_embedded: int = 0
    documents_removed: int = 0  # files gone from disk whose chunks left the index
    records: int = 0  # record chunks (risks, change requests, ...) written by a record sync
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    errors: list[tuple[str, str]] = field(default_factory=list)  # (path, reason)
    redactions: int = 0
    redactions_by_type: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0
