"""`pmo eval retrieval` on a tiny corpus, and the scoring rules it applies (spans as the QA file defines)."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from api.cli import app
from api.container import Container
from retrieval.evaluation import QaItem, holds, load_qa, run_retrieval_eval, score_item, summarize
from tests.api.conftest import make_settings
from tests.retrieval.conftest import SEPSIS_DOCS, write_docs

QA = [
    {"id": "a1", "question": "When was the labeling vendor contract signed?", "answer_spans": ["December 14"],
     "category": "fact"},
    {"id": "a2", "question": "What AUROC did the sepsis model reach in Q3 2020?", "answer_spans": ["AUROC of 0.81"],
     "category": "dated"},
    {"id": "a3", "question": "What is the latest go-live date for the sepsis alert?", "answer_spans": ["May 2026"],
     "category": "latest", "stale_spans": ["September 2025"]},
    {"id": "n1", "question": "What is on the cafeteria menu on Friday?", "answer_spans": [], "category": "none"},
]  # fmt: skip


@pytest.fixture
def corpus_and_qa(tmp_path: Path) -> tuple[Path, Path]:
    corpus = write_docs(tmp_path / "corpus", SEPSIS_DOCS)
    qa = tmp_path / "qa.jsonl"
    qa.write_text("\n".join(json.dumps(q) for q in QA) + "\n", encoding="utf-8")
    return corpus, qa


def test_span_matching_ignores_case_emphasis_and_whitespace_only() -> None:
    assert holds("The **AUROC  of\n0.81** was reached", ["auroc of 0.81"])
    assert not holds("The AUROC of 0.86 was reached", ["AUROC of 0.81"])
    assert not holds("anything", [""])


def test_scoring_rank_containment_staleness_and_dont_know() -> None:
    item = QaItem("q", "?", ["May 2026"], "latest", stale_spans=["September 2025"])
    out = score_item(item, ["nothing", "go-live in May 2026"], "quote: September 2025", True)
    assert (out.rank, out.contains, out.stale) == (2, False, True)
    none = QaItem("n", "?", [], "none")
    said_unknown = score_item(none, ["x"], "I couldn't find", False)
    answered = score_item(none, ["x"], "something", True)
    s = summarize([out, said_unknown, answered])
    assert s["hit@1"] == 0.0 and s["hit@5"] == 1.0 and s["mrr"] == 0.5
    assert s["containment"] == 0.0 and s["stale_rate"] == 1.0 and s["dont_know_accuracy"] == 0.5


def test_bad_qa_line_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"question": "ok", "answer_spans": []}\n{"answer_spans": []}\n')
    with pytest.raises(ValueError, match="bad.jsonl:2"):
        load_qa(bad)


def test_eval_on_a_tiny_corpus_beats_nothing_and_reports_both_systems(corpus_and_qa, embedder) -> None:
    corpus, qa = corpus_and_qa
    report = run_retrieval_eval(corpus, qa, today=date(2026, 11, 25), embedder=embedder, redact=False)
    data = report.as_dict()
    assert data["ingest"]["files"] == len(SEPSIS_DOCS) and data["chunks"] >= len(SEPSIS_DOCS)
    ours = data["ours"]["overall"]
    assert ours["questions"] == 4 and ours["hit@5"] == 1.0 and ours["containment"] == 1.0
    assert ours["stale_rate"] == 0.0 and ours["dont_know_accuracy"] == 1.0
    base = data["dense_baseline"]["overall"]
    assert base["dont_know_accuracy"] == 0.0  # the baseline always shows its top chunk
    assert set(data["ours"]["by_category"]) == {"fact", "dated", "latest", "none"}
    assert [q["id"] for q in data["questions"]] == ["a1", "a2", "a3", "n1"]


def test_pmo_eval_retrieval_command(corpus_and_qa, embedder, db_url: str, tmp_path: Path) -> None:
    corpus, qa = corpus_and_qa
    container = Container(make_settings(db_url, tmp_path / "data"), embedder=embedder)
    try:
        args = ["eval", "retrieval", "--corpus", str(corpus), "--qa", str(qa), "--no-redact"]
        result = CliRunner().invoke(app, [*args, "--json"], obj=container)
        assert result.exit_code == 0, (result.stdout, result.exception)
        data = json.loads(result.stdout)
        assert data["today"] == "2026-11-25" and data["ours"]["overall"]["hit@5"] == 1.0
        table = CliRunner().invoke(app, args, obj=container)
        assert table.exit_code == 0 and "hit@5" in table.stdout and "dense" in table.stdout.lower()
        missing = CliRunner().invoke(app, ["eval", "retrieval", "--corpus", str(corpus), "--qa", "nope.jsonl"],
                                     obj=container)  # fmt: skip
        assert missing.exit_code != 0
    finally:
        container.close()


CORDOVA = Path("/work/shared/corpus/cordova-board-reports")
CORDOVA_QA = Path("/work/shared/eval/cordova_dev_qa.jsonl")


@pytest.mark.slow
@pytest.mark.skipif(
    not (CORDOVA.is_dir() and CORDOVA_QA.is_file()), reason="the shared Cordova corpus is absent"
)
def test_cordova_dev_set_stays_ahead_of_the_dense_baseline(embedder) -> None:
    """A regression guard on the real reports (about a minute): ours well ahead of dense-only."""
    data = run_retrieval_eval(CORDOVA, CORDOVA_QA, today=date(2026, 11, 28), embedder=embedder).as_dict()
    ours, base = data["ours"]["overall"], data["dense_baseline"]["overall"]
    assert ours["hit@5"] >= 0.9 and ours["containment"] >= 0.9, ours
    assert ours["stale_rate"] == 0.0 and ours["dont_know_accuracy"] == 1.0, ours
    assert ours["mrr"] > base["mrr"] + 0.2 and ours["containment"] > base["containment"] + 0.3, (ours, base)
