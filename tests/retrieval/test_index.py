"""The real index under knowledge's Ingestor: incremental updates reach search; Chroma server selection."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import numpy as np
import pytest

from api.container import Container
from api.settings import Settings
from knowledge.phi import PhiRedactor
from knowledge.sync import Ingestor
from retrieval import index as index_module
from retrieval.index import KnowledgeIndex, make_chroma_client
from retrieval.search import Searcher
from tests.builders import make_project
from tests.fakes import HashingEmbedder

TODAY = date(2026, 11, 25)


def texts(searcher: Searcher, query: str) -> str:
    return " ".join(h.chunk.text for h in searcher.search(query, k=10, today=TODAY))


def test_ingest_change_and_delete_reach_search(session_factory, tmp_path: Path) -> None:
    with session_factory() as session:
        make_project(session, "SEPSIS", "Sepsis")
        session.commit()
    index = KnowledgeIndex(HashingEmbedder(), path=tmp_path / "chroma")
    ingestor = Ingestor(session_factory, index, PhiRedactor(enabled=False))
    searcher = Searcher(index)
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "plan.md").write_text("# Plan\n\n## Budget\n\nThe pelican budget is forty thousand dollars.\n")
    (docs / "risks.md").write_text(
        "# Risks\n\n## Vendor\n\nThe walrus vendor may miss the labeling deadline.\n"
    )

    first = ingestor.ingest([docs], project="SEPSIS")
    assert first.chunks_added >= 2 and index.count() == first.chunks_added
    assert "forty thousand" in texts(searcher, "pelican budget")

    again = ingestor.ingest([docs], project="SEPSIS")
    assert again.unchanged == 2 and again.chunks_embedded == 0 and index.count() == first.chunks_added

    (docs / "plan.md").write_text(
        "# Plan\n\n## Budget\n\nThe pelican budget is now ninety thousand dollars.\n"
    )
    changed = ingestor.ingest([docs], project="SEPSIS")
    assert changed.chunks_embedded >= 1 and changed.unchanged == 1
    found = texts(searcher, "pelican budget")
    assert "ninety thousand" in found and "forty thousand" not in found

    (docs / "risks.md").unlink()
    ingestor.ingest([docs], project="SEPSIS")
    assert "walrus" not in texts(searcher, "walrus vendor deadline")

    # a fresh index object over the same store sees the same chunks (the mirror is rebuilt from Chroma)
    reopened = Searcher(KnowledgeIndex(HashingEmbedder(), path=tmp_path / "chroma"))
    assert "ninety thousand" in texts(reopened, "pelican budget")

    # search scores every chunk against the in-memory vectors: they follow every write, in BM25's order,
    # and equal what Chroma holds (the reopened index loaded them from Chroma)
    for idx in (index, reopened.index):
        matrix, ids = idx.matrix(), idx.lexical().ids
        assert matrix is not None and matrix.shape == (idx.count(), HashingEmbedder.dimension)
        in_chroma = idx._collection.get(ids=ids, include=["embeddings"])
        by_id = dict(zip(in_chroma["ids"], in_chroma["embeddings"], strict=True))
        assert np.allclose(matrix, np.stack([by_id[cid] for cid in ids]), atol=1e-6)


def test_chroma_url_builds_an_http_client(monkeypatch: pytest.MonkeyPatch) -> None:
    import chromadb

    calls: list[dict] = []

    def fake_http_client(**kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs)
        return chromadb.EphemeralClient()

    monkeypatch.setattr(chromadb, "HttpClient", fake_http_client)
    make_chroma_client(url="https://chroma.example.org:9443")
    make_chroma_client(url="http://chroma.internal")
    assert [(c["host"], c["port"], c["ssl"]) for c in calls] == [
        ("chroma.example.org", 9443, True),
        ("chroma.internal", 8000, False),
    ]
    assert index_module.make_chroma_client is make_chroma_client


def test_container_uses_the_chroma_server_when_pmo_chroma_url_is_set(db_url: str, tmp_path: Path) -> None:
    settings = Settings(_env_file=None, PMO_DATABASE_URL=db_url, PMO_DATA_DIR=str(tmp_path / "data"),  # type: ignore[call-arg]
                        PMO_CHROMA_URL="http://127.0.0.1:9")  # fmt: skip
    container = Container(settings, embedder=HashingEmbedder())
    try:
        with pytest.raises(ValueError, match="Chroma server"):
            _ = container.index  # nothing listens there: a clear error, no silent embedded fallback
        assert not (tmp_path / "data" / "chroma").exists()
    finally:
        container.close()
