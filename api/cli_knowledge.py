"""`pmo ingest`, `pmo reindex`, `pmo search`, `pmo ask` and `pmo eval retrieval`."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.table import Table

from api.cli_common import (
    AsOption,
    JsonOption,
    PmoGroup,
    cli_actor,
    fail,
    get_container,
    print_json,
    unit_of_work,
)
from knowledge.types import SyncReport
from tools.services.access import search_scope

eval_app = typer.Typer(cls=PmoGroup, help="Measure retrieval and answers on a corpus.", no_args_is_help=True)
ProjectOption = Annotated[str | None, typer.Option("--project", "-p", help="Project key.")]


def register(app: typer.Typer) -> None:
    app.command()(ingest)
    app.command()(reindex)
    app.command()(search)
    app.command()(ask)
    app.add_typer(eval_app, name="eval")


def _progress_hook(enabled: bool):
    """A rich progress bar on a terminal; nothing when output is piped."""
    if not enabled:
        return None, None
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(),
                   console=Console(stderr=True), transient=True)  # fmt: skip
    task = bar.add_task("ingesting", total=None)

    def hook(done: int, total: int, source: str) -> None:
        bar.update(task, completed=done, total=total, description=source[-48:])

    return bar, hook


def summary_dict(report: SyncReport) -> dict[str, Any]:
    return {
        "files": report.files,
        "unchanged": report.unchanged,
        "chunks_added": report.chunks_added,
        "chunks_removed": report.chunks_removed,
        "chunks_embedded": report.chunks_embedded,
        "skipped": [{"path": p, "reason": r} for p, r in report.skipped],
        "errors": [{"path": p, "reason": r} for p, r in report.errors],
        "redactions": report.redactions,
        "redactions_by_type": report.redactions_by_type,
        "seconds": round(report.seconds, 2),
    }


def _print_summary(report: SyncReport) -> None:
    typer.echo(
        f"{report.files} files ({report.unchanged} unchanged), {report.chunks_added} chunks added, "
        f"{report.chunks_removed} removed, {report.chunks_embedded} embedded, {len(report.skipped)} skipped, "
        f"{len(report.errors)} errors, {report.redactions} PHI redactions, {report.seconds:.1f} s"
    )
    for path, reason in report.skipped:
        typer.echo(f"  skipped {path}: {reason}")
    for path, reason in report.errors:
        typer.echo(f"  error   {path}: {reason}", err=True)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Files or folders (recursive).")],
    project: Annotated[str, typer.Option("--project", "-p", help="The project the documents belong to.")],
    as_json: JsonOption = False,
) -> None:
    """Index documents for a project; unchanged files are skipped, changed ones replace their chunks."""
    missing = [str(p) for p in paths if not p.exists()]
    if missing:
        fail(f"No such file or folder: {', '.join(missing)}")
    container = get_container()
    container.ensure_migrated()
    bar, hook = _progress_hook(not as_json and sys.stderr.isatty())
    if bar is not None:
        with bar:
            report = container.ingestor.ingest(paths, project=project, progress=hook)
    else:
        report = container.ingestor.ingest(paths, project=project)
    if as_json:
        print_json(summary_dict(report))
    else:
        _print_summary(report)


def reindex(
    full: Annotated[
        bool, typer.Option("--full", help="Empty the index first and embed everything again.")
    ] = False,
    as_json: JsonOption = False,
) -> None:
    """Bring the index in line with the records and every ingested folder (repairs a lost or stale index)."""
    from sqlalchemy import select

    from tools.models.knowledge import KnowledgeDocument

    container = get_container()
    container.ensure_migrated()
    index = container.index
    if full:
        index.clear()
    with container.session() as session:
        roots = sorted(set(session.execute(select(KnowledgeDocument.root, KnowledgeDocument.project_key))),
                       key=lambda r: (r[0], r[1] or ""))  # fmt: skip
    total = SyncReport()
    for root, project in roots:
        if not Path(root).exists():
            total.skipped.append(
                (root, "folder no longer exists; its chunks stay until it is ingested again")
            )
            continue
        _merge(total, container.ingestor.ingest([root], project=project))
    _merge(total, container.sync_records(None))
    if as_json:
        print_json({**summary_dict(total), "chunks": index.count()})
    else:
        _print_summary(total)
        typer.echo(f"The index holds {index.count()} chunks.")


def _merge(total: SyncReport, part: SyncReport | None) -> None:
    if part is None:
        return
    for name in ("files", "unchanged", "chunks_added", "chunks_removed", "chunks_embedded", "redactions"):
        setattr(total, name, getattr(total, name) + getattr(part, name))
    total.skipped += part.skipped
    total.errors += part.errors
    total.seconds += part.seconds
    for kind, n in part.redactions_by_type.items():
        total.redactions_by_type[kind] = total.redactions_by_type.get(kind, 0) + n


def search(
    query: Annotated[str, typer.Argument(help="What to look for.")],
    project: ProjectOption = None,
    k: Annotated[int, typer.Option("-k", min=1, max=100, help="How many hits.")] = 8,
    as_json: JsonOption = False,
    as_user: AsOption = None,
) -> None:
    """Hybrid search over documents and records (what the assistant quotes from)."""
    container = get_container()
    with unit_of_work() as session:
        projects, scope = search_scope(session, cli_actor(session, as_user), project)
    hits = container.searcher.search(query, projects=projects, k=k, today=container.today(), project=scope)
    if as_json:
        print_json({"hits": [h.as_dict() for h in hits]})
        return
    if not hits:
        typer.echo("Nothing found.")
    for n, hit in enumerate(hits, 1):
        where = " > ".join(p for p in (hit.chunk.source, hit.chunk.heading) if p)
        typer.echo(f"{n}. [{hit.score:.3f}] {where}")
        typer.echo("   " + " ".join(hit.chunk.text.split())[:300])


def ask(
    question: Annotated[str, typer.Argument(help="A question about the projects' documents and records.")],
    project: ProjectOption = None,
    as_json: JsonOption = False,
    as_user: AsOption = None,
) -> None:
    """Answer a question with quotes and citations (or say plainly that nothing relevant was found)."""
    container = get_container()
    with unit_of_work() as session:
        projects, scope = search_scope(session, cli_actor(session, as_user), project)
    answer = container.answerer.ask(
        question, projects=projects, today=container.today(), llm=container.llm, project=scope
    )
    if as_json:
        print_json(answer.as_dict())
        return
    typer.echo(answer.answer)
    for c in answer.citations:
        typer.echo(f"  [{c.source}{' > ' + c.heading if c.heading else ''}]")


@eval_app.command("retrieval")
def eval_retrieval(
    corpus: Annotated[
        Path, typer.Option(help="Folder of documents to ingest.", exists=True, file_okay=False)
    ],
    qa: Annotated[Path, typer.Option(help="JSONL questions with answer_spans.", exists=True, dir_okay=False)],
    today: Annotated[
        str | None, typer.Option(help="Today for relative dates (default: PMO_TODAY or now).")
    ] = None,
    redact: Annotated[
        bool, typer.Option("--redact/--no-redact", help="PHI redaction while ingesting.")
    ] = True,
    as_json: JsonOption = False,
) -> None:
    """Ingest a corpus into a temporary store and report hit@1/@5, MRR, containment, staleness, don't-know."""
    from retrieval.evaluation import run_retrieval_eval

    container = get_container()
    try:
        day = date.fromisoformat(today) if today else container.today()
    except ValueError:
        fail(f"--today {today!r} is not a date (YYYY-MM-DD).")
    try:
        report = run_retrieval_eval(corpus, qa, today=day, embedder=container.embedder, redact=redact)
    except ValueError as exc:
        fail(str(exc))
    data = report.as_dict()
    if as_json:
        typer.echo(json.dumps(data, indent=2, default=str))
        return
    _print_eval(data)


METRICS = ("hit@1", "hit@5", "mrr", "containment", "stale_rate", "dont_know_accuracy")


def _print_eval(data: dict[str, Any]) -> None:
    console = Console(width=140)
    ingest_info = data["ingest"]
    console.print(
        f"Ingested {ingest_info['files']} files into {data['chunks']} chunks in {ingest_info['seconds']} s "
        f"({ingest_info['redactions']} PHI redactions, {len(ingest_info['errors'])} errors); "
        f"today = {data['today']}"
    )
    table = Table(title="Retrieval evaluation: ours vs dense-only baseline")
    table.add_column("category")
    table.add_column("n", justify="right")
    for m in METRICS:
        table.add_column(m, justify="right")
    cats = {"ALL": (data["ours"]["overall"], data["dense_baseline"]["overall"])}
    for c, ours in data["ours"]["by_category"].items():
        cats[c] = (ours, data["dense_baseline"]["by_category"][c])
    for name, (ours, base) in cats.items():
        cells = [_pair(ours.get(m), base.get(m)) for m in METRICS]
        table.add_row(name, str(ours["questions"]), *cells)
    console.print(table)
    console.print("cells: ours / dense baseline; stale_rate: lower is better; '-' = no such questions")


def _pair(ours: float | None, base: float | None) -> str:
    def fmt(v: float | None) -> str:
        return "-" if v is None else f"{v:.2f}"

    return f"{fmt(ours)} / {fmt(base)}"
