"""Exactly-once posting across racing workers, catch-up once, retries of failed posts."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select, update

from bot.digest.periods import latest_occurrence, parse_time, parse_weekday, period_key
from bot.digest.scheduler import DigestScheduler
from bot.digest.subscriptions import subscribe
from tools.db import session_scope
from tools.errors import Invalid
from tools.models.digest import DigestRun, DigestSubscription

# Monday 2026-11-23 09:00 in Chicago is 15:00 UTC.
MONDAY_9_CHICAGO = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)


class FakePoster:
    """Records every post; can be told to fail or to be slow (to widen race windows)."""

    def __init__(self, fail: int = 0, delay: float = 0.0) -> None:
        self.posts: list[tuple[str, str | None, str]] = []
        self.fail = fail
        self.delay = delay
        self.lock = threading.Lock()

    def __call__(self, channel, digest) -> None:
        if self.delay:
            threading.Event().wait(self.delay)
        with self.lock:
            if self.fail:
                self.fail -= 1
                raise ConnectionError("slack is down")
            self.posts.append((channel, digest.project, digest.title))


def make_subscription(factory, portfolio, created=MONDAY_9_CHICAGO - timedelta(days=30), **kw) -> int:
    with session_scope(factory) as s:
        sub = subscribe(session=s, actor=portfolio.pm, channel=kw.pop("channel", "C0SEPSIS"),
                        project=kw.pop("project", "SEPSIS"), **kw)  # fmt: skip
        sub.created_at = created
        return sub.id


def run_count(factory) -> int:
    with factory() as s:
        return s.scalar(select(func.count()).select_from(DigestRun))


def test_periods():
    assert parse_weekday("Mondays") == 0 and parse_weekday("fri") == 4
    assert (
        parse_time("9am") == "09:00" and parse_time("2:30 pm") == "14:30" and parse_time("17:05") == "17:05"
    )
    for bad in ("25:00", "noon-ish", "13pm"):
        with pytest.raises(Invalid):
            parse_time(bad)
    with pytest.raises(Invalid):
        parse_weekday("someday")
    moment = latest_occurrence(0, "09:00", "America/Chicago", MONDAY_9_CHICAGO)
    assert moment.astimezone(UTC) == MONDAY_9_CHICAGO
    before = latest_occurrence(0, "09:00", "America/Chicago", MONDAY_9_CHICAGO - timedelta(minutes=1))
    assert before.astimezone(UTC) == MONDAY_9_CHICAGO - timedelta(days=7)
    assert period_key(moment) == "2026-W48"


def test_two_workers_racing_post_once(session_factory, portfolio):
    make_subscription(session_factory, portfolio)
    make_subscription(session_factory, portfolio, channel="C0PMO", project=None)
    poster = FakePoster(delay=0.05)
    workers = [DigestScheduler(session_factory, poster, worker_id=f"w{i}") for i in range(2)]
    barrier = threading.Barrier(len(workers))
    errors: list[BaseException] = []

    def tick(worker: DigestScheduler) -> None:
        try:
            barrier.wait()
            for minute in range(3):  # several ticks each, all inside the same period
                worker.run_due(MONDAY_9_CHICAGO + timedelta(minutes=minute))
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=tick, args=(w,)) for w in workers]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not errors
    assert sorted(p[:2] for p in poster.posts) == [("C0PMO", None), ("C0SEPSIS", "SEPSIS")]
    with session_factory() as s:
        runs = s.scalars(select(DigestRun)).all()
        assert sorted(r.status for r in runs) == ["posted", "posted"] and all(r.posted_at for r in runs)
    # Next week's moment is a new period: posted once more.
    for w in workers:
        w.run_due(MONDAY_9_CHICAGO + timedelta(days=7, minutes=1))
    assert len(poster.posts) == 4


def test_catch_up_once_after_downtime(session_factory, portfolio):
    make_subscription(session_factory, portfolio)
    poster = FakePoster()
    worker = DigestScheduler(session_factory, poster, worker_id="late")
    # Down for three weeks: comes back on a Wednesday, posts only the latest missed period, once.
    back = MONDAY_9_CHICAGO + timedelta(days=16)
    assert [o.status for o in worker.run_due(back)] == ["posted"]
    assert worker.run_due(back + timedelta(minutes=5)) == []
    assert (
        DigestScheduler(session_factory, poster, worker_id="other").run_due(back + timedelta(hours=1)) == []
    )
    assert len(poster.posts) == 1
    with session_factory() as s:
        assert s.scalar(select(DigestRun.period_key)) == "2026-W50"


def test_not_due_before_time_or_before_subscribing(session_factory, portfolio):
    sub_id = make_subscription(session_factory, portfolio, created=MONDAY_9_CHICAGO + timedelta(hours=1))
    poster = FakePoster()
    worker = DigestScheduler(session_factory, poster)
    assert worker.run_due(MONDAY_9_CHICAGO + timedelta(hours=2)) == []  # subscribed after this week's 09:00
    assert worker.run_due(MONDAY_9_CHICAGO + timedelta(days=7) - timedelta(minutes=1)) == []
    assert [o.subscription_id for o in worker.run_due(MONDAY_9_CHICAGO + timedelta(days=7))] == [sub_id]


def test_failed_post_is_retried_a_bounded_number_of_times(session_factory, portfolio):
    make_subscription(session_factory, portfolio)
    poster = FakePoster(fail=10)
    seen: list[str] = []
    worker = DigestScheduler(session_factory, poster, on_run=seen.append)
    for minute in range(6):
        worker.run_due(MONDAY_9_CHICAGO + timedelta(minutes=minute))
    assert seen == ["failed", "failed", "failed"]
    with session_factory() as s:
        run = s.scalar(select(DigestRun))
        assert (run.status, run.attempts) == ("failed", 3) and "slack is down" in run.error
    recovering = FakePoster(fail=1)
    other = DigestScheduler(session_factory, recovering)
    with session_scope(session_factory) as s:
        s.execute(update(DigestRun).values(attempts=1))
    other.run_due(MONDAY_9_CHICAGO + timedelta(minutes=10))
    other.run_due(MONDAY_9_CHICAGO + timedelta(minutes=15))
    assert len(recovering.posts) == 1 and run_count(session_factory) == 1


def test_inactive_subscriptions_are_not_posted(session_factory, portfolio):
    sub_id = make_subscription(session_factory, portfolio)
    with session_scope(session_factory) as s:
        s.get(DigestSubscription, sub_id).active = False
    poster = FakePoster()
    assert DigestScheduler(session_factory, poster).run_due(MONDAY_9_CHICAGO) == []
    assert poster.posts == []


def test_background_scheduler_ticks(session_factory, portfolio):
    make_subscription(session_factory, portfolio, created=datetime.now(UTC) - timedelta(days=8))
    poster = FakePoster()
    worker = DigestScheduler(session_factory, poster, interval_minutes=60)
    worker.start()
    try:
        for _ in range(100):
            if poster.posts:
                break
            threading.Event().wait(0.1)
    finally:
        worker.shutdown()
    assert len(poster.posts) == 1
