"""Sentence vectors pooled at ingest from each chunk's own encode, stored, and used by the answerer."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from knowledge.types import Chunk
from retrieval.answer import Answerer
from retrieval.embedder import Embedder
from retrieval.index import KnowledgeIndex, sentence_rows_key
from retrieval.sentence_store import MemorySentenceStore, SqlSentenceStore, text_hash
from retrieval.sentences import SIMILARITY_TOKENS, quotables
from tests.retrieval.conftest import Kb

CAFETERIA = "The hospital cafeteria menu now includes tomato soup and fresh bread on Fridays."
RELEASE = "The quarterly Android platform release shipped with two security fixes."


def test_passage_vectors_equal_plain_embeddings_and_spans_pool_their_own_tokens(embedder: Embedder) -> None:
    text = f"Notes > Week 3\n{CAFETERIA} {RELEASE}"
    a = text.index(CAFETERIA)
    b = text.index(RELEASE)
    vectors, pooled = embedder.embed_passages(
        [text, RELEASE], [[(a, a + len(CAFETERIA)), (b, b + len(RELEASE))], []], max_tokens=SIMILARITY_TOKENS
    )
    assert np.allclose(vectors, embedder.embed([text, RELEASE]), atol=1e-4)
    assert pooled[1].shape == (0, embedder.dimension)
    rows = pooled[0]
    assert np.allclose(np.linalg.norm(rows, axis=1), 1.0, atol=1e-4)
    alone = embedder.embed([CAFETERIA, RELEASE])
    # each span's vector is nearer its own sentence than the other one (a misaligned span would not be);
    # the second borrows context from the first (its tokens attended to it), so its margin is smaller
    assert rows[0] @ alone[0] > rows[0] @ alone[1] + 0.3
    assert rows[1] @ alone[1] > rows[1] @ alone[0]


def test_a_span_past_the_models_window_is_unknown(embedder: Embedder) -> None:
    filler = "word " * 400
    text = f"{filler}{RELEASE}"
    at = text.index(RELEASE)
    _, pooled = embedder.embed_passages([text], [[(0, 20), (at, len(text))]], max_tokens=SIMILARITY_TOKENS)
    assert pooled[0][0].any() and not pooled[0][1].any()


def _chunk(text: str, cid: str = "doc.md#0") -> Chunk:
    return Chunk(id=cid, text=text, source="doc.md", heading="Week 3", hash=text_hash(text))


@pytest.mark.parametrize("store_kind", ["sql", "memory"])
def test_index_keeps_sentence_vectors_in_step_with_its_chunks(
    store_kind: str, embedder: Embedder, session_factory, tmp_path: Path
) -> None:
    store = SqlSentenceStore(session_factory) if store_kind == "sql" else MemorySentenceStore()
    index = KnowledgeIndex(embedder, path=tmp_path / "chroma", sentences=store)
    first = _chunk(f"{CAFETERIA} {RELEASE}")
    index.upsert([first])
    got = index.sentence_vectors([first])[first.id]
    assert got.shape == (len(quotables(first.text)), embedder.dimension) == (2, embedder.dimension)

    changed = _chunk(f"{RELEASE} A third sentence about the budget review.")
    index.upsert([changed])
    assert len(index.sentence_vectors([changed])[changed.id]) == 2
    assert index.sentence_vectors([first]) == {}  # rows no longer match the old text: not used

    if store_kind == "sql":  # a second worker on the same database reads what the first stored
        other = SqlSentenceStore(session_factory)
        digest, rows = other.get([changed.id])[changed.id]
        assert digest == sentence_rows_key(changed.embed_text()) and rows.shape == (2, embedder.dimension)
    index.delete([changed.id])
    assert index.sentences.get([changed.id]) == {}

    # rows keyed by the text alone were made by the earlier sentence splitter: not used either
    index.upsert([changed])
    rows = index.sentences.get([changed.id])[changed.id][1]
    index.sentences.put({changed.id: (text_hash(changed.embed_text()), rows)})
    assert index.sentence_vectors([changed]) == {}


def test_asking_encodes_only_the_question_when_ingest_stored_sentence_vectors(
    kb: Kb, monkeypatch: pytest.MonkeyPatch
) -> None:
    encoded: list[str] = []
    real = kb.index.embedder.embed

    def counting(texts):
        encoded.extend(texts)
        return real(texts)

    monkeypatch.setattr(kb.index.embedder, "embed", counting)
    question = "When is the sepsis alert going live?"
    answer = Answerer(kb.searcher).ask(question)
    assert answer.found, answer
    assert encoded == [question]

    # an index with no stored vectors (built before them) still answers, by encoding the sentences
    monkeypatch.setattr(kb.index, "sentences", MemorySentenceStore())
    encoded.clear()
    fallback = Answerer(kb.searcher).ask(question)
    assert fallback.found and len(encoded) > 1
