"""Where chunks' sentence vectors live between ingest and asking.

Ingest pools a vector per quotable sentence from each chunk's own encode (`Embedder.embed_passages`);
the answerer reads them back for the few chunks it quotes from instead of running the model over their
sentences. Rows are keyed by chunk id and carry a hash of the text the chunk embeds: a row that no
longer matches its chunk is ignored (the answerer then encodes those sentences, as it always could).

`SqlSentenceStore` keeps them in the relational store, so every worker sharing a database (and a
Chroma server) shares them; `MemorySentenceStore` is for an index without a database (tests, tools).
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict
from collections.abc import Iterable
from typing import Protocol

import numpy as np
from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from tools.db import session_scope
from tools.models.knowledge import KnowledgeSentenceVectors

Stored = tuple[str, np.ndarray]  # (text hash, rows x dim float32; an all-zero row means "unknown")
CACHE_CHUNKS = 4096


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


class SentenceStore(Protocol):
    def put(self, items: dict[str, Stored]) -> None: ...
    def get(self, ids: Iterable[str]) -> dict[str, Stored]: ...
    def delete(self, ids: Iterable[str]) -> None: ...


class MemorySentenceStore:
    def __init__(self) -> None:
        self._rows: dict[str, Stored] = {}

    def put(self, items: dict[str, Stored]) -> None:
        self._rows.update(items)

    def get(self, ids: Iterable[str]) -> dict[str, Stored]:
        return {i: self._rows[i] for i in ids if i in self._rows}

    def delete(self, ids: Iterable[str]) -> None:
        for i in ids:
            self._rows.pop(i, None)


class SqlSentenceStore:
    """Rows in `knowledge_sentence_vectors` (float16), with a bounded in-process cache in front."""

    def __init__(self, factory: sessionmaker[Session], cache_chunks: int = CACHE_CHUNKS) -> None:
        self.factory = factory
        self.cache_chunks = cache_chunks
        self._cache: OrderedDict[str, Stored] = OrderedDict()
        self._lock = threading.Lock()

    def put(self, items: dict[str, Stored]) -> None:
        if not items:
            return
        rows = [
            {
                "chunk_id": cid,
                "text_hash": digest,
                "rows": int(vectors.shape[0]),
                "dim": int(vectors.shape[1]) if vectors.ndim == 2 else 0,
                "vectors": np.ascontiguousarray(vectors, dtype=np.float16).tobytes(),
            }
            for cid, (digest, vectors) in items.items()
        ]
        with session_scope(self.factory) as session:
            _upsert(session, rows)
        with self._lock:
            for cid in items:
                self._cache.pop(cid, None)

    def get(self, ids: Iterable[str]) -> dict[str, Stored]:
        wanted = list(dict.fromkeys(ids))
        out: dict[str, Stored] = {}
        with self._lock:
            for cid in wanted:
                if cid in self._cache:
                    self._cache.move_to_end(cid)
                    out[cid] = self._cache[cid]
        missing = [cid for cid in wanted if cid not in out]
        if missing:
            with session_scope(self.factory) as session:
                found = session.execute(
                    select(KnowledgeSentenceVectors).where(KnowledgeSentenceVectors.chunk_id.in_(missing))
                ).scalars()
                for row in found:
                    vectors = np.frombuffer(row.vectors, dtype=np.float16).astype(np.float32)
                    out[row.chunk_id] = (row.text_hash, vectors.reshape(row.rows, row.dim))
            with self._lock:
                for cid in missing:
                    if cid in out:
                        self._cache[cid] = out[cid]
                while len(self._cache) > self.cache_chunks:
                    self._cache.popitem(last=False)
        return out

    def delete(self, ids: Iterable[str]) -> None:
        gone = list(dict.fromkeys(ids))
        if not gone:
            return
        with session_scope(self.factory) as session:
            for start in range(0, len(gone), 500):
                session.execute(
                    delete(KnowledgeSentenceVectors).where(
                        KnowledgeSentenceVectors.chunk_id.in_(gone[start : start + 500])
                    )
                )
        with self._lock:
            for cid in gone:
                self._cache.pop(cid, None)


def _upsert(session: Session, rows: list[dict]) -> None:
    """Insert or replace by chunk id in one statement per batch (two workers may index the same chunk)."""
    dialect = session.get_bind().dialect.name
    table = KnowledgeSentenceVectors.__table__
    if dialect in ("postgresql", "sqlite"):
        if dialect == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        else:
            from sqlalchemy.dialects.sqlite import insert
        for start in range(0, len(rows), 200):
            stmt = insert(table).values(rows[start : start + 200])
            stmt = stmt.on_conflict_do_update(
                index_elements=[table.c.chunk_id],
                set_={c: stmt.excluded[c] for c in ("text_hash", "rows", "dim", "vectors")},
            )
            session.execute(stmt)
        return
    session.execute(delete(table).where(table.c.chunk_id.in_([r["chunk_id"] for r in rows])))
    session.execute(table.insert(), rows)
