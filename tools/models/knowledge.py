"""Sync state of ingested documents and their chunks: what the index holds and from which content.

Written by `knowledge.sync`: a chunk row exists before the chunk is sent to the index (intent) and
is marked `indexed` once the index confirmed it, so an interrupted ingest resumes exactly.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import JSON, Boolean, Date, ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from tools.models.base import Base, Timestamped


class KnowledgeDocument(Timestamped, Base):
    __tablename__ = "knowledge_documents"

    id: Mapped[int] = mapped_column(primary_key=True)
    path: Mapped[str] = mapped_column(String(1000), unique=True, index=True)  # absolute, resolved
    root: Mapped[str] = mapped_column(String(1000), index=True)  # the ingest root `source` is relative to
    source: Mapped[str] = mapped_column(String(1000))  # path relative to root, as cited
    project_key: Mapped[str | None] = mapped_column(String(10), index=True)
    format: Mapped[str | None] = mapped_column(String(16))
    content_hash: Mapped[str | None] = mapped_column(String(64))  # sha256 of the file's bytes
    pipeline: Mapped[str | None] = mapped_column(String(64))  # hash of the options that shaped the chunks
    size: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str | None] = mapped_column(String(500))
    doc_date: Mapped[date | None] = mapped_column(Date)
    period: Mapped[str | None] = mapped_column(String(16))
    status: Mapped[str] = mapped_column(String(16), default="pending", index=True)  # pending, indexed, error
    error: Mapped[str | None] = mapped_column(Text)
    redactions: Mapped[dict] = mapped_column(JSON, default=dict)  # placeholder type -> count
    redaction_total: Mapped[int] = mapped_column(Integer, default=0)
    chunk_count: Mapped[int] = mapped_column(Integer, default=0)

    chunks: Mapped[list[KnowledgeChunk]] = relationship(
        back_populates="document", cascade="all, delete-orphan", passive_deletes=True
    )


class KnowledgeChunk(Base):
    __tablename__ = "knowledge_chunks"

    id: Mapped[int] = mapped_column(primary_key=True)
    chunk_id: Mapped[str] = mapped_column(String(1100), unique=True, index=True)
    document_id: Mapped[int] = mapped_column(
        ForeignKey("knowledge_documents.id", ondelete="CASCADE"), index=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, default=0)
    hash: Mapped[str] = mapped_column(String(64))
    indexed: Mapped[bool] = mapped_column(Boolean, default=False, index=True)

    document: Mapped[KnowledgeDocument] = relationship(back_populates="chunks")


class KnowledgeSentenceVectors(Base):
    """A chunk's sentence vectors, pooled at ingest from the chunk's own encode (`retrieval.sentence_store`).

    One row per chunk in the knowledge index: `rows` float16 vectors of `dim` numbers, in the order of
    `retrieval.sentences.quotables(chunk.text)`, valid while `text_hash` matches what the chunk embeds.
    """

    __tablename__ = "knowledge_sentence_vectors"

    chunk_id: Mapped[str] = mapped_column(String(1100), primary_key=True)
    text_hash: Mapped[str] = mapped_column(String(64))
    rows: Mapped[int] = mapped_column(Integer)
    dim: Mapped[int] = mapped_column(Integer)
    vectors: Mapped[bytes] = mapped_column(LargeBinary)
