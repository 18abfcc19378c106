"""`pmo eval retrieval`: ingest a corpus through the real pipeline, ask every question, score both systems.

Ours (hybrid, date-aware, extractive answer) is measured beside a plain dense-only baseline (the
question's nearest chunks by embedding, the top chunk shown as the answer) over the same index.
"""

from __future__ import annotations

import json
import re
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from knowledge.types import Chunk, SyncReport
from retrieval.answer import Answerer
from retrieval.embedder import Embedder
from retrieval.index import KnowledgeIndex
from retrieval.search import Searcher
from retrieval.sentence_store import SqlSentenceStore

TOP_K = 5
MRR_DEPTH = 10
EVAL_PROJECT = "EVAL"


@dataclass(frozen=True)
class QaItem:
    id: str
    question: str
    answer_spans: list[str]
    category: str = "fact"
    stale_spans: list[str] = field(default_factory=list)
    source: str | None = None

    @property
    def answerable(self) -> bool:
        return bool(self.answer_spans)


@dataclass
class Outcome:
    id: str
    category: str
    rank: int | None = None  # 1-based rank of the first hit holding an answer span
    found: bool = False
    contains: bool = False
    stale: bool | None = None  # for questions with stale spans: the answer quotes outdated text
    answerable: bool = True
    answer: str = ""


def load_qa(path: str | Path) -> list[QaItem]:
    items = []
    for n, line in enumerate(Path(path).read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(
                QaItem(
                    id=str(raw.get("id", n)),
                    question=str(raw["question"]),
                    answer_spans=list(raw.get("answer_spans") or []),
                    category=str(raw.get("category") or "fact"),
                    stale_spans=list(raw.get("stale_spans") or []),
                    source=raw.get("source"),
                )
            )
        except (ValueError, KeyError, TypeError) as exc:
            raise ValueError(f"{path}:{n}: not a question record ({exc})") from exc
    return items


def normalize(text: str) -> str:
    """Case, Markdown emphasis and whitespace don't decide whether a span is there."""
    return re.sub(r"\s+", " ", re.sub(r"[*`]", "", text or "")).strip().lower()


def holds(text: str, spans: list[str]) -> bool:
    norm = normalize(text)
    return any(normalize(s) and normalize(s) in norm for s in spans)


def score_item(item: QaItem, hit_texts: list[str], answer: str, found: bool) -> Outcome:
    rank = next((i + 1 for i, t in enumerate(hit_texts) if holds(t, item.answer_spans)), None)
    out = Outcome(item.id, item.category, rank, found, answerable=item.answerable, answer=answer)
    out.contains = found and item.answerable and holds(answer, item.answer_spans)
    if item.stale_spans:
        out.stale = found and holds(answer, item.stale_spans)
    return out


def summarize(outcomes: list[Outcome]) -> dict[str, Any]:
    """hit@1, hit@5, MRR@10 and containment over answerable questions; stale rate; don't-know accuracy."""
    answerable = [o for o in outcomes if o.answerable]
    unanswerable = [o for o in outcomes if not o.answerable]
    staled = [o for o in outcomes if o.stale is not None]

    def share(values: list[bool]) -> float | None:
        return round(sum(values) / len(values), 3) if values else None

    return {
        "questions": len(outcomes),
        "hit@1": share([o.rank == 1 for o in answerable]),
        "hit@5": share([o.rank is not None and o.rank <= TOP_K for o in answerable]),
        "mrr": round(sum(1 / o.rank for o in answerable if o.rank) / len(answerable), 3)
        if answerable
        else None,
        "containment": share([o.contains for o in answerable]),
        "stale_rate": share([bool(o.stale) for o in staled]),
        "dont_know_accuracy": share([not o.found for o in unanswerable]),
        "answered_when_answerable": share([o.found for o in answerable]),
    }


def by_category(outcomes: list[Outcome]) -> dict[str, dict[str, Any]]:
    cats = sorted({o.category for o in outcomes})
    return {c: summarize([o for o in outcomes if o.category == c]) for c in cats}


@dataclass
class EvalReport:
    ours: list[Outcome]
    baseline: list[Outcome]
    ingest: SyncReport
    chunks: int
    seconds: float
    today: date

    def as_dict(self) -> dict[str, Any]:
        return {
            "today": self.today.isoformat(),
            "chunks": self.chunks,
            "ingest": {
                "files": self.ingest.files,
                "chunks_added": self.ingest.chunks_added,
                "errors": self.ingest.errors,
                "redactions": self.ingest.redactions,
                "seconds": round(self.ingest.seconds, 2),
            },
            "seconds": round(self.seconds, 2),
            "ours": {"overall": summarize(self.ours), "by_category": by_category(self.ours)},
            "dense_baseline": {
                "overall": summarize(self.baseline),
                "by_category": by_category(self.baseline),
            },
            "questions": [
                {**asdict(o), "baseline_rank": b.rank, "baseline_contains": b.contains}
                for o, b in zip(self.ours, self.baseline, strict=True)
            ],
        }


class DenseBaseline:
    """A tutorial RAG: nearest chunks by embedding, no lexical, time or rerank; shows the top chunk."""

    def __init__(self, index: KnowledgeIndex) -> None:
        self.index = index

    def search(self, question: str, k: int) -> list[Chunk]:
        hits = self.index.dense(self.index.embedder.embed_one(question), n=k)
        return [c for c in (self.index.get(h.id) for h in hits) if c is not None]


def evaluate(
    items: list[QaItem], searcher: Searcher, answerer: Answerer, *, today: date
) -> tuple[list[Outcome], list[Outcome]]:
    """(ours, dense baseline) outcomes for every question, over the same index."""
    baseline = DenseBaseline(searcher.index)
    ours, base = [], []
    for item in items:
        hits = searcher.search(item.question, k=MRR_DEPTH, today=today)
        answer = answerer.ask(item.question, today=today)
        ours.append(score_item(item, [h.chunk.text for h in hits], answer.answer, answer.found))
        chunks = baseline.search(item.question, MRR_DEPTH)
        top = chunks[0].text if chunks else ""
        base.append(score_item(item, [c.text for c in chunks], top, bool(chunks)))
    return ours, base


@contextmanager
def ingested_corpus(
    corpus: str | Path,
    *,
    embedder: Embedder | None = None,
    redact: bool = True,
    workdir: str | Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> Iterator[tuple[KnowledgeIndex, SyncReport]]:
    """`corpus` ingested by knowledge's Ingestor into a fresh temporary store (SQLite, embedded Chroma)."""
    from knowledge.phi import PhiRedactor
    from knowledge.sync import Ingestor
    from tools.actor import Actor
    from tools.db import make_engine, make_session_factory, session_scope, upgrade
    from tools.services.projects import create_project

    with tempfile.TemporaryDirectory(prefix="pmo-eval-", dir=workdir) as tmp:
        url = f"sqlite:///{Path(tmp) / 'pmo.db'}"
        upgrade(url)
        engine = make_engine(url)
        try:
            factory = make_session_factory(engine)
            with session_scope(factory) as session:
                create_project(
                    session=session,
                    actor=Actor.system("cli"),
                    data={"key": EVAL_PROJECT, "name": "Evaluation corpus"},
                )
            index = KnowledgeIndex(
                embedder or Embedder(), path=Path(tmp) / "chroma", sentences=SqlSentenceStore(factory)
            )
            ingestor = Ingestor(factory, index, PhiRedactor(enabled=redact))
            yield index, ingestor.ingest([corpus], project=EVAL_PROJECT, progress=progress)
        finally:
            engine.dispose()


def run_retrieval_eval(
    corpus: str | Path,
    qa: str | Path,
    *,
    today: date,
    embedder: Embedder | None = None,
    redact: bool = True,
    workdir: str | Path | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> EvalReport:
    """Ingest `corpus` into a fresh data dir with knowledge's Ingestor (PHI redaction on), then evaluate."""
    started = time.perf_counter()
    items = load_qa(qa)
    with ingested_corpus(corpus, embedder=embedder, redact=redact, workdir=workdir, progress=progress) as (
        index,
        report,
    ):
        searcher = Searcher(index)
        ours, base = evaluate(items, searcher, Answerer(searcher), today=today)
        return EvalReport(ours, base, report, index.count(), time.perf_counter() - started, today)
