"""The knowledge index: chunks in Chroma (vectors we compute ourselves) plus a bm25s lexical index."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import numpy as np

from knowledge.types import Chunk
from retrieval.embedder import ChromaEmbeddingFunction, Embedder
from retrieval.lexical import LexicalIndex
from retrieval.sentence_store import MemorySentenceStore, SentenceStore, Stored, text_hash
from retrieval.sentences import SIMILARITY_TOKENS, SPLIT_VERSION, quotables

COLLECTION = "pmo_knowledge"
_BATCH = 1000  # well under Chroma's max batch size


def date_to_int(value: date | None) -> int:
    return value.year * 10000 + value.month * 100 + value.day if value else 0


def int_to_date(value: int | None) -> date | None:
    if not value:
        return None
    try:
        return date(value // 10000, value // 100 % 100, value % 100)
    except ValueError:
        return None


def chunk_metadata(chunk: Chunk) -> dict[str, Any]:
    """Chroma metadata (no None values allowed there): '' / 0 stand for unset."""
    return {
        "project": chunk.project or "",
        "kind": chunk.kind,
        "source": chunk.source,
        "title": chunk.title or "",
        "heading": chunk.heading or "",
        "doc_date": date_to_int(chunk.doc_date),
        "private": bool(chunk.private),
        "hash": chunk.hash,
        "ordinal": int(chunk.ordinal),
        "extra": json.dumps(chunk.metadata, default=str) if chunk.metadata else "",
    }


def chunk_from_stored(chunk_id: str, text: str, meta: dict[str, Any]) -> Chunk:
    extra = meta.get("extra") or ""
    return Chunk(
        id=chunk_id,
        text=text or "",
        source=str(meta.get("source", "")),
        kind=str(meta.get("kind", "document")),
        project=meta.get("project") or None,
        title=meta.get("title") or None,
        heading=meta.get("heading") or None,
        doc_date=int_to_date(meta.get("doc_date")),
        ordinal=int(meta.get("ordinal") or 0),
        hash=str(meta.get("hash", "")),
        private=bool(meta.get("private", False)),
        metadata=json.loads(extra) if extra else {},
    )


def make_chroma_client(*, path: Path | str | None = None, url: str | None = None) -> Any:
    """A Chroma server client when a URL is given, else the embedded store under `path`."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    settings = ChromaSettings(anonymized_telemetry=False)
    if url:
        parsed = urlparse(url)
        return chromadb.HttpClient(
            host=parsed.hostname or "localhost",
            port=parsed.port or (443 if parsed.scheme == "https" else 8000),
            ssl=parsed.scheme == "https",
            settings=settings,
        )
    if path is None:
        return chromadb.EphemeralClient(settings=settings)
    Path(path).mkdir(parents=True, exist_ok=True)
    return chromadb.PersistentClient(path=str(path), settings=settings)


@dataclass(frozen=True)
class DenseHit:
    id: str
    similarity: float  # cosine similarity, -1..1


class KnowledgeIndex:
    """Implements knowledge's ChunkSink (upsert/delete/count/ids) and the two retrieval primitives."""

    def __init__(
        self,
        embedder: Embedder,
        *,
        path: Path | str | None = None,
        url: str | None = None,
        client: Any = None,
        collection: str = COLLECTION,
        sentences: SentenceStore | None = None,
    ) -> None:
        self.embedder = embedder
        self.sentences: SentenceStore = sentences if sentences is not None else MemorySentenceStore()
        self._client = client if client is not None else make_chroma_client(path=path, url=url)
        self._collection = self._client.get_or_create_collection(
            name=collection,
            embedding_function=ChromaEmbeddingFunction(embedder),
            metadata={"hnsw:space": "cosine"},
        )
        self._lock = threading.RLock()
        self._chunks: dict[str, Chunk] = {}
        self._vectors: dict[str, np.ndarray] = {}  # every chunk's vector, as Chroma holds it
        self._matrix: np.ndarray | None = None  # the vectors in the lexical index's order
        self._lexical = LexicalIndex()
        self.embedded_total = 0  # chunks embedded by this instance (the bench and sync reports read it)
        self._load_mirror()

    # -- ChunkSink -------------------------------------------------------------------------------
    @property
    def version(self) -> str:
        """Changes when the index derives other data from the same chunks (see `knowledge.sync`)."""
        return f"sentences-{SPLIT_VERSION}"

    def upsert(self, chunks: Sequence[Chunk]) -> int:
        """Store chunks; only those new or changed (by hash) are embedded, and those whose sentence vectors
        are missing or were made by another sentence splitter. Returns how many were embedded."""
        latest: dict[str, Chunk] = {c.id: c for c in chunks}
        with self._lock:
            fresh = [c for c in latest.values() if not self._same_text(c)]
            same = [c for c in latest.values() if self._same_text(c)]
            if same and hasattr(self.embedder, "embed_passages"):
                valid = self.sentence_vectors(same)
                fresh += [c for c in same if c.id not in valid]
                same = [c for c in same if c.id in valid]
            moved = [c for c in same if self._chunks[c.id] != c]
            if moved:  # same words, new facts about them (title, date, project): no re-embedding
                self._collection.update(
                    ids=[c.id for c in moved], metadatas=[chunk_metadata(c) for c in moved]
                )
                for c in moved:
                    self._chunks[c.id] = chunk_from_stored(c.id, c.text, chunk_metadata(c))
                self._lexical.mark_dirty()
            for start in range(0, len(fresh), _BATCH):
                batch = fresh[start : start + _BATCH]
                vectors = self._embed(batch)
                self._collection.upsert(
                    ids=[c.id for c in batch],
                    embeddings=vectors,
                    documents=[c.text for c in batch],
                    metadatas=[chunk_metadata(c) for c in batch],
                )
                for c, vec in zip(batch, vectors, strict=True):
                    self._chunks[c.id] = chunk_from_stored(c.id, c.text, chunk_metadata(c))
                    self._vectors[c.id] = np.asarray(vec, dtype=np.float32)
                self._lexical.mark_dirty()
            self.embedded_total += len(fresh)
            return len(fresh)

    def delete(self, ids: Iterable[str]) -> int:
        with self._lock:
            gone = [i for i in dict.fromkeys(ids) if i in self._chunks]
            for start in range(0, len(gone), _BATCH):
                self._collection.delete(ids=gone[start : start + _BATCH])
            self.sentences.delete(gone)
            for i in gone:
                del self._chunks[i]
                self._vectors.pop(i, None)
            if gone:
                self._lexical.mark_dirty()
            return len(gone)

    def count(self) -> int:
        return len(self._chunks)

    def ids(self) -> set[str]:
        return set(self._chunks)

    def clear(self) -> None:
        self.delete(list(self._chunks))

    # -- reads -----------------------------------------------------------------------------------
    def get(self, chunk_id: str) -> Chunk | None:
        return self._chunks.get(chunk_id)

    def chunks(self) -> list[Chunk]:
        return list(self._chunks.values())

    def dense(self, vector: np.ndarray, *, n: int, where: dict[str, Any] | None = None) -> list[DenseHit]:
        """Nearest chunks by cosine similarity, filtered by a Chroma `where` clause."""
        total = self.count()
        if total == 0 or n <= 0:
            return []
        result = self._collection.query(
            query_embeddings=[vector], n_results=min(n, total), where=where or None, include=["distances"]
        )
        ids = result["ids"][0] if result["ids"] else []
        dists = result["distances"][0] if result.get("distances") else []
        return [DenseHit(i, 1.0 - float(d)) for i, d in zip(ids, dists, strict=False) if i in self._chunks]

    def sentence_vectors(self, chunks: Sequence[Chunk]) -> dict[str, np.ndarray]:
        """Each chunk's sentence vectors from ingest (in `quotables(chunk.text)` order), if still valid."""
        stored = self.sentences.get([c.id for c in chunks])
        out: dict[str, np.ndarray] = {}
        for c in chunks:
            got = stored.get(c.id)
            if got is not None and got[0] == sentence_rows_key(c.embed_text()):
                out[c.id] = got[1]
        return out

    def stored_embeddings(self, ids: list[str]) -> dict[str, np.ndarray]:
        known = {cid: self._vectors[cid] for cid in ids if cid in self._vectors}
        if len(known) == len(set(ids)):
            return known
        got = self._collection.get(ids=ids, include=["embeddings"])
        vectors = got.get("embeddings")
        if vectors is None:
            return {}
        return {cid: np.asarray(v, dtype=np.float32) for cid, v in zip(got["ids"], vectors, strict=False)}

    def lexical(self) -> LexicalIndex:
        """The BM25 index over the current chunks, rebuilt here if writes made it stale."""
        with self._lock:
            if self._lexical.dirty:
                self._lexical.build(list(self._chunks.values()))
                ids = self._lexical.ids
                have = all(cid in self._vectors for cid in ids)
                self._matrix = np.stack([self._vectors[cid] for cid in ids]) if ids and have else None
            return self._lexical

    def matrix(self) -> np.ndarray | None:
        """Every chunk's vector, in `lexical().ids` order (None if some are unknown here).

        Why: search scores the question against all chunks exactly, with the permission, kind and date
        masks it already has as arrays; at 10,000 chunks that is one ~2 ms product, against ~12 ms per
        filtered Chroma query and two or three of them per search. Chroma stays the store of record.
        """
        self.lexical()
        return self._matrix

    # -- internals -------------------------------------------------------------------------------
    def _embed(self, batch: list[Chunk]) -> np.ndarray:
        """The chunks' vectors; with a model that can, their sentences' vectors too, stored before Chroma's
        write so a chunk the index holds never lacks them for long (a crash in between re-embeds it)."""
        texts = [c.embed_text() for c in batch]
        passages = getattr(self.embedder, "embed_passages", None)
        if passages is None:
            return self.embedder.embed(texts)
        spans = []
        for c, text in zip(batch, texts, strict=True):
            at = len(text) - len(c.text)
            spans.append([(at + q.start, at + q.end) for q in quotables(c.text)])
        vectors, pooled = passages(texts, spans, max_tokens=SIMILARITY_TOKENS)
        rows: dict[str, Stored] = {
            c.id: (sentence_rows_key(text), p) for c, text, p in zip(batch, texts, pooled, strict=True)
        }
        self.sentences.put(rows)
        return vectors

    def _same_text(self, chunk: Chunk) -> bool:
        stored = self._chunks.get(chunk.id)
        return (
            stored is not None
            and bool(chunk.hash)
            and stored.hash == chunk.hash
            and stored.embed_text() == chunk.embed_text()
        )

    def _load_mirror(self) -> None:
        """Read what Chroma already holds (a restart, or another worker's writes) into memory."""
        offset, page = 0, 5000
        while True:
            got = self._collection.get(
                include=["documents", "metadatas", "embeddings"], limit=page, offset=offset
            )
            ids = got.get("ids") or []
            vectors = got.get("embeddings")
            vectors = [None] * len(ids) if vectors is None else vectors
            for cid, doc, meta, vec in zip(
                ids, got.get("documents") or [], got.get("metadatas") or [], vectors, strict=False
            ):
                self._chunks[cid] = chunk_from_stored(cid, doc, meta or {})
                if vec is not None:
                    self._vectors[cid] = np.asarray(vec, dtype=np.float32)
            if len(ids) < page:
                break
            offset += page
        self._lexical.mark_dirty()

    def refresh(self) -> None:
        """Reload from Chroma (when several workers share a Chroma server)."""
        with self._lock:
            self._chunks.clear()
            self._vectors.clear()
            self._load_mirror()


def sentence_rows_key(text: str) -> str:
    """What a chunk's sentence rows are checked against: its text, and how it was split into sentences."""
    return text_hash(f"{SPLIT_VERSION}\n{text}")
