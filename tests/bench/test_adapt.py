"""The encoder-adaptation experiment's pieces: its training pairs, and that training yields a usable model."""

from __future__ import annotations

import numpy as np

from bench.adapt import QUERY_WORDS, adapt, inverse_cloze_pairs
from knowledge.types import Chunk
from retrieval.embedder import Embedder

PASSAGE = (
    "The PMC voted in two new committers this quarter. Mailing list traffic rose by a third.\n"
    "Releases: cordova-android@15.0.0 shipped.\nOk."
)


def chunk(text: str = PASSAGE, n: int = 0) -> Chunk:
    return Chunk(id=f"r.md#{n}", text=text, source="r.md", title="Report", heading="Community")


def test_every_sentence_of_a_passage_becomes_a_query_and_mostly_leaves_its_passage() -> None:
    chunks = [chunk(PASSAGE, n) for n in range(40)]
    pairs = inverse_cloze_pairs(chunks)
    queries = {q for q, _ in pairs}
    assert queries == {
        "The PMC voted in two new committers this quarter.",
        "Mailing list traffic rose by a third.",
        "Releases: cordova-android@15.0.0 shipped.",
    }  # "Ok." is shorter than a question
    assert all(QUERY_WORDS[0] <= len(q.split()) <= QUERY_WORDS[1] for q in queries)
    assert all(p.startswith("Report > Community\n") for _, p in pairs)
    removed = sum(q not in p for q, p in pairs)
    assert 0.75 * len(pairs) <= removed < len(pairs)  # the inverse cloze task keeps a few
    assert pairs == inverse_cloze_pairs(chunks)  # seeded: the same pairs every run


def test_training_writes_a_model_the_embedder_loads_and_that_moved(tmp_path) -> None:
    pairs = inverse_cloze_pairs([chunk(PASSAGE, n) for n in range(4)])
    out = adapt(pairs, tmp_path / "model", batch=4, lr=1e-4)
    text = ["How many committers joined?"]
    adapted = Embedder(model_path=str(out)).embed(text)
    packaged = Embedder().embed(text)
    assert adapted.shape == packaged.shape
    assert np.isclose(np.linalg.norm(adapted), 1.0, atol=1e-4)
    assert not np.allclose(adapted, packaged, atol=1e-4)
