"""Hybrid search with the real model: exact terms, permissions and project scope, time awareness."""

from __future__ import annotations

from datetime import date

import pytest

from knowledge.types import Chunk
from retrieval.evaluation import DenseBaseline
from retrieval.search import Hit, Searcher, period_share, term_coverage
from retrieval.timeparse import parse_time
from tests.retrieval.conftest import TODAY_ISO

TODAY = date.fromisoformat(TODAY_ISO)
PUBLIC = {"SEPSIS"}


def sources(hits) -> list[str]:  # type: ignore[no-untyped-def]
    return [h.chunk.source.rsplit("/", 1)[-1] for h in hits]


def test_exact_code_found_by_hybrid_but_not_by_dense_alone(kb) -> None:
    query = "What is the status of ticket QX-7731?"
    dense = DenseBaseline(kb.index).search(query, k=1)
    # the embedding alone prefers the passage that talks about tickets in general
    assert "QX-7731" not in dense[0].text
    hits = kb.searcher.search(query, projects=PUBLIC, k=3, today=TODAY)
    assert "QX-7731" in hits[0].chunk.text
    assert hits[0].coverage > hits[1].coverage


def test_bm25_brings_in_candidates_the_dense_pool_lacks(kb, monkeypatch: pytest.MonkeyPatch) -> None:
    import retrieval.search as search_module

    query = "What is the status of ticket QX-7731?"
    assert "QX-7731" not in DenseBaseline(kb.index).search(query, k=1)[0].text
    monkeypatch.setattr(search_module, "POOL", 1)  # each retriever contributes its single best chunk
    hits = kb.searcher.search(query, projects=PUBLIC, k=3, today=TODAY)
    assert "QX-7731" in hits[0].chunk.text


def test_private_project_chunks_never_reach_people_who_cannot_see_it(kb) -> None:
    for query in ("Zebra vendor contract exclusivity penalty", "two million dollars"):
        hidden = kb.searcher.search(query, projects=PUBLIC, k=20, today=TODAY)
        assert hidden and all(h.chunk.project != "PRIV" for h in hidden)
        assert not any("Zebra" in h.chunk.text for h in hidden)
        answer = kb.answerer.ask(query, projects=PUBLIC, today=TODAY)
        assert "Zebra" not in answer.answer and "two million" not in answer.answer
        assert all("contract.md" not in c.source for c in answer.citations)
    seen = kb.searcher.search("Zebra vendor contract exclusivity penalty", projects={"SEPSIS", "PRIV"}, k=3,
                              today=TODAY)  # fmt: skip
    assert seen[0].chunk.project == "PRIV"


def test_nobody_visible_means_no_hits(kb) -> None:
    assert kb.searcher.search("sepsis go-live date", projects=set(), k=5, today=TODAY) == []


def test_project_scope_keeps_to_that_project(kb) -> None:
    hits = kb.searcher.search("vendor contract", projects=None, k=10, today=TODAY, project="SEPSIS")
    assert hits and {h.chunk.project for h in hits} == {"SEPSIS"}
    hits = kb.searcher.search("vendor contract", projects=None, k=10, today=TODAY, project="PRIV")
    assert hits and {h.chunk.project for h in hits} == {"PRIV"}


def test_hits_carry_the_contract_fields(kb) -> None:
    hit = kb.searcher.search("AUROC validation cohort", projects=PUBLIC, k=1, today=TODAY)[0]
    d = hit.as_dict()
    assert {"source", "project", "kind", "text", "score"} <= set(d)
    assert d["project"] == "SEPSIS" and d["kind"] == "document" and "AUROC" in d["text"]


def test_current_and_latest_prefer_the_newest_report(kb) -> None:
    for query in ("What is the current go-live date?", "latest go-live date for the sepsis alert"):
        hits = kb.searcher.search(query, projects=PUBLIC, k=3, today=TODAY)
        assert sources(hits)[0] == "2026-03.md", sources(hits)
        answer = kb.answerer.ask(query, projects=PUBLIC, today=TODAY)
        assert answer.found and "May 2026" in answer.answer and "September 2025" not in answer.answer


def test_without_time_words_both_reports_compete(kb) -> None:
    hits = kb.searcher.search("go-live date for the sepsis alert", projects=PUBLIC, k=5, today=TODAY)
    assert {"2025-06.md", "2026-03.md"} <= set(sources(hits))


def test_named_month_restricts_to_that_period(kb) -> None:
    hits = kb.searcher.search("What happened with the vendor in December 2012?", projects=PUBLIC, k=3,
                              today=TODAY)  # fmt: skip
    assert sources(hits)[0] == "2012-12.md"
    assert hits[0].in_period and not any(h.in_period for h in hits if h.chunk.doc_date.year > 2013)


def test_quarter_picks_that_quarter_over_a_later_better_match(kb) -> None:
    question = "What AUROC did the sepsis model reach in Q3 2020?"
    assert sources(kb.searcher.search(question, projects=PUBLIC, k=2, today=TODAY))[0] == "2020-08.md"
    answer = kb.answerer.ask(question, projects=PUBLIC, today=TODAY)
    assert answer.found and "0.81" in answer.answer and "0.86" not in answer.answer
    later = kb.answerer.ask(
        "What AUROC did the sepsis model reach in early 2021?", projects=PUBLIC, today=TODAY
    )
    assert "0.86" in later.answer and "0.81" not in later.answer


def test_time_parsing() -> None:
    today = date(2026, 11, 25)
    q3 = parse_time("What changed in Q3 2020?", today)
    assert (q3.start, q3.end, q3.recency) == (date(2020, 7, 1), date(2020, 9, 30), False)
    dec = parse_time("in December 2012", today)
    assert (dec.start, dec.end) == (date(2012, 12, 1), date(2012, 12, 31))
    assert parse_time("what is the latest status?", today).recency
    assert parse_time("Are we shipping with the new tool yet?", today).recency
    assert parse_time("Is the status dashboard still green?", today).recency
    assert parse_time("Which plugins has the team worked on lately?", today).recency
    # "still"/"yet" after a past tense speak of then: "while the team was still waiting for git hosting"
    assert not parse_time("While the team was still waiting for hosting, what did it do?", today).recency
    # after any past verb too; but a present ("is ... still") or present perfect ("have ... yet") asks now
    assert not parse_time("After the move, what happened to users who still used the old ids?", today).recency
    assert not parse_time("Did they ship it yet?", today).recency
    assert parse_time("Have the committers received the phones yet?", today).recency
    assert parse_time("Which plugins are still maintained?", today).recency
    assert parse_time(
        "Is the dashboard, hosted on GitHub, still green?", today
    ).recency  # "is" sets the tense
    # "now that" gives a reason; "now" alone asks about the present
    assert not parse_time("Why retire add-ons now that the web engines do the job?", today).recency
    assert parse_time("Who maintains the iOS platform now?", today).recency
    this_q = parse_time("how is traffic this quarter?", today)
    assert this_q.recency and this_q.start == date(2026, 10, 1)
    assert not parse_time("who is the vendor?", today).has_period
    assert "2020" not in q3.topic
    for text in ("paused in mid-2017?", "paused in mid 2017?", "paused in the middle of 2017?"):
        mid = parse_time(text, today)
        # April to July: the year's middle as its mid-year (June) report covers it, which is the report
        # people mean by "mid-2017"; "end of 2017" is the December report's
        assert (mid.start, mid.end) == (date(2017, 4, 1), date(2017, 7, 31)), text
        assert "mid" not in mid.topic and "2017" not in mid.topic, text
    june, september = (period_share(date(2017, m, 1), mid.start, mid.end) for m in (6, 9))
    assert june > september


def test_naming_another_version_of_the_product_counts_against_a_passage() -> None:
    idf = {"android": 1.0, "ship": 1.0, "cordova-android@16": 3.0, "cordova-android@15": 3.0}
    asked = ["android", "ship", "cordova-android@16"]
    other = term_coverage(asked, ["android", "ship", "cordova-android@15"], idf)
    silent = term_coverage(asked, ["android", "ship"], idf)
    exact = term_coverage(asked, ["android", "ship", "cordova-android@16"], idf)
    assert exact == 1.0 and other < silent < exact


def test_a_version_number_that_is_another_products_does_not_cover_the_one_asked() -> None:
    """ "cordova-android 6.0.0": a release list's "cordova-plugin-camera@6.0.0" shares only the number."""
    idf = dict.fromkeys(["android", "support", "6.0.0", "cordova-android@6"], 1.0)
    asked = ["android", "support", "6.0.0", "cordova-android@6"]
    anothers = ["android", "cordova-plugin-camera@6.0.0", "cordova-plugin-camera@6", "6.0.0"]
    prose = ["android", "support", "6.0.0", "cli@6.4.0", "cli@6"]  # "release (6.0.0) ... CLI 6.4.0"
    named = ["android", "cordova-android@6.0.0", "cordova-android@6", "6.0.0"]
    assert term_coverage(asked, anothers, idf) == 0.5 * 0.5  # two of four terms, halved
    assert term_coverage(asked, prose, idf) == 0.75
    assert term_coverage(asked, named, idf) == 0.75


def test_of_two_near_copies_latest_questions_keep_the_newer() -> None:
    """Quarterly reports repeat a template with new figures; ranked below an older copy, the newer one was
    dropped as its duplicate, and "the most recent close rate" could only quote the old figure."""

    def hit(year: int, rate: int, score: float) -> Hit:
        text = f"Issue close rate of {rate}%: 120 Github Issues created in the last 3 months; 113 closed."
        chunk = Chunk(id=f"r{year}", text=text, source=f"{year}-09.md", doc_date=date(year, 9, 1))
        return Hit(chunk, score=score)

    older, newer, other = hit(2020, 94, 0.9), hit(2024, 141, 0.8), hit(2022, 55, 0.1)
    other.chunk = Chunk(id="x", text="Something else entirely, about releases.", source="2022-06.md")
    searcher = Searcher(index=None)  # type: ignore[arg-type]  # _dedup reads no index
    assert [h.chunk.id for h in searcher._dedup([older, newer, other], 5)] == ["r2020", "x"]
    assert [h.chunk.id for h in searcher._dedup([older, newer, other], 5, newest=True)] == ["r2024", "x"]
