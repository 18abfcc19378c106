"""`python -m bench`: measure ingest throughput, unchanged re-ingest and search/ask latency; print a table.

Targets (from the performance issue): ingest at least 0.9x the raw encoder's chunks/s, an unchanged
re-ingest at most 3% of the first ingest's time, warm search and ask p95 at most 100 ms at 10k chunks.
"""

from __future__ import annotations

import json
import os
import statistics
import sys
import time
from pathlib import Path
from typing import Annotated, Any

# before anything imports transformers: offline, and no progress bars in the report
os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("HF_HUB_DISABLE_PROGRESS_BARS", "1")
os.environ.setdefault("TRANSFORMERS_VERBOSITY", "error")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

import typer  # noqa: E402
from rich.console import Console  # noqa: E402
from rich.table import Table  # noqa: E402

from bench import corpus, measure  # noqa: E402

INGEST_RATIO = 0.9
REINGEST_SHARE = 0.03
P95_MS = 100.0

err = Console(stderr=True)


def log(message: str) -> None:
    err.print(message, highlight=False)


def main(
    quick: Annotated[
        bool, typer.Option(help="Small and fast: 1 ingest round of 1 corpus copy, 2,000 chunks for latency.")
    ] = False,
    chunks: Annotated[int | None, typer.Option(help="Chunks in the latency index (default 10,000).")] = None,
    rounds: Annotated[int | None, typer.Option(help="Ingest vs raw-encoder rounds (default 3).")] = None,
    copies: Annotated[
        int | None, typer.Option(help="Copies of the corpus ingested per round (default 2, ~1,100 chunks).")
    ] = None,
    pieces: Annotated[
        int, typer.Option(help="Folders each copy is split into: one ingest/raw-encoder pair each.")
    ] = 4,
    reps: Annotated[
        int, typer.Option(help="Passes over the questions (later passes hit the answerer's sentence cache).")
    ] = 1,
    reingests: Annotated[int, typer.Option(help="Unchanged re-ingests per round.")] = 3,
    source: Annotated[Path, typer.Option(help="The corpus to copy and vary.")] = corpus.DEFAULT_CORPUS,
    questions: Annotated[
        Path, typer.Option(help="JSONL with a 'question' per line.")
    ] = measure.DEFAULT_QUESTIONS,
    variants: Annotated[
        int, typer.Option(help="Extra copies of each question, about other synthesized projects.")
    ] = 4,
    as_json: Annotated[bool, typer.Option("--json", help="Print the figures as JSON.")] = False,
) -> None:
    """Benchmark ingest, re-ingest and warm search/ask latency; print each figure with its target."""
    chunks = chunks if chunks is not None else (2000 if quick else 10_000)
    rounds = rounds if rounds is not None else (1 if quick else 3)
    copies = copies if copies is not None else (1 if quick else 2)
    started = time.perf_counter()
    log(f"[bold]Ingest vs raw encoder[/]: {rounds} round(s) of {copies} corpus cop(ies) each")
    ingest = measure.ingest_rounds(
        source, copies=copies, pieces=pieces, rounds=rounds, reingests=reingests, embedder=None, log=log
    )
    asked = measure.load_questions(questions, variants)
    log(f"[bold]Latency[/]: index of ~{chunks} chunks, {len(asked)} questions x {reps} pass(es)")
    lat, _ = measure.latency(source, chunks=chunks, questions=asked, reps=reps, embedder=None, log=log)
    figures = summarize(ingest, lat)
    figures["seconds"] = round(time.perf_counter() - started, 1)
    if as_json:
        typer.echo(json.dumps(figures, indent=2))
    else:
        print_table(figures)


def summarize(rounds: list[measure.IngestRound], lat: measure.Latency) -> dict[str, Any]:
    """Medians across rounds, percentiles across calls, each target figure with PASS or MISS."""
    med = statistics.median
    s50, s95 = measure.percentile(lat.search_ms, 50), measure.percentile(lat.search_ms, 95)
    a50, a95 = measure.percentile(lat.ask_ms, 50), measure.percentile(lat.ask_ms, 95)
    ratio = med(x for r in rounds for x in r.pair_ratios)
    share = med(r.reingest_share for r in rounds)
    targets = {
        "ingest_vs_raw_encoder": (ratio, ">=", INGEST_RATIO, f">= {INGEST_RATIO}x"),
        "reingest_share": (share, "<=", REINGEST_SHARE, f"<= {100 * REINGEST_SHARE:g}%"),
        "search_p95_ms": (s95, "<=", P95_MS, f"<= {P95_MS:g} ms"),
        "ask_p95_ms": (a95, "<=", P95_MS, f"<= {P95_MS:g} ms"),
    }
    return {
        "targets": {
            name: {
                "measured": round(value, 4),
                "target": shown,
                "pass": value >= limit if op == ">=" else value <= limit,
            }
            for name, (value, op, limit, shown) in targets.items()
        },
        "ingest": {
            "rounds": len(rounds),
            "chunks_per_round": rounds[0].chunks,
            "files_per_round": rounds[0].files,
            "ingest_chunks_per_s": round(med(r.ingest_rate for r in rounds), 2),
            "raw_encoder_chunks_per_s": round(med(r.raw_rate for r in rounds), 2),
            "pairs": sum(len(r.pair_ratios) for r in rounds),
            "ratio_per_round": [round(r.ratio, 3) for r in rounds],
            "cpu_time_ratio": round(med(r.cpu_ratio for r in rounds), 3),
            "first_ingest_s": round(med(r.ingest_s for r in rounds), 2),
            "reingest_ms": round(1000 * med(x for r in rounds for x in r.reingest_s), 1),
        },
        "latency": {
            "chunks": lat.chunks,
            "build_ingest_s": round(lat.build_s, 1),
            "build_chunks_per_s": round(lat.chunks / lat.build_s, 2) if lat.build_s else None,
            "first_search_ms": round(1000 * lat.first_search_s, 1),
            "questions": lat.questions,
            "calls": len(lat.search_ms),
            "search_p50_ms": round(s50, 1),
            "search_p95_ms": round(s95, 1),
            "ask_p50_ms": round(a50, 1),
            "ask_p95_ms": round(a95, 1),
        },
    }


def print_table(f: dict[str, Any]) -> None:
    ing, lat, tg = f["ingest"], f["latency"], f["targets"]
    console = Console(width=120)
    table = Table(title="PMO Assistant benchmark (medians; 2-core shared machines are noisy)")
    table.add_column("figure")
    table.add_column("measured", justify="right")
    table.add_column("target", justify="right")
    table.add_column("result")

    def target(name: str, label: str, shown: str) -> None:
        t = tg[name]
        table.add_row(label, shown, t["target"], "[green]PASS[/]" if t["pass"] else "[red]MISS[/]")

    def info(label: str, shown: str) -> None:
        table.add_row(label, shown, "", "")

    n = f"{ing['chunks_per_round']} chunks, {ing['files_per_round']} files"
    info(f"ingest throughput ({n})", f"{ing['ingest_chunks_per_s']:.1f} chunks/s")
    info("raw encoder (same texts, same batch size)", f"{ing['raw_encoder_chunks_per_s']:.1f} chunks/s")
    pairs = f"median of {ing['pairs']} pairs"
    target(
        "ingest_vs_raw_encoder",
        f"ingest / raw encoder ({pairs})",
        f"{tg['ingest_vs_raw_encoder']['measured']:.3f}x",
    )
    info("  per round (total raw s / total ingest s)", ", ".join(f"{x:.3f}" for x in ing["ratio_per_round"]))
    info("  same, in CPU time (raw CPU s / ingest CPU s)", f"{ing['cpu_time_ratio']:.3f}x")
    info("first ingest", f"{ing['first_ingest_s']:.1f} s")
    info("unchanged re-ingest", f"{ing['reingest_ms']:.0f} ms")
    target("reingest_share", "re-ingest / first ingest", f"{100 * tg['reingest_share']['measured']:.2f}%")
    info(f"latency index: chunks (built in {lat['build_ingest_s']:.0f} s)", f"{lat['chunks']}")
    info("first search (builds BM25, not counted)", f"{lat['first_search_ms']:.0f} ms")
    info(f"search p50 ({lat['calls']} calls, {lat['questions']} questions)", f"{lat['search_p50_ms']:.1f} ms")
    target("search_p95_ms", "search p95", f"{lat['search_p95_ms']:.1f} ms")
    info("ask p50", f"{lat['ask_p50_ms']:.1f} ms")
    target("ask_p95_ms", "ask p95", f"{lat['ask_p95_ms']:.1f} ms")
    console.print(table)
    console.print(f"total {f['seconds']:.0f} s; command: {' '.join(['python -m bench', *sys.argv[1:]])}")


if __name__ == "__main__":
    typer.run(main)
