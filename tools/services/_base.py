"""Helpers every service shares: key allocation, field diffs for the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import update
from sqlalchemy.orm import Session

from tools.models import Project
from tools.services.audit import jsonable


def now() -> datetime:
    return datetime.now(UTC)


def next_number(session: Session, project: Project, counter: str) -> int:
    """Allocate the project's next record number with one `UPDATE ... RETURNING`.

    The row lock is held until the writing transaction ends, so concurrent writers queue on it and
    numbers stay consecutive; a rolled-back write gives its number back.
    """
    column = getattr(Project, counter)
    stmt = update(Project).where(Project.id == project.id).values({column: column + 1}).returning(column)
    number = session.execute(stmt, execution_options={"synchronize_session": False}).scalar_one()
    return int(number)


def snapshot(obj: Any, fields: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """Field -> value of a new record (the audit 'after' of a create), leaving out empty fields."""
    return {f: jsonable(getattr(obj, f)) for f in fields if getattr(obj, f) is not None}


def apply_changes(obj: Any, updates: dict[str, Any]) -> dict[str, list[Any]]:
    """Set each changed field on `obj`; returns {field: [before, after]} for the ones that changed."""
    changes: dict[str, list[Any]] = {}
    for name, value in updates.items():
        before = getattr(obj, name)
        if before == value:
            continue
        setattr(obj, name, value)
        changes[name] = [jsonable(before), jsonable(value)]
    return changes
