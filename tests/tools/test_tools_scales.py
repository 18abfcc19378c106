"""The contract's scales: word levels, score and rating, dates, choices."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tools.errors import Invalid
from tools.scales import (
    CR_STATUSES,
    CR_TRANSITIONS,
    RATING_FLOOR,
    RATINGS,
    choice,
    parse_date,
    parse_level,
    parse_rating,
    score_rating,
)

CONTRACT_WORDS = {
    "very low": 1,
    "rare": 1,
    "low": 2,
    "unlikely": 2,
    "medium": 3,
    "moderate": 3,
    "possible": 3,
    "high": 4,
    "likely": 4,
    "very high": 5,
    "almost certain": 5,
    "critical": 5,
}


@pytest.mark.parametrize(("word", "level"), sorted(CONTRACT_WORDS.items()))
def test_contract_words(word: str, level: int) -> None:
    assert parse_level(word) == level
    assert parse_level(word.upper()) == level
    assert parse_level(f"  {word.title()} ") == level
    assert parse_level(word.replace(" ", "-")) == level


@pytest.mark.parametrize("value", [1, 2, 3, 4, 5])
def test_numbers_and_numeric_strings(value: int) -> None:
    assert parse_level(value) == value
    assert parse_level(str(value)) == value
    assert parse_level(f"{value}/5") == value
    assert parse_level(float(value)) == value


@pytest.mark.parametrize("bad", [0, 6, -1, "0", "6", "huge", "", "very", True, 2.5, "high-ish"])
def test_bad_levels_are_refused_with_a_sentence(bad: object) -> None:
    with pytest.raises(Invalid) as err:
        parse_level(bad)  # type: ignore[arg-type]
    assert "1" in err.value.message and "5" in err.value.message


@pytest.mark.parametrize(
    ("score", "rating"),
    [
        (1, "Low"),
        (4, "Low"),
        (5, "Medium"),
        (9, "Medium"),
        (10, "High"),
        (16, "High"),
        (20, "Critical"),
        (25, "Critical"),
    ],
)
def test_rating_boundaries(score: int, rating: str) -> None:
    assert score_rating(score) == rating


@given(st.integers(1, 5), st.integers(1, 5))
def test_every_product_has_the_contract_rating(p: int, i: int) -> None:
    score = p * i
    rating = score_rating(score)
    expected = "Low" if score <= 4 else "Medium" if score <= 9 else "High" if score <= 16 else "Critical"
    assert rating == expected
    assert score_rating(i * p) == rating  # symmetric
    assert RATING_FLOOR[rating] <= score


@given(st.integers(1, 5), st.integers(1, 5), st.integers(1, 5), st.integers(1, 5))
def test_rating_is_monotonic_in_score(a: int, b: int, c: int, d: int) -> None:
    s1, s2 = sorted((a * b, c * d))
    assert RATINGS.index(score_rating(s1)) <= RATINGS.index(score_rating(s2))


@given(st.sampled_from(sorted(CONTRACT_WORDS)), st.sampled_from(sorted(CONTRACT_WORDS)))
def test_words_give_the_same_score_as_numbers(pw: str, iw: str) -> None:
    assert parse_level(pw) * parse_level(iw) == CONTRACT_WORDS[pw] * CONTRACT_WORDS[iw]


@pytest.mark.parametrize("bad", [0, 26, -3])
def test_score_outside_scale(bad: int) -> None:
    with pytest.raises(Invalid):
        score_rating(bad)


@pytest.mark.parametrize(
    ("text", "rating"),
    [("critical", "Critical"), ("HIGH", "High"), (" med ", "Medium"), ("Low", "Low"), (12, "High")],
)
def test_parse_rating(text: str | int, rating: str) -> None:
    assert parse_rating(text) == rating


def test_parse_rating_refuses_unknown() -> None:
    with pytest.raises(Invalid, match="Low, Medium, High, Critical"):
        parse_rating("severe-ish")


def test_dates() -> None:
    assert parse_date("2026-12-15") == date(2026, 12, 15)
    assert parse_date(date(2026, 1, 2)) == date(2026, 1, 2)
    assert parse_date("2026-12-15T09:30:00+00:00") == date(2026, 12, 15)
    assert parse_date(None) is None
    for bad in ("2026-02-30", "next tuesday", "15/12/2026", "2026-13-01"):
        with pytest.raises(Invalid, match="YYYY-MM-DD"):
            parse_date(bad, "due date")


def test_choice_normalises_and_names_the_options() -> None:
    assert choice("Under Review", CR_STATUSES, "status") == "under_review"
    with pytest.raises(Invalid, match="submitted, under_review"):
        choice("pending", CR_STATUSES, "status")


def test_state_machine_covers_every_status() -> None:
    assert set(CR_TRANSITIONS) == set(CR_STATUSES)
    for targets in CR_TRANSITIONS.values():
        assert set(targets) <= set(CR_STATUSES)
