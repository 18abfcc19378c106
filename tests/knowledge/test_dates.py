"""Dates as documents write them: a report's own date, and the days its sentences name."""

from __future__ import annotations

from datetime import date

from knowledge.dates import days_in, find_date


def test_days_in_a_sentence_in_the_forms_reports_write_them() -> None:
    assert days_in("cordova-ios@8.0.0-beta.1 was released on 2024-10-21.") == [date(2024, 10, 21)]
    assert days_in("cordova-android@6.0.0 was released on Sun Oct 23 2016") == [date(2016, 10, 23)]
    assert days_in("- 2.4.0 released 05/Feb/13") == [date(2013, 2, 5)]
    assert days_in("shipped on 23 October 2016, patched 9-Apr-2017") == [date(2016, 10, 23), date(2017, 4, 9)]


def test_what_is_not_a_whole_day_is_not_one() -> None:
    # a month and day without a year, a version, a day that does not exist, a month alone
    assert days_in("2.0.x, Jul 30; version 1.2/3; 31/Feb/13; released in April 2013") == []
    assert find_date("Status report - Sept 2024") == (date(2024, 9, 1), "2024-09")
