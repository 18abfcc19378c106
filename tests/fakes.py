"""Test doubles shared across test packages (only for what cannot run for real in a unit test)."""

from __future__ import annotations

import hashlib

import numpy as np


class HashingEmbedder:
    """Deterministic bag-of-words vectors, for tests about plumbing rather than ranking quality: no model
    to load. The real model is exercised in tests/retrieval."""

    dimension = 128

    def embed(self, texts):  # type: ignore[no-untyped-def]
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in text.lower().split():
                bucket = int(hashlib.md5(word.strip(".,:;?!").encode()).hexdigest(), 16) % self.dimension
                out[row, bucket] += 1
            norm = np.linalg.norm(out[row])
            out[row] = out[row] / norm if norm else out[row]
        return out

    def embed_one(self, text):  # type: ignore[no-untyped-def]
        return self.embed([text])[0]
