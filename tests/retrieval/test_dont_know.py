"""Saying "I don't know" when the documents only look related (versions they never name, topics they lack),
and answering from the right report when they do: versions however written, the newest report that names
the thing asked about."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from retrieval.answer import Answerer
from retrieval.embedder import Embedder
from retrieval.search import question_terms
from tests.retrieval.conftest import answerer_over

TODAY = date(2026, 11, 28)
PASSAGES = [
    (
        "2024-06.md",
        "Releases",
        "cordova-ios@7.0.0 was released on 2024-05-02 with a new minimum iOS version.",
    ),
    (
        "2025-12.md",
        "Releases",
        "cordova-ios@8.0.0 was released on 2025-11-20 and drops the deprecated WebView.",
    ),
    ("2025-12.md", "Releases", "cordova-android@9.0.0 was released on 2025-11-02 with Gradle updates."),
    (
        "2025-09.md",
        "Infrastructure",
        "Our CI builds run on Jenkins agents hosted by the Apache infrastructure team. We plan to move the "
        "nightly builds to GitHub Actions by the end of the year.",
    ),
    (
        "2026-03.md",
        "Releases",
        "The current released version of cordova-android is 10.0.0, out on 2026-02-10.",
    ),
    ("2019-03.md", "Platforms", "cordova-electron@1.0.0 was released on Wed Feb 27 2019."),
    (
        "2025-09.md",
        "Community",
        "Two contributors were added to the PMC this quarter: Ana Lima and Tom Berg.",
    ),
]


@pytest.fixture(scope="module")
def answerer(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    return answerer_over(embedder, Path(tmp_path_factory.mktemp("dk")) / "chroma", PASSAGES)


def test_a_major_version_the_documents_never_name_is_not_answered_from_its_neighbours(
    answerer: Answerer,
) -> None:
    missing = answerer.ask("What changed in the cordova-ios 9.0.0 release?", today=TODAY)
    assert not missing.found, missing.answer  # "9.0.0" of cordova-android must not stand in for it
    named = answerer.ask("What changed in the cordova-ios 8.0.0 release?", today=TODAY)
    assert named.found and "drops the deprecated WebView" in named.answer


def test_a_product_version_named_by_the_products_short_name_is_known(
    embedder: Embedder, tmp_path: Path
) -> None:
    """ "Android 6.0.0" is cordova-android@6.0.0; "Android 8.0.0" none of the documents names."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2016-12.md",
                "Platforms",
                "The Android platform major release (6.0.0) includes full support for Android 7.0 Nougat.",
            ),
            ("2016-12.md", "Releases", "- cordova-android@6.0.0 was released on Sun Oct 23 2016"),
            ("2017-03.md", "Releases", "- cordova-android@6.1.0 was released on Thu Mar 02 2017"),
        ],
    )
    named = answerer.ask("What did the Android 6.0.0 platform release add?", today=TODAY)
    assert named.found and "Nougat" in named.answer, named.answer
    missing = answerer.ask("What did the Android 8.0.0 platform release add?", today=TODAY)
    assert not missing.found, missing.answer


def test_a_topic_the_documents_lack_gets_dont_know_while_paraphrases_are_answered(answerer: Answerer) -> None:
    for question in (
        "What's the plan for moving our CI builds onto a Kubernetes cluster?",
        "How do I reset my corporate VPN password?",
        "What's a good stretching routine for lower back pain after the builds?",
    ):
        reply = answerer.ask(question, today=TODAY)
        assert not reply.found, (question, reply.answer)
    for question, expected in (
        ("Which machines do the CI builds run on?", "Jenkins agents"),
        ("Who joined the PMC this quarter?", "Ana Lima"),
    ):
        reply = answerer.ask(question, today=TODAY)
        assert reply.found and expected in reply.answer, (question, reply.answer)


def test_a_name_no_document_uses_beside_a_product_they_do_is_the_topic(answerer: Answerer) -> None:
    """ "cordova-android" is found, "Kotlin" is not: words the documents never use may describe a product
    ("the macOS platform"), but a name they never write is what the question asks about."""
    missing = answerer.ask("Can you write cordova-android plugins in Kotlin now?", today=TODAY)
    assert not missing.found, missing.answer
    # nor is a name after "which" the kind of answer wanted, as "which machines" is
    kotlin = "Which Kotlin version does cordova-android use?"
    assert not answerer.ask(kotlin, today=TODAY).found
    lex = answerer.searcher.index.lexical()
    assert (
        answerer._without_unseen(kotlin, question_terms(lex, kotlin))
        == "Which version does cordova-android use?"
    )
    described = answerer.ask(
        "What's the current released version of cordova-android, the droid platform?", today=TODAY
    )
    assert described.found and "10.0.0" in described.answer, described.answer


def test_versions_match_however_written_and_plain_words_are_no_products(answerer: Answerer) -> None:
    lex = answerer.searcher.index.lexical()
    assert lex.names("1.0") and lex.names("1.0.0") and not lex.names("1.1")
    reply = answerer.ask("When did the very first 1.0 of the Electron desktop platform go out?", today=TODAY)
    assert reply.found and "Feb 27 2019" in reply.answer, reply.answer


def test_latest_answers_from_the_newest_report_that_names_the_thing_asked_about(answerer: Answerer) -> None:
    reply = answerer.ask("What's the current released version of cordova-ios?", today=TODAY)
    assert reply.found and "cordova-ios@8.0.0" in reply.answer, reply.answer
    assert "cordova-android is 10.0.0" not in reply.answer


def test_words_in_common_without_likeness_in_meaning_get_dont_know(answerer: Answerer) -> None:
    # every word is in the documents and the passages cover them, but nothing found means anything alike
    reply = answerer.ask("Is the year hosted by the quarter?", today=TODAY)
    assert not reply.found and reply.confidence >= answerer.thresholds.coverage, reply
