"""Record-change notifications delivered after commit, so the index follows the store without tools
importing retrieval. Services call `mark_changed`; the app installs one callback per session factory."""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy import event
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

_PENDING = "pmo_changed_records"


@dataclass(frozen=True)
class ChangedRecord:
    kind: str  # risk, change_request, milestone, status_update, project, person
    key: str
    project_key: str | None
    deleted: bool = False


def mark_changed(
    session: Session, kind: str, key: str, project_key: str | None, deleted: bool = False
) -> None:
    """Remember that a record changed in this session's transaction (delivered only if it commits)."""
    pending: list[ChangedRecord] = session.info.setdefault(_PENDING, [])
    record = ChangedRecord(kind, key, project_key, deleted)
    if record not in pending:
        pending.append(record)


def pending_changes(session: Session) -> list[ChangedRecord]:
    return list(session.info.get(_PENDING, []))


def install_after_commit(
    session_factory: sessionmaker[Session], callback: Callable[[list[ChangedRecord]], None]
) -> Callable[[], None]:
    """Call `callback(records)` after each commit that changed records; returns an uninstall function.

    A failing callback is logged, never raised: the write has committed and the index can be rebuilt.
    """

    def after_commit(session: Session) -> None:
        records = session.info.pop(_PENDING, None)
        if not records:
            return
        try:
            callback(list(records))
        except Exception:  # noqa: BLE001 - the commit stands; `pmo reindex` repairs the index
            log.exception("after-commit callback failed for %d changed records", len(records))

    def after_rollback(session: Session, previous_transaction) -> None:  # type: ignore[no-untyped-def]
        if previous_transaction.parent is None:  # the whole transaction, not a savepoint
            session.info.pop(_PENDING, None)

    event.listen(session_factory, "after_commit", after_commit)
    event.listen(session_factory, "after_soft_rollback", after_rollback)

    def uninstall() -> None:
        event.remove(session_factory, "after_commit", after_commit)
        event.remove(session_factory, "after_soft_rollback", after_rollback)

    return uninstall
