"""Which report a question means: products named in plain words ("the camera plugin"), the reports whose
span covers a period ("spring 2020" is the June report's), a report named by its month; and "don't know"
for a count the documents never give."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from retrieval.answer import Answerer
from retrieval.embedder import Embedder
from retrieval.search import period_share, question_terms
from retrieval.timeparse import parse_time
from tests.retrieval.conftest import answerer_over

TODAY = date(2026, 11, 28)
PASSAGES = [
    (
        "2023-09.md",
        "Activity",
        "Committers made large releases this quarter with major version bumps to "
        "cordova-ios@7, cordova-plugin-camera@7 and cordova-plugin-file@8.",
    ),
    ("2024-12.md", "Releases", "cordova-plugin-camera@8.0.0 was released on 2024-11-02."),
    ("2024-12.md", "Releases", "cordova-plugin-inappbrowser@6.0.0 was released on 2024-10-20."),
    (
        "2025-06.md",
        "Community",
        "A large portion of this quarter's activity went into our plugins, "
        "particularly the camera plugin and the file plugin, and the major version of each platform.",
    ),
    ("2021-06.md", "Releases", "cordova-browser@6.0.0 was released on 2021-05-10."),
    ("2023-06.md", "Releases", "cordova-browser@7.0.0 was released on 2023-05-16."),
    ("2025-12.md", "Releases", "cordova-ios@8.0.0 was released on 2025-11-23."),
    (
        "2020-03.md",
        "Github activity",
        "Issue close rate of 57%: 233 issues opened on GitHub, past quarter; "
        "134 issues closed on GitHub, past quarter.",
    ),
    (
        "2020-06.md",
        "Github activity",
        "Issue close rate of 104%: 298 issues opened on GitHub, past "
        "quarter; 311 issues closed on GitHub, past quarter.",
    ),
    (
        "2012-02.md",
        "Status",
        "Platform releases: shipped 1.4 with BlackBerry and webOS platform support, "
        "and the project made platform releases for iOS and Android.",
    ),
    (
        "2019-03.md",
        "Activity",
        "We made 6 platform releases (Android@8, Browser@6, iOS@5, OSX@5, Windows@7) "
        "this quarter, and the project made 1 patch release.",
    ),
    (
        "2016-12.md",
        "Activity",
        "The project made platform releases: the iOS platform had one minor release "
        "and the Android platform had a major release.",
    ),
    (
        "2025-09.md",
        "Community",
        "Download counts for every package are on npm; the project tracks them "
        "monthly, and the first month after a major release is the busiest.",
    ),
    ("2018-06.md", "Activity", "We had no platform releases this quarter; the work went into tooling."),
    ("2022-06.md", "Releases", "cordova-osx@7.0.0 was released on 2022-03-12."),
    ("2022-09.md", "Releases", "cordova-plugin-splashscreen@6.0.2 was released on 2022-08-01."),
    ("2024-06.md", "Community", "The cordova CLI now sees about 125k downloads a week on npm."),
    ("2024-03.md", "Releases", "cordova-cli@12.0.0 was released on 2024-02-28."),
    ("2021-09.md", "Activity", "We are in the process of archiving older documentation and translations."),
    (
        "2021-12.md",
        "Activity",
        "We have archived the old documentation and translations, and will be archiving outdated "
        "documentation for releases more than 3 years old.",
    ),
    ("2017-09.md", "Releases", "cordova-browser@5.0.0 was released on Tue Aug 29 2017"),
    (
        "2017-09.md",
        "Activity",
        "We had one major release for Browser (5.0.0). The Browser release has implemented our standard "
        "platform API and now includes basic support for progressive web apps.",
    ),
    ("2019-03.md", "Releases", "cordova-osx@5.0.0 was released on 2019-01-20."),
    (
        "2017-06.md",
        "Activity",
        "We had a major tools release of the CLI version 7.0.0 with support for custom platforms and "
        "dropping of support for older platform versions. The CLI 6.5.0 release came before it.",
    ),
    ("2018-03.md", "Releases", "cordova-lib@8.0.0 was released on Mon Dec 18 2017"),
    (
        "2018-03.md",
        "Activity",
        "We had a major tools release for cordova-lib (8.0.0) and a minor for cordova-fetch (1.3.0). "
        "We took the release of this major version to drop deprecated code.",
    ),
    (
        "2024-06.md",
        "Community",
        "Jane Roe, one of our PMC members, gave a talk at DevConf 2024 in Brno about maintainer personas.",
    ),
    ("2025-03.md", "Community", "117 people registered for the online meetup and around 70 attended it."),
    (
        "2021-06.md",
        "Github activity",
        "98 PRs opened on GitHub, past quarter. The issues list had 895 emails compared to 533.",
    ),
    ("2020-06.md", "Github activity", "Pull requests are reviewed every week by the committers."),
    (
        "2022-12.md",
        "Questions from last report",
        "On the free Slack tier we can only search back as far as "
        "10k messages, so a daily digest service copies all public conversations to a GitHub repo.",
    ),
]


def _quoted_before(answer: str, wanted: str, other: str) -> bool:
    """`wanted` is quoted, and before `other` if that is quoted at all."""
    return wanted in answer and (other not in answer or answer.index(wanted) < answer.index(other))


@pytest.fixture(scope="module")
def answerer(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    return answerer_over(embedder, Path(tmp_path_factory.mktemp("periods")) / "chroma", PASSAGES)


def test_products_are_named_in_plain_words_too(answerer: Answerer) -> None:
    lex = answerer.searcher.index.lexical()
    assert lex.things_named("the current major version of the camera plugin") == {"cordova-plugin-camera"}
    assert lex.things_named("the most recent release of the browser platform") == {"cordova-browser"}
    # words written together in the name, and the name with most of its parts wins
    assert lex.things_named("the newest in-app browser plugin") == {"cordova-plugin-inappbrowser"}
    assert lex.things_named("what changed in cordova-ios lately") == {"cordova-ios"}
    # "cordova" and "plugin" are parts of most names: alone they name nothing
    assert lex.things_named("how many cordova plugins are there") == set()


@pytest.mark.parametrize(
    ("question", "expected", "stale"),
    [
        ("What's the current major version of the camera plugin?", "cordova-plugin-camera@8.0.0", "@7"),
        ("What's the most recent release of the browser platform?", "cordova-browser@7.0.0", "6.0.0"),
    ],
)
def test_latest_of_a_product_named_in_plain_words(answerer: Answerer, question, expected, stale) -> None:
    reply = answerer.ask(question, today=TODAY)
    assert reply.found and expected in reply.answer, reply.answer
    assert stale not in reply.answer


def test_a_report_covers_the_quarter_before_its_date() -> None:
    spring = (date(2020, 3, 1), date(2020, 5, 31))
    assert period_share(date(2020, 6, 1), *spring) > 2 * period_share(date(2020, 3, 1), *spring)
    assert period_share(date(2020, 12, 1), *spring) == 0.0
    april = (date(2014, 4, 1), date(2014, 4, 30))
    assert period_share(date(2014, 4, 1), *april) == period_share(date(2014, 6, 1), *april) == 1.0


def test_a_report_named_by_its_month_is_told_from_a_period() -> None:
    assert parse_time("In the April 2014 report, what was new?", TODAY).report
    assert parse_time("How many releases did the September 2014 board report cover?", TODAY).report
    assert parse_time("What did the report for Q3 2019 say about iOS?", TODAY).report
    assert not parse_time("Who joined the PMC in spring 2015?", TODAY).report


def test_a_season_is_answered_from_the_report_that_covers_it(answerer: Answerer) -> None:
    reply = answerer.ask("Did the team close more GitHub issues than it opened in spring 2020?", today=TODAY)
    assert reply.found and "104%" in reply.answer and "57%" not in reply.answer, reply.answer


def test_a_period_question_quotes_the_period_when_any_passage_of_it_was_found(answerer: Answerer) -> None:
    reply = answerer.ask("What platform releases did the project make in Q2 2018?", today=TODAY)
    assert reply.found and "no platform releases" in reply.answer, reply.answer
    assert "1.4" not in reply.answer


def test_how_many_without_a_count_in_the_documents_is_dont_know(answerer: Answerer) -> None:
    missing = answerer.ask("How many downloads did cordova-ios 8.0.0 get in its first month?", today=TODAY)
    assert not missing.found, missing.answer  # a release line has a version and a date, not a count
    found = answerer.ask("How many issues were closed on GitHub in spring 2020?", today=TODAY)
    assert found.found and "311 issues closed" in found.answer, found.answer


def test_the_very_first_release_is_the_oldest_report_naming_it(answerer: Answerer) -> None:
    reply = answerer.ask("When was the very first release of cordova-browser?", today=TODAY)
    assert reply.found and _quoted_before(reply.answer, "Aug 29 2017", "2021-05-10"), reply.answer
    assert "2023-05-16" not in reply.answer
    assert parse_time("What did the earliest plan say?", TODAY).earliest
    assert not parse_time("What shipped in the first quarter of 2019?", TODAY).earliest
    assert not parse_time("What is the latest version of the first plugin?", TODAY).earliest


def test_a_period_with_nothing_from_it_is_said_so_not_answered_from_other_years(answerer: Answerer) -> None:
    reply = answerer.ask("What was the GitHub issue close rate at the end of 2015?", today=TODAY)
    assert not reply.found and "2015" in reply.answer and "57%" not in reply.answer, reply.answer
    found = answerer.ask("What was the GitHub issue close rate in spring 2020?", today=TODAY)
    assert found.found and "104%" in found.answer, found.answer


def test_a_verb_of_telling_the_documents_never_use_is_not_the_topic(answerer: Answerer) -> None:
    question = "How many issues closed on GitHub did the June 2020 report cite?"
    reply = answerer.ask(question, today=TODAY)
    assert reply.found and "311 issues closed" in reply.answer, reply.answer
    lex = answerer.searcher.index.lexical()
    assert "cite" not in lex.idf  # no passage uses it, yet it is not what the question is about:
    assert answerer._without_unseen(question, question_terms(lex, question)) is None
    # nor is the measure asked for, which a report gives as a number ("311 issues closed")
    measure = "GitHub issue volume in the June 2020 report?"
    assert "volum" not in lex.idf
    assert answerer._without_unseen(measure, question_terms(lex, measure)) is None
    # a topic word no passage uses still is
    topical = "How many issues closed on GitHub did the June 2020 report blame on Kubernetes?"
    assert answerer._without_unseen(topical, question_terms(lex, topical))


def test_how_many_wants_a_count_of_the_thing_asked_about(answerer: Answerer) -> None:
    missing = answerer.ask("How many subscribers did the issues list have in mid-2021?", today=TODAY)
    assert not missing.found, missing.answer  # "895 emails" counts no subscribers
    found = answerer.ask("How many pull requests were opened on GitHub in mid-2021?", today=TODAY)
    assert found.found and "98 PRs opened" in found.answer, found.answer  # "PRs": the words' initials


def test_how_many_people_wants_a_count_of_people(answerer: Answerer) -> None:
    missing = answerer.ask("How many people attended Jane Roe's talk at DevConf 2024?", today=TODAY)
    assert not missing.found, missing.answer  # "one of our PMC members gave a talk" counts no audience
    found = answerer.ask("How many people signed up for the online meetup?", today=TODAY)
    assert found.found and "117 people registered" in found.answer, found.answer


def test_one_unseen_detail_among_known_words_does_not_make_a_topic_unknown(answerer: Answerer) -> None:
    question = (
        "On the free Slack tier, how far back can messages be searched, and how are old conversations "
        "preserved?"
    )
    reply = answerer.ask(question, today=TODAY)
    assert reply.found and "10k messages" in reply.answer, reply.answer


def test_a_version_named_after_the_word_version_is_that_products():
    from retrieval.lexical import _product_majors

    assert _product_majors("a major tools release of the cli version 7.0.0") == ["cli@7"]
    assert _product_majors("the first version 2.0, a major version 6.0.0, release 3.1") == []


def test_a_product_named_with_words_the_documents_never_use_is_still_answered(answerer: Answerer) -> None:
    reply = answerer.ask("What's the newest release of the macOS platform, cordova-osx?", today=TODAY)
    assert reply.found and "cordova-osx@7.0.0" in reply.answer, reply.answer
    reply = answerer.ask("What did the major CLI 7.0.0 tools release bring?", today=TODAY)
    assert reply.found and "custom platforms" in reply.answer, reply.answer


def test_what_a_release_brought_is_not_answered_by_the_day_it_came_out(answerer: Answerer) -> None:
    reply = answerer.ask("What did the cordova-browser 5.0.0 major release add?", today=TODAY)
    assert reply.found and "progressive web apps" in reply.answer, reply.answer
    reply = answerer.ask("When was cordova-browser 5.0.0 released?", today=TODAY)
    assert reply.found and "Aug 29 2017" in reply.answer, reply.answer


@pytest.mark.parametrize(
    "question",
    [
        "What changed in the cordova-lib 8.0.0 major release?",
        "What did the team use the cordova-lib 8.0.0 major release to get rid of?",
        "What was the reason for the cordova-lib 8.0.0 major release?",
    ],
)
def test_what_changed_and_why_are_not_answered_by_the_day_a_release_came_out(
    answerer: Answerer, question: str
) -> None:
    reply = answerer.ask(question, today=TODAY)
    assert reply.found and _quoted_before(reply.answer, "deprecated code", "Dec 18 2017"), reply.answer


def test_a_description_written_with_a_hyphen_does_not_hide_the_product(answerer: Answerer) -> None:
    reply = answerer.ask(
        "What's the newest version of cordova-osx, the cross-platform desktop target?", today=TODAY
    )
    assert reply.found and _quoted_before(reply.answer, "cordova-osx@7.0.0", "5.0.0"), reply.answer


def test_a_report_named_by_its_month_answers_before_the_next_one(answerer: Answerer) -> None:
    question = "According to the September 2021 report, what was being done with the old documentation?"
    reply = answerer.ask(question, today=TODAY)
    assert reply.found and "in the process of archiving" in reply.answer, reply.answer
    assert "2021-12.md" not in reply.answer


PRODUCTS = [
    ("2022-09.md", "Releases", "cordova-plugin-splashscreen@6.0.2 was released on 2022-08-01."),
    ("2023-06.md", "Releases", "cordova-plugin-screen-orientation@3.0.3 was released on 2023-05-01."),
    (
        "2023-12.md",
        "Community",
        "Work on the plugins went on this quarter, with the screen and camera "
        "plugins getting the current version of their documentation.",
    ),
    ("2024-03.md", "Releases", "cordova-cli@12.0.0 was released on 2024-02-28."),
    ("2024-06.md", "Community", "The cordova CLI now sees about 125k downloads a week on npm."),
    ("2025-12.md", "Releases", "cordova-ios@8.0.0 was released on 2025-11-23."),
]


def test_products_named_in_words_join_the_lexical_search_and_only_versions_want_release_lines(
    embedder: Embedder, tmp_path: Path
) -> None:
    answerer = answerer_over(embedder, tmp_path / "chroma", PRODUCTS)
    # the documents write "splashscreen": the question's "splash screen plugin" still finds its release
    reply = answerer.ask("What's the current version of the splash screen plugin?", today=TODAY)
    assert reply.found and "cordova-plugin-splashscreen@6.0.2" in reply.answer, reply.answer
    # a count about "the cordova CLI" is not answered by the newest cordova-cli release line
    reply = answerer.ask("How many weekly npm downloads does the cordova CLI get these days?", today=TODAY)
    assert reply.found and "125k downloads a week" in reply.answer, reply.answer
