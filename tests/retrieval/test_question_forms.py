"""Forms of question the answerer must read right: runs of months, counts of people and of things written
out in full, names in several capitalised words, and what the asker sets aside ("besides X")."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from knowledge.types import Chunk
from retrieval.answer import Answerer, _proper_names
from retrieval.embedder import Embedder
from retrieval.lexical import _stemmer, mentions, tokenize
from retrieval.search import Hit, question_terms
from retrieval.timeparse import parse_time
from tests.retrieval.conftest import answerer_over

TODAY = date(2026, 11, 28)
PASSAGES = [
    (
        "2012-02.md",
        "Community",
        "The majority of commits come from Adobe and IBM actively pushing to our repositories "
        "(6 and 4 active pushers respectively).",
    ),
    (
        "2018-09.md",
        "Issue tracking",
        "We shut down creation of new issues in JIRA, and enabled GitHub Issues in all 71 repositories.",
    ),
    (
        "2012-09.md",
        "Community",
        "The following people have been nominated for committer status: Andrew Grieve, Google; "
        "Regis Merlino, Intel.",
    ),
    (
        "2013-10.md",
        "Community",
        "- Mike Sierra voted as committer.\n- Carlos Santana voted as committer.\n"
        "- David Kemp voted as committer.",
    ),
    ("2013-06.md", "Releases", "- 2.7 released 2/May/13\n- 2.8 released 7/Jun/13"),
    ("2025-03.md", "Validation", "The model that predicts sepsis was validated on the March cohort."),
    (
        "2021-12.md",
        "Documentation",
        "We have archived translations of our documentation, since they were no longer kept up to date.",
    ),
    (
        "2025-03.md",
        "Events",
        "A total of 117 people registered for the virtual meetup in January, and around 70 attended.",
    ),
]


@pytest.fixture(scope="module")
def answerer(embedder: Embedder, tmp_path_factory: pytest.TempPathFactory) -> Answerer:
    return answerer_over(embedder, Path(tmp_path_factory.mktemp("forms")) / "chroma", PASSAGES)


@pytest.mark.parametrize(
    ("question", "newest"),
    [
        ("So what did we end up doing with the anonymous donation money?", True),
        ("Did the trademark misuse ever get sorted out?", True),
        ("The docs rewrite: where do things stand?", True),
        ("How come the donated money didn't end up paying for a technical writer?", False),
        ("Why did the team end up running its own server in 2012?", False),
        ("Has Cordova ever taken part in Google Summer of Code?", False),
        ("Did the project ever get funding from a donor who wanted to stay unnamed?", False),
    ],
)
def test_how_a_story_ended_is_asked_of_its_newest_report(question: str, newest: bool) -> None:
    assert parse_time(question, TODAY).recency is newest


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("Which versions shipped in May and June 2013?", date(2013, 5, 1), date(2013, 6, 30)),
        ("What happened from October to December 2015?", date(2015, 10, 1), date(2015, 12, 31)),
        ("What changed between Dec 2012 - Feb 2013?", date(2012, 12, 1), date(2013, 2, 28)),
        ("What changed from November 2012 through January 2013?", date(2012, 11, 1), date(2013, 1, 31)),
        ("What shipped in March, 2014?", date(2014, 3, 1), date(2014, 3, 31)),
    ],
)
def test_a_run_of_months_is_one_period(question: str, start: date, end: date) -> None:
    intent = parse_time(question, TODAY)
    assert (intent.start, intent.end) == (start, end)
    assert not any(m in intent.topic for m in ("may ", "october", "dec ", "november", "march"))


def test_how_many_people_is_answered_by_a_count_of_those_who_do_it(answerer: Answerer) -> None:
    got = answerer.ask("How many people from Adobe and IBM were pushing to the repos?", today=TODAY)
    assert got.found and "6 and 4 active pushers" in got.answer, got.answer


def test_how_many_of_a_thing_named_short_is_answered_by_its_count_written_out(answerer: Answerer) -> None:
    got = answerer.ask("How many repos got GitHub Issues turned on when JIRA was shut?", today=TODAY)
    assert got.found and "all 71 repositories" in got.answer, got.answer


def _hits(*texts: str) -> list[Hit]:
    return [Hit(Chunk(id=f"c{i}", text=t, source="2014-06.md"), score=1.0) for i, t in enumerate(texts)]


def test_a_name_in_capitals_no_passage_writes_is_not_answered_from_its_words(answerer: Answerer) -> None:
    assert _proper_names("Has Cordova ever taken part in Google Summer of Code?") == ["Google Summer of Code"]
    assert _proper_names("What held up Intel's Tizen code?") == []  # a possessive ends a name
    # a short form after a name is the thing's common noun ("PR" for pull request), not part of its name
    assert _proper_names("How big was the GitHub PR backlog?") == []
    assert _proper_names("Who spoke at Community Over Code EU?") == ["Community Over Code"]
    assert _proper_names("Which versions shipped in May and June 2013?") == []  # months name no thing
    assert _proper_names("How would they test on the new ARM-based Macs?") == []  # a compound that describes
    question = "Has Cordova ever taken part in Google Summer of Code?"
    # found: "Google" and "code", apart; "summer" nowhere: the passages are about something else
    apart = _hits("Andrew Grieve, Google, was nominated.", "The team rewrote the code of the tools.")
    assert answerer._unknown_name(question, apart)
    assert not answerer._unknown_name(
        question, [*apart, *_hits("Two Google Summer of Code students joined.")]
    )
    # every word of a name in what was found, in another order: that may well be the thing named
    assert not answerer._unknown_name(
        "Was the Sepsis Prediction Model validated?", _hits("The model that predicts sepsis was validated.")
    )
    got = answerer.ask("Was the Sepsis Prediction Model validated?", today=TODAY)
    assert got.found and "validated on the March cohort" in got.answer, got.answer
    named = answerer.ask("Was Andrew Grieve nominated for committer status?", today=TODAY)
    assert named.found and "Andrew Grieve, Google" in named.answer, named.answer


def test_what_the_asker_sets_aside_is_not_the_answer(answerer: Answerer) -> None:
    got = answerer.ask("Which new committers were voted in October 2013, besides Mike Sierra?", today=TODAY)
    assert got.found and "Carlos Santana" in got.answer and "David Kemp" in got.answer, got.answer
    assert "Mike Sierra" not in got.answer, got.answer


def test_a_question_in_other_words_is_answered_when_a_sentence_means_the_same(answerer: Answerer) -> None:
    # none of the question's words is in the answer, but its meaning is: not "nothing relevant found"
    got = answerer.ask("What happened to the non-English copies of our manuals?", today=TODAY)
    assert got.found and "archived translations" in got.answer, got.answer
    got = answerer.ask("Did many folks show up to the online get-together in early 2025?", today=TODAY)
    assert got.found and "around 70 attended" in got.answer, got.answer
    # no words and no meaning in common: still said plainly
    assert not answerer.ask("What's the weather forecast for Berlin this weekend?", today=TODAY).found


def test_a_product_is_not_one_whose_name_starts_with_its_name(embedder: Embedder, tmp_path: Path) -> None:
    """cordova-plugin-media-capture is not cordova-plugin-media: its newer release is no answer."""
    assert mentions("- cordova-plugin-media@7.0.0 was released.", {"cordova-plugin-media"})
    assert not mentions("- cordova-plugin-media-capture@6.0.0 was released.", {"cordova-plugin-media"})
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            ("2023-09.md", "Releases", "- cordova-plugin-media@7.0.0 was released on 2023-09-13."),
            ("2025-06.md", "Releases", "- cordova-plugin-media-capture@6.0.0 was released on 2025-02-26."),
            ("2025-06.md", "Activity", "We kept up with changes to iOS and Android and updated plugins."),
        ],
    )
    got = answerer.ask("What's the newest version of cordova-plugin-media?", today=TODAY)
    assert got.found
    assert "cordova-plugin-media@7.0.0" in got.answer
    assert "media-capture" not in got.answer


def test_a_release_line_does_not_answer_what_else_is_asked_of_the_release(
    embedder: Embedder, tmp_path: Path
) -> None:
    """That cordova-android 15 came out on a day says nothing of the Kotlin version it ships with."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            ("2026-03.md", "Releases", "- cordova-android@15.0.0 was released on 2026-03-06."),
            ("2026-03.md", "Releases", "- cordova-ios@8.1.0 was released on 2026-02-11."),
            ("2024-06.md", "Activity", "The team met in Bratislava to plan the plugin work for the year."),
        ],
    )
    assert not answerer.ask("What Kotlin version does cordova-android 15 ship with?", today=TODAY).found
    assert not answerer.ask("Who was the release manager for cordova-android 15.0.0?", today=TODAY).found
    # the product's own name, stemmed as the question's words are ("ios" is "io"), asks nothing more
    assert not answerer.ask("Who acted as release manager for cordova-ios 8.1.0?", today=TODAY).found
    assert answerer.ask(
        "Is cordova-ios 8.1.0 still a beta, or the current iOS platform major?", today=TODAY
    ).found
    # what a release line does say: that it came out, and when
    when = answerer.ask("When was cordova-android 15 released?", today=TODAY)
    assert when.found and "2026-03-06" in when.answer
    assert answerer.ask("Has cordova-android 15 shipped yet?", today=TODAY).found


def test_where_is_answered_by_a_place_or_an_address(embedder: Embedder, tmp_path: Path) -> None:
    """Not by the passages that repeat the question's words most often ("name", "Cordova")."""
    template = (
        "Apache Cordova is a platform for building native mobile applications. The project entered "
        "incubation as Apache Callback in October, 2011, before changing its name to Cordova."
    )
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            ("2012-03.md", "Status", template),
            (
                "2012-02.md",
                "Status",
                template + " We aim to add more contributors in coming releases. Continued code migration to "
                "Cordova name; new Apache Cordova logo!",
            ),
            ("2012-06.md", "Status", template + " Code migration to the Cordova name continued."),
            (
                "2011-12.md",
                "Project Status",
                'The name "Callback" was suboptimal for findability. Cordova was the street of the old '
                "Nitobi office wherein the PhoneGap project was conceived.",
            ),
            ("2019-12.md", "Health", "Our status dashboard at http://status.cordova.io is mostly all green."),
            ("2019-12.md", "Activity", "The status of the dashboard work was discussed on the list."),
        ],
    )
    got = answerer.ask("Where does the name Cordova actually come from?", today=TODAY)
    first = _first_quote(got.answer)
    assert got.found and "street of the old Nitobi office" in first
    dashboard = answerer.ask("Where's the project's status dashboard?", today=TODAY)
    assert dashboard.found and "status.cordova.io" in dashboard.answer


def test_what_came_of_a_plan_is_told_by_its_newest_report(embedder: Embedder, tmp_path: Path) -> None:
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2019-12.md",
                "Status",
                "The project received a generous anonymous donation. We will be using the donation to pay to "
                "have some documentation written.",
            ),
            (
                "2020-09.md",
                "Status",
                "We still have not made a decision how best to use last year's generous donation.",
            ),
            (
                "2021-12.md",
                "Status",
                "Several committers have received test devices purchased with the anonymous donation.",
            ),
            ("2022-06.md", "Releases", "- cordova-ios@6.2.0 was released on 2022-04-14."),
        ],
    )
    got = answerer.ask("So what did we end up doing with the anonymous donation money?", today=TODAY)
    first = _first_quote(got.answer)
    assert got.found and "test devices purchased with the anonymous donation" in first


def test_the_past_of_an_irregular_verb_is_that_verb() -> None:
    """ "Came" is "come" and "written" "write" to the lexical index, as "closed" is "close" to the stemmer;
    a word that is also a name or a word of its own ("Rose", "left") stays itself."""
    stemmer = _stemmer()
    assert tokenize(["new tickets came in, written by users"], stemmer) == tokenize(
        ["new tickets come in, write by users"], stemmer
    )
    assert tokenize(["Rose left the PMC"], stemmer) != tokenize(["rise leave the PMC"], stemmer)


def test_words_of_the_asking_the_documents_never_use_are_not_its_topic(
    embedder: Embedder, tmp_path: Path
) -> None:
    """ "Weighing", "how fast", "twice": verbs, adjectives and adverbs tell how a question asks, and the
    documents say it in their own words; a noun no document uses ("machines", "Kubernetes") may still be
    what the question is about, and is taken out to test that (`Answerer._misses_topic`)."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2017-06.md",
                "Health",
                "Travis CI pull request times have been vastly improved since INFRA enabled the beta changes "
                "for our repositories.",
            ),
            (
                "2021-03.md",
                "Platforms",
                "We are evaluating options to support Apple Silicon, such as a new build of the iOS "
                "simulator.",
            ),
            ("2021-03.md", "Releases", "- cordova-ios@6.2.0 was released on 2021-02-10."),
        ],
    )
    lex = answerer.searcher.index.lexical()

    def without_unseen(question: str) -> str | None:
        return answerer._without_unseen(question, question_terms(lex, question))

    fast = "How fast do Travis CI pull request builds kick off now that INFRA turned on the beta?"
    assert without_unseen(fast) is None
    assert without_unseen("Which options for Apple Silicon were weighed twice?") is None
    assert without_unseen("What options were they weighing for Apple machines?") == (
        "What options were they weighing for Apple"
    )
    assert "Kubernetes" not in (
        without_unseen("What is the plan for moving the Travis CI builds onto a Kubernetes cluster?") or "-"
    )
    got = answerer.ask(fast, today=TODAY)
    assert got.found and "vastly improved" in got.answer, got.answer


def test_a_report_covering_half_the_period_asked_about_may_answer(embedder: Embedder, tmp_path: Path) -> None:
    """ "Early 2012" is January to April: the February report (November to March) covers half of it, and
    says what was asked, while the reports covering all of it say other things."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2012-02.md",
                "Community",
                "The majority of commits come from Adobe and IBM actively pushing to our repositories.",
            ),
            ("2012-03.md", "Community", "Jeff Tranter (tranter) voted as committer."),
            ("2012-04.md", "Community", "Excellent update to the wiki on contribution."),
            ("2013-02.md", "Community", "Most commits now come from a wider set of companies."),
        ],
    )
    got = answerer.ask("Early 2012, which companies were most of the commits coming from?", today=TODAY)
    assert got.found and "Adobe and IBM" in _first_quote(got.answer), got.answer


def test_a_sentence_dated_outside_the_period_asked_about_does_not_answer_for_it(
    embedder: Embedder, tmp_path: Path
) -> None:
    """The June 2013 report covers April to June: its "2.7 released 2/May/13" is not what shipped in April."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            ("2013-04.md", "Releases", "- 2.5.0 released 28/Feb/13\n- 2.6 released 9/Apr/13"),
            ("2013-06.md", "Releases", "- 2.7 released 2/May/13\n- 2.8 released 7/Jun/13"),
            ("2013-06.md", "Community", "- Lorin Beer voted as committer."),
        ],
    )
    got = answerer.ask("Which version shipped in April 2013?", today=TODAY)
    assert got.found and "2.6 released 9/Apr/13" in _first_quote(got.answer), got.answer


def test_a_noun_made_from_a_verb_is_that_verb() -> None:
    """ "Addition" is "add" as "added" is (the stemmer leaves "addit" and "ad" apart); "in addition" is
    "also", not an adding."""
    stemmer = _stemmer()
    [added], [addition] = tokenize(["added"], stemmer), tokenize(["addition"], stemmer)
    assert added == addition
    assert added[0] not in tokenize(["In addition, the docs moved."], stemmer)[0]


def test_the_newest_report_tells_who_was_added_last_in_its_own_words(
    embedder: Embedder, tmp_path: Path
) -> None:
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2017-12.md",
                "PMC changes",
                "New PMC members: Jan Piotrowski was added to the PMC on Mon Oct 09 2017; Vishal Mishra was "
                "added to the PMC on Mon Oct 09 2017",
            ),
            ("2018-06.md", "PMC changes", "Raphael von der Gruen was added to the PMC on Tue May 29 2018."),
            ("2019-12.md", "PMC changes", "Niklas Merz was added to the PMC on 2019-12-26."),
            ("2020-03.md", "Membership", "There are currently 90 committers and 88 PMC members."),
            ("2021-06.md", "Membership", "The PMC discussed the release plan for the coming quarter."),
            ("2024-03.md", "Community changes", "No new PMC members. Last addition was Pieter Van Poyer."),
            (
                "2026-03.md",
                "Community changes",
                "No new PMC members. Last addition was Manuel Beck on 2025-04-04.",
            ),
            ("2026-03.md", "Releases", "- cordova-android@15.0.0 was released on 2026-03-06."),
        ],
    )
    got = answerer.ask("Who's the most recent person added to the PMC?", today=TODAY)
    assert got.found and "Manuel Beck" in _first_quote(got.answer), got.answer


def test_a_question_in_other_words_is_answered_by_the_sentence_that_means_it(
    embedder: Embedder, tmp_path: Path
) -> None:
    """Few of the question's words are in any sentence ("the revamped way of cutting versions ... folks stuck
    on older builds"): the sentence meaning it ("New git/release process will enable long term support for
    previous releases") outranks one that shares a word with it ("a number of new repos")."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2013-03.md",
                "Status",
                "Migration to a plugin exclusive architecture well under way but we are waiting on infra for a "
                "number of new repos.",
            ),
            (
                "2013-03.md",
                "Community",
                "- Lorin Beer voted as committer.\n- More committers being voted in too. LOTS of activity on "
                "list, and issue tracker.\n- New git/release process will enable long term support for "
                "previous releases.\n- New docs site online and looking good.",
            ),
            ("2013-03.md", "Releases", "- 2.4.0 released 05/Feb/13\n- 2.5.0 released 28/Feb/13"),
        ],
    )
    got = answerer.ask(
        "What did the revamped way of cutting versions in early 2013 promise for folks stuck on older builds?",
        today=TODAY,
    )
    assert got.found and "long term support" in _first_quote(got.answer), got.answer


def _first_quote(answer: str) -> str:
    """The first of an answer's quotes (the answer itself when it quotes one)."""
    return answer.split("\n- ")[1] if "\n- " in answer else answer


def test_a_short_list_is_quoted_with_all_its_items(embedder: Embedder, tmp_path: Path) -> None:
    """The Google nominees are the list's last items: quoting the lead-in with its first four items only
    left them out."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2012-09.md",
                "Community",
                "The following ppl have been nominated for committer status:\n\n- Regis Merlino, Intel\n"
                "- Christophe Guiraud, Intel\n- Paul Plaquette, Intel\n- Markus Leutwyler, HP\n"
                "- Andrew Grieve, Google\n- Michal Mocny, Google",
            ),
            ("2012-11.md", "Community", "There has been some minor confusion with the CLAs."),
        ],
    )
    got = answerer.ask("Which Google folks were nominated for committer status?", today=TODAY)
    assert got.found and "Andrew Grieve, Google" in got.answer and "Regis Merlino" in got.answer, got.answer


def test_what_was_meant_originally_is_not_the_oldest_passage_that_touches_the_topic(
    embedder: Embedder, tmp_path: Path
) -> None:
    """ "Originally" asks for the first word on the topic; a report years older that shares one word with
    it ("donate") is not that."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2012-12.md",
                "Community",
                "mwbrooks owns the domain cordova.io and would love to donate it to infra, who pay for the redirects.",
            ),
            (
                "2019-12.md",
                "Activity",
                "The project received a generous anonymous donation. We will be using the donation to pay to "
                "have some documentation, information architecture and technical writing done.",
            ),
            ("2021-12.md", "Releases", "- cordova-ios@6.2.0 was released on 2022-04-14."),
        ],
    )
    got = answerer.ask("What was the anonymous donation supposed to pay for originally?", today=TODAY)
    assert got.found and "technical writing" in _first_quote(got.answer), got.answer


def test_a_sentence_may_say_the_question_s_word_in_a_synonym(embedder: Embedder, tmp_path: Path) -> None:
    """ "Worry" is WordNet's synonym of "concern": the sentence that voices the concern answers "what was the
    worry about the name", not the one that shares "name" alone."""
    answerer = answerer_over(
        embedder,
        tmp_path / "chroma",
        [
            (
                "2011-11.md",
                "Community",
                "- Project name under question but healthy debate happening on list.\n"
                "- Some concern that the project name Callback is too common and possibly ambiguous.\n"
                "- Resolve the name (be it Callback or otherwise).",
            ),
            ("2012-06.md", "Releases", "- 1.8.0 released on 2012-06-04."),
        ],
    )
    got = answerer.ask("What was the worry about the project's name?", today=TODAY)
    assert got.found and "too common" in _first_quote(got.answer), got.answer
