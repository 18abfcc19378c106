"""Post due digests exactly once per period, however many workers run this.

Every few minutes each worker looks for subscriptions whose latest scheduled moment has passed and
claims (subscription, period) by inserting a unique DigestRun row in its own transaction. The worker
whose insert commits posts; the others get an IntegrityError and move on. Only the latest period is
ever considered, so a worker that was down for weeks posts the missed digest once, not once per week.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from bot.digest.build import build_digest
from bot.digest.model import Digest
from bot.digest.periods import is_after, latest_occurrence, period_key
from tools.db import session_scope
from tools.models.digest import DigestRun, DigestSubscription

log = logging.getLogger(__name__)

Poster = Callable[[str, Digest], None]
MAX_ATTEMPTS = 3  # a post that failed (Slack down) is retried on later ticks, at most this often


@dataclass(frozen=True)
class RunOutcome:
    subscription_id: int
    period_key: str
    status: str  # posted, failed, skipped (no longer there)
    error: str | None = None


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class DigestScheduler:
    """Finds due subscriptions and posts each digest once; `start()` runs it on an APScheduler."""

    def __init__(
        self,
        session_factory: sessionmaker[Session],
        poster: Poster,
        *,
        worker_id: str | None = None,
        today: Callable[[], date | None] | None = None,
        interval_minutes: float = 5,
        on_run: Callable[[str], None] | None = None,
    ) -> None:
        self.session_factory = session_factory
        self.poster = poster
        self.worker_id = worker_id or default_worker_id()
        self.today = today
        self.interval_minutes = interval_minutes
        self.on_run = on_run
        self._scheduler: BackgroundScheduler | None = None

    # -- claiming ---------------------------------------------------------------------------------
    def _due(self, now: datetime) -> list[tuple[int, str, datetime]]:
        """(subscription id, period key, scheduled moment) for each active subscription now due."""
        due = []
        with session_scope(self.session_factory) as session:
            subs = session.scalars(
                select(DigestSubscription).where(DigestSubscription.active.is_(True))
            ).all()
            candidates = []
            for sub in subs:
                moment = latest_occurrence(sub.weekday, sub.time, sub.timezone, now)
                # A subscription made after this week's moment waits for next week's.
                if is_after(moment, sub.created_at):
                    candidates.append((sub.id, period_key(moment), moment))
            if not candidates:
                return []
            runs = session.scalars(
                select(DigestRun).where(
                    DigestRun.subscription_id.in_([c[0] for c in candidates]),
                    DigestRun.period_key.in_({c[1] for c in candidates}),
                )
            )
            existing = {(r.subscription_id, r.period_key): r for r in runs}
            for sub_id, key, moment in candidates:
                run = existing.get((sub_id, key))
                if run is None or (run.status == "failed" and run.attempts < MAX_ATTEMPTS):
                    due.append((sub_id, key, moment))
        return due

    def claim(self, subscription_id: int, key: str) -> bool:
        """True if this worker now owns the posting of (subscription, period); own transaction."""
        try:
            with session_scope(self.session_factory) as session:
                run = session.scalar(
                    select(DigestRun).where(
                        DigestRun.subscription_id == subscription_id, DigestRun.period_key == key
                    )
                )
                if run is None:
                    session.add(DigestRun(subscription_id=subscription_id, period_key=key,
                                          claimed_by=self.worker_id, status="claimed"))  # fmt: skip
                    session.flush()
                    return True
                if run.status != "failed" or run.attempts >= MAX_ATTEMPTS:
                    return False
                # Retrying a failed post: the conditional UPDATE lets exactly one worker take it.
                taken = session.execute(
                    update(DigestRun)
                    .where(
                        DigestRun.id == run.id,
                        DigestRun.status == "failed",
                        DigestRun.attempts == run.attempts,
                    )  # fmt: skip
                    .values(
                        status="claimed",
                        attempts=run.attempts + 1,
                        claimed_by=self.worker_id,
                        claimed_at=datetime.now(UTC),
                        error=None,
                    )  # fmt: skip
                    .execution_options(synchronize_session=False)
                )
                return taken.rowcount == 1
        except IntegrityError:
            return False  # another worker's claim committed first

    def _finish(self, subscription_id: int, key: str, status: str, error: str | None) -> None:
        with session_scope(self.session_factory) as session:
            session.execute(
                update(DigestRun)
                .where(DigestRun.subscription_id == subscription_id, DigestRun.period_key == key)
                .values(
                    status=status, error=error, posted_at=datetime.now(UTC) if status == "posted" else None
                )
                .execution_options(synchronize_session=False)
            )

    # -- posting ----------------------------------------------------------------------------------
    def _post(self, subscription_id: int, key: str, now: datetime) -> RunOutcome:
        with session_scope(self.session_factory) as session:
            sub = session.get(DigestSubscription, subscription_id)
            if sub is None or not sub.active:
                self._finish(subscription_id, key, "skipped", "subscription stopped before posting")
                return RunOutcome(subscription_id, key, "skipped")
            today = (self.today() if self.today else None) or now.astimezone(ZoneInfo(sub.timezone)).date()
            project = sub.project.key if sub.project else None
            channel = sub.channel
            digest = build_digest(
                session, project=project, today=today, actor=None, tz=ZoneInfo(sub.timezone)
            )
        try:
            self.poster(channel, digest)
        except Exception as exc:  # noqa: BLE001 - a failed post is recorded and retried, never raised
            ref = uuid.uuid4().hex[:8]
            log.exception("digest post failed ref=%s subscription=%s period=%s", ref, subscription_id, key)
            error = f"{type(exc).__name__}: {exc} (ref {ref})"[:1000]
            self._finish(subscription_id, key, "failed", error)
            return RunOutcome(subscription_id, key, "failed", error)
        self._finish(subscription_id, key, "posted", None)
        log.info("digest posted subscription=%s period=%s channel=%s", subscription_id, key, channel)
        return RunOutcome(subscription_id, key, "posted")

    def run_due(self, now: datetime | None = None) -> list[RunOutcome]:
        """One tick: claim and post everything due at `now`; returns what this worker did."""
        now = now or datetime.now(UTC)
        outcomes = []
        for subscription_id, key, _moment in self._due(now):
            if not self.claim(subscription_id, key):
                continue
            outcome = self._post(subscription_id, key, now)
            outcomes.append(outcome)
            if self.on_run:
                self.on_run(outcome.status)
        return outcomes

    def _tick(self) -> None:
        try:
            self.run_due()
        except Exception:  # noqa: BLE001 - the next tick tries again; a tick never kills the scheduler
            log.exception("digest scheduler tick failed")

    # -- lifecycle --------------------------------------------------------------------------------
    def start(self) -> BackgroundScheduler:
        """Run a tick now and then every `interval_minutes` in a background thread."""
        scheduler = BackgroundScheduler(timezone=UTC)
        scheduler.add_job(self._tick, "interval", minutes=self.interval_minutes, id="digests",
                          next_run_time=datetime.now(UTC), max_instances=1, coalesce=True)  # fmt: skip
        scheduler.start()
        self._scheduler = scheduler
        return scheduler

    def shutdown(self) -> None:
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=True)
            self._scheduler = None
