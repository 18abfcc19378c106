"""The three measurements, each on a fresh temporary store built the way the product builds one.

Every store is a `Container` over its own SQLite file and embedded Chroma folder, migrated with
`tools.db.upgrade`, so ingest goes through `knowledge.sync.Ingestor` (load, PHI redaction, chunking,
sync state) into `retrieval.index.KnowledgeIndex` with the real embedder. One embedding model is
loaded for the whole run and shared, as a server process shares it; nothing else is reused between
stores, so every chunk of every round is embedded again.
"""

from __future__ import annotations

import json
import statistics
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from api.container import Container
from api.settings import Settings
from bench import corpus
from retrieval.embedder import Embedder
from tools.db import upgrade

DEFAULT_QUESTIONS = Path("/work/shared/eval/cordova_dev_qa.jsonl")
TODAY = date(2026, 4, 15)  # fixed, so relative questions ("this quarter") resolve the same every run
WARM_TEXT = "Warm-up: patient Jane Doe, MRN 12345678, called 555-123-4567 about the sepsis model."

Log = Callable[[str], None]


def open_container(workdir: Path, embedder: Embedder | None) -> Container:
    """A migrated container on a fresh SQLite file and Chroma folder under `workdir`."""
    data = workdir / "data"
    settings = Settings(
        PMO_DATA_DIR=data,
        PMO_DATABASE_URL=f"sqlite:///{(data / 'pmo.db').resolve()}",
        PMO_CHROMA_URL=None,
        PMO_REDACT_PHI=True,
        PMO_SCHEDULER=False,
    )
    upgrade(settings.db_url)
    container = Container(settings, embedder=embedder)
    container.ensure_migrated()
    return container


def warm(container: Container) -> None:
    """Load what a running server has already loaded (model, PHI analyzer, empty index) before timing."""
    container.embedder.embed([WARM_TEXT])
    container.redactor.redact(WARM_TEXT)
    _ = container.ingestor


def raw_encode(embedder: Embedder, texts: list[str]) -> None:
    """The baseline: sentence-transformers' own encode of the same texts, same batch size, one call."""
    embedder.model.encode(
        texts,
        batch_size=embedder.batch_size,
        normalize_embeddings=True,
        convert_to_numpy=True,
        show_progress_bar=False,
    )


@dataclass
class IngestRound:
    """One fresh store: each piece of the corpus ingested and raw-encoded back to back (sums over pieces)."""

    chunks: int = 0
    files: int = 0
    ingest_s: float = 0.0
    ingest_cpu_s: float = 0.0
    raw_s: float = 0.0
    raw_cpu_s: float = 0.0
    reingest_s: list[float] = field(default_factory=list)
    pair_ratios: list[float] = field(default_factory=list)  # raw seconds / ingest seconds, per pair

    @property
    def ingest_rate(self) -> float:
        return self.chunks / self.ingest_s

    @property
    def raw_rate(self) -> float:
        return self.chunks / self.raw_s

    @property
    def ratio(self) -> float:
        return self.raw_s / self.ingest_s  # = ingest chunks/s over raw chunks/s, same chunks

    @property
    def cpu_ratio(self) -> float:
        return self.raw_cpu_s / self.ingest_cpu_s

    @property
    def reingest_share(self) -> float:
        return statistics.median(self.reingest_s) / self.ingest_s


def ingest_rounds(
    source: Path,
    *,
    copies: int,
    pieces: int,
    rounds: int,
    reingests: int,
    embedder: Embedder | None,
    log: Log,
) -> list[IngestRound]:
    """Ingest vs the raw encoder on the same chunks, in many short pairs whose order alternates.

    Each copy of the corpus is split into `pieces` folders. Piece by piece, the folder is ingested
    with its own `Ingestor.ingest` call and its chunk texts are raw-encoded right before or right
    after, so load from other processes on a shared machine hits both sides of a pair alike. Which
    side goes first alternates by piece and by round. The texts a raw-first pair encodes come from
    the same load, redact and chunk steps ingest runs (made before timing); every pair checks that
    ingest embedded exactly the texts the raw encoder encoded. The unchanged re-ingest covers all.
    """
    files = corpus.source_files(source)
    out: list[IngestRound] = []
    for r in range(rounds):
        with tempfile.TemporaryDirectory(prefix="pmo-bench-ingest-") as tmp:
            work = Path(tmp)
            parts: list[Path] = []
            for k in range(copies):
                for j in range(pieces):
                    part = work / "docs" / f"part-{k}-{j}"
                    corpus.write_copy(files[j::pieces], source, part / f"project-{k:02d}", k)
                    parts.append(part)
            container = open_container(work, embedder)
            embedder = container.embedder
            warm(container)
            result = IngestRound()
            for p, part in enumerate(parts):
                expected = _expected_texts(container, part)
                raw_first = (r + p) % 2 == 1
                if raw_first:
                    raw_s, raw_cpu = _timed(lambda t=expected, e=embedder: raw_encode(e, t))
                before = container.index.ids()
                started, cpu = time.perf_counter(), time.process_time()
                report = container.ingestor.ingest([part])
                ingest_s, ingest_cpu = time.perf_counter() - started, time.process_time() - cpu
                texts = [c.embed_text() for c in container.index.chunks() if c.id not in before]
                if report.errors or report.chunks_embedded != len(texts):
                    raise RuntimeError(f"ingest did not index the corpus cleanly: {report}")
                if sorted(expected) != sorted(texts):
                    raise RuntimeError("the raw encoder's texts differ from what ingest embedded")
                if not raw_first:
                    raw_s, raw_cpu = _timed(lambda t=expected, e=embedder: raw_encode(e, t))
                result.chunks += len(texts)
                result.files += report.files
                result.ingest_s += ingest_s
                result.ingest_cpu_s += ingest_cpu
                result.raw_s += raw_s
                result.raw_cpu_s += raw_cpu
                result.pair_ratios.append(raw_s / ingest_s)
            for _ in range(reingests):
                started = time.perf_counter()
                again = container.ingestor.ingest(parts)
                if again.chunks_embedded or again.unchanged != result.files:
                    raise RuntimeError(f"an unchanged re-ingest did work: {again}")
                result.reingest_s.append(time.perf_counter() - started)
            container.close()
            out.append(result)
            log(
                f"  round {r + 1}/{rounds}: {result.chunks} chunks in {len(parts)} pairs, "
                f"ingest {result.ingest_rate:.1f}/s, raw encoder {result.raw_rate:.1f}/s, "
                f"ratio {result.ratio:.3f} (pair median {statistics.median(result.pair_ratios):.3f}, "
                f"CPU time {result.cpu_ratio:.3f}), "
                f"re-ingest {1000 * statistics.median(result.reingest_s):.0f} ms"
            )
    return out


def _expected_texts(container: Container, root: Path) -> list[str]:
    """What ingest will embed for the files under `root`: the same load, redact and chunk steps."""
    from knowledge.chunking import chunk_document
    from knowledge.loaders import load_document

    texts: list[str] = []
    for path in corpus.source_files(root):
        doc, _ = container.redactor.redact_document(load_document(path))
        source = path.relative_to(root).as_posix()
        chunks = chunk_document(doc, project=None, source=source, private=False, scope=str(root))
        texts += [c.embed_text() for c in chunks]
    return texts


def _timed(fn: Callable[[], None]) -> tuple[float, float]:
    started, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - started, time.process_time() - cpu


@dataclass
class Latency:
    chunks: int
    build_s: float
    first_search_s: float
    questions: int
    search_ms: list[float]
    ask_ms: list[float]


def load_questions(path: Path, variants: int) -> list[str]:
    """The dev questions, plus each asked about `variants` of the synthesized projects."""
    base = [json.loads(line)["question"] for line in path.read_text(encoding="utf-8").splitlines() if line]
    return base + [corpus.vary(q, copy) for copy in range(1, variants + 1) for q in base]


def latency(
    source: Path,
    *,
    chunks: int,
    questions: list[str],
    reps: int,
    embedder: Embedder | None,
    log: Log,
) -> tuple[Latency, Embedder]:
    """Build an index of about `chunks` chunks by ingest, then time warm search and ask calls."""
    with tempfile.TemporaryDirectory(prefix="pmo-bench-latency-") as tmp:
        work = Path(tmp)
        estimated = corpus.build(source, work / "docs", min_chunks=chunks)
        container = open_container(work, embedder)
        warm(container)
        log(f"  embedding ~{estimated} chunks through ingest (this is the slow part)...")
        report = container.ingestor.ingest([work / "docs"])
        if report.errors:
            raise RuntimeError(f"ingest failed: {report.errors[:3]}")
        searcher, answerer = container.searcher, container.answerer
        started = time.perf_counter()
        searcher.search(questions[0], today=TODAY)  # builds the BM25 index once, as a server's first query
        first = time.perf_counter() - started
        answerer.ask(questions[0], today=TODAY)
        search_ms: list[float] = []
        ask_ms: list[float] = []
        for _ in range(reps):
            for q in questions:
                t0 = time.perf_counter()
                searcher.search(q, today=TODAY)
                t1 = time.perf_counter()
                answerer.ask(q, today=TODAY)
                t2 = time.perf_counter()
                search_ms.append(1000 * (t1 - t0))
                ask_ms.append(1000 * (t2 - t1))
        result = Latency(container.index.count(), report.seconds, first, len(questions), search_ms, ask_ms)
        embedder = container.embedder
        container.close()
        return result, embedder


def percentile(values: list[float], q: float) -> float:
    return float(np.percentile(np.asarray(values), q))
