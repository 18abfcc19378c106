"""An in-memory ChunkSink: the retrieval layer's index stand-in for ingest tests."""

from __future__ import annotations

from collections.abc import Sequence

from knowledge.types import Chunk


class Killed(Exception):
    """Stands for the process dying in the middle of writing to the index."""


class MemorySink:
    def __init__(self, *, listable: bool = True, die_after: int | None = None) -> None:
        self.chunks: dict[str, Chunk] = {}
        self.upserted: list[str] = []  # every id ever sent, in order (re-sends show up twice)
        self.deleted: list[str] = []
        self.die_after = die_after  # accept this many more chunks, then die mid-batch
        if not listable:
            self.ids = None  # type: ignore[assignment]

    def upsert(self, chunks: Sequence[Chunk]) -> None:
        for chunk in chunks:
            if self.die_after is not None:
                if self.die_after == 0:
                    raise Killed("killed while writing to the index")
                self.die_after -= 1
            self.chunks[chunk.id] = chunk
            self.upserted.append(chunk.id)

    def delete(self, ids: Sequence[str]) -> None:
        for chunk_id in ids:
            self.chunks.pop(chunk_id, None)
            self.deleted.append(chunk_id)

    def count(self) -> int:
        return len(self.chunks)

    def ids(self) -> set[str]:
        return set(self.chunks)
