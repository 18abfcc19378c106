"""`python -m bench.adapt`: does adapting the encoder to the corpus help? An experiment, not a feature.

Trains a copy of all-MiniLM-L6-v2 on the ingested (PHI-redacted) passages by the inverse cloze task: a
sentence of a passage is the query, the passage without it the positive, the batch's other passages the
negatives. No question is used. Then ingests the corpus again with the adapted copy and prints, for each
question file, the dense-only baseline and the whole system (hybrid search, extractive answer) with the
packaged model and with the adapted one, as `pmo eval retrieval` measures them.
"""

from __future__ import annotations

import os
import random
import re
import tempfile
import time
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import Annotated, Any

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from knowledge.types import Chunk  # noqa: E402
from retrieval.embedder import Embedder, packaged_model_path  # noqa: E402
from retrieval.evaluation import evaluate, ingested_corpus, load_qa, summarize  # noqa: E402

DEFAULT_CORPUS = Path("/work/shared/corpus/cordova-board-reports")
DEFAULT_QA = Path("/work/shared/eval/cordova_dev_qa.jsonl")
QUERY_WORDS = (3, 40)  # a pseudo-query this long: shorter is no question, longer a passage of its own
KEEP_SHARE = 0.1  # of the pairs whose passage keeps its query sentence (the inverse cloze task's usual share)
SCALE = 20.0  # cosine similarities times this are the logits of the in-batch contrastive loss
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")

err = Console(stderr=True)


def inverse_cloze_pairs(chunks: Sequence[Chunk], *, seed: int = 7) -> list[tuple[str, str]]:
    """(a sentence, its passage without that sentence) for every sentence of every passage; some keep it."""
    rng = random.Random(seed)
    pairs = []
    for chunk in chunks:
        head = " > ".join(p for p in (chunk.title, chunk.heading) if p)
        for sentence in (s.strip() for s in _SENTENCE_END.split(chunk.text)):
            if not QUERY_WORDS[0] <= len(sentence.split()) <= QUERY_WORDS[1]:
                continue
            rest = chunk.text if rng.random() < KEEP_SHARE else chunk.text.replace(sentence, " ")
            pairs.append((sentence, f"{head}\n{rest}".strip()))
    return pairs


def adapt(
    pairs: list[tuple[str, str]],
    out: Path,
    *,
    epochs: int = 1,
    lr: float = 2e-5,
    batch: int = 32,
    seed: int = 7,
    base: str | None = None,
) -> Path:
    """Fine-tune the packaged model on `pairs` (in-batch negatives) and save it to `out`."""
    import torch
    from sentence_transformers import SentenceTransformer
    from transformers.utils import logging as hf_logging

    hf_logging.disable_progress_bar()  # loading and saving weights: nothing to report in the figures' output
    torch.manual_seed(seed)
    model = SentenceTransformer(base or packaged_model_path(), device="cpu", local_files_only=True)
    steps = max(1, epochs * (len(pairs) // batch))
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr)
    warmup = max(1, steps // 10)
    schedule = torch.optim.lr_scheduler.LambdaLR(optimizer, lambda s: min(1.0, (s + 1) / warmup))
    rng = random.Random(seed)
    model.train()
    for _ in range(epochs):
        order = pairs[:]
        rng.shuffle(order)
        for start in range(0, max(1, len(order) - batch + 1), batch):
            group = order[start : start + batch]
            queries = _encode(model, [q for q, _ in group])
            passages = _encode(model, [p for _, p in group])
            logits = SCALE * queries @ passages.T
            loss = torch.nn.functional.cross_entropy(logits, torch.arange(len(group)))
            loss.backward()
            optimizer.step()
            schedule.step()
            optimizer.zero_grad()
    model.eval()
    model.save(str(out))
    return out


def _encode(model: Any, texts: list[str]) -> Any:
    import torch

    features = getattr(model, "preprocess", None) or model.tokenize  # (tokenize: before 5.x)
    features = features(texts)
    return torch.nn.functional.normalize(model(features)["sentence_embedding"], dim=-1)


def _figures(index: Any, qa: list[Path], today: date) -> dict[str, tuple[dict, dict]]:
    from retrieval.answer import Answerer
    from retrieval.search import Searcher

    searcher = Searcher(index)
    answerer = Answerer(searcher)
    out = {}
    pooled: tuple[list, list] = ([], [])
    for path in qa:
        ours, dense = evaluate(load_qa(path), searcher, answerer, today=today)
        out[path.stem.removeprefix("cordova_").removesuffix("_qa")] = (summarize(ours), summarize(dense))
        pooled[0].extend(ours)
        pooled[1].extend(dense)
    if len(qa) > 1:
        out["pooled"] = (summarize(pooled[0]), summarize(pooled[1]))
    return out


def main(
    qa: Annotated[list[Path] | None, typer.Option(help="Question files (JSONL); repeat for more.")] = None,
    corpus: Annotated[Path, typer.Option(help="The folder to ingest and adapt to.")] = DEFAULT_CORPUS,
    epochs: Annotated[int, typer.Option(help="Passes over the pairs.")] = 1,
    lr: Annotated[float, typer.Option(help="Learning rate (AdamW, linear warm-up).")] = 2e-5,
    today: Annotated[str, typer.Option(help="The day relative questions resolve against.")] = "2026-11-28",
    keep: Annotated[Path | None, typer.Option(help="Keep the adapted model in this folder.")] = None,
) -> None:
    files = qa or [DEFAULT_QA]
    day = date.fromisoformat(today)
    results: dict[str, dict[str, tuple[dict, dict]]] = {}
    with ingested_corpus(corpus, embedder=Embedder()) as (index, _):
        err.print(f"packaged model: {index.count()} passages; asking {len(files)} question file(s)")
        results["packaged"] = _figures(index, files, day)
        pairs = inverse_cloze_pairs(index.chunks())
    with tempfile.TemporaryDirectory(prefix="pmo-adapted-") as tmp:
        target = keep or Path(tmp) / "model"
        started = time.perf_counter()
        err.print(f"adapting on {len(pairs)} (sentence, passage) pairs, {epochs} epoch(s)...")
        adapt(pairs, target, epochs=epochs, lr=lr)
        err.print(f"adapted in {time.perf_counter() - started:.0f} s")
        with ingested_corpus(corpus, embedder=Embedder(model_path=str(target))) as (index, _):
            results["adapted"] = _figures(index, files, day)
    _print(results)


def _print(results: dict[str, dict[str, tuple[dict, dict]]]) -> None:
    table = Table(title="Encoder adapted to the corpus (inverse cloze) vs the packaged model")
    for name in ("questions", "model", "dense hit@5", "hit@1", "hit@5", "containment", "stale", "don't know"):
        table.add_column(name)
    for model, by_file in results.items():
        for name, (ours, dense) in by_file.items():
            table.add_row(
                name,
                model,
                *(
                    "-" if v is None else f"{v:.3f}"
                    for v in (
                        dense["hit@5"],
                        ours["hit@1"],
                        ours["hit@5"],
                        ours["containment"],
                        ours["stale_rate"],
                        ours["dont_know_accuracy"],
                    )
                ),
            )
    Console(width=120).print(table)


if __name__ == "__main__":
    typer.run(main)
