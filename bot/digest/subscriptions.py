"""Digest subscriptions: a channel asks for a project's (or the portfolio's) digest weekly at a time."""

from __future__ import annotations

import re
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from bot.digest.periods import WEEKDAYS, next_occurrence, parse_time, parse_timezone, parse_weekday
from tools.actor import Actor
from tools.errors import Invalid, NotFound
from tools.models import Project
from tools.models.digest import DigestSubscription
from tools.services import audit
from tools.services.access import visible_project_keys

CHANNEL = re.compile(r"^#?[A-Za-z0-9][A-Za-z0-9_.\-]{0,79}$")
DEFAULT_DAY, DEFAULT_TIME = "monday", "09:00"
ENTITY = "digest_subscription"


def _project(session: Session, actor: Actor, key: str | None) -> Project | None:
    if key is None or not str(key).strip():
        return None
    key = str(key).strip().upper()
    found = session.scalar(select(Project).where(Project.key == key))
    visible = visible_project_keys(session, actor)
    if found is None or (visible is not None and found.key not in visible):
        raise NotFound(f"There is no project {key!r} that you can see.")
    return found


def _channel(channel: str) -> str:
    channel = (channel or "").strip()
    if not CHANNEL.match(channel):
        raise Invalid(f"'{channel}' is not a Slack channel; give its id (C0123ABCD) or #name.")
    return channel


def subscription_dict(sub: DigestSubscription, now: datetime | None = None) -> dict:
    """The JSON shape the API, CLI and Slack show."""
    upcoming = next_occurrence(sub.weekday, sub.time, sub.timezone, now or datetime.now(UTC))
    return {
        "id": sub.id,
        "channel": sub.channel,
        "project": sub.project.key if sub.project else None,
        "day": WEEKDAYS[sub.weekday],
        "time": sub.time,
        "timezone": sub.timezone,
        "active": sub.active,
        "created_by": sub.created_by,
        "next_run": upcoming.isoformat() if sub.active else None,
    }


def _existing(session: Session, channel: str, project: Project | None) -> DigestSubscription | None:
    stmt = select(DigestSubscription).where(DigestSubscription.channel == channel)
    stmt = stmt.where(
        DigestSubscription.project_id == project.id if project else DigestSubscription.project_id.is_(None)
    )
    return session.scalars(stmt.order_by(DigestSubscription.id)).first()


def subscribe(
    *,
    session: Session,
    actor: Actor,
    channel: str,
    project: str | None = None,
    day: str | int = DEFAULT_DAY,
    time: str = DEFAULT_TIME,
    timezone: str | None = None,
    default_timezone: str = "America/Chicago",
) -> DigestSubscription:
    """Subscribe `channel` to a weekly digest (the portfolio's when `project` is None).

    Subscribing again for the same channel and project changes the schedule instead of adding one.
    """
    channel = _channel(channel)
    proj = _project(session, actor, project)
    weekday, hhmm = parse_weekday(day), parse_time(time)
    tz = parse_timezone(timezone or default_timezone)
    sub = _existing(session, channel, proj)
    what = f"{proj.key} digest" if proj else "portfolio digest"
    when = f"{WEEKDAYS[weekday].capitalize()}s at {hhmm} {tz}"
    if sub is None:
        sub = DigestSubscription(channel=channel, project=proj, weekday=weekday, time=hhmm, timezone=tz,
                                 active=True, created_by=actor.user_id)  # fmt: skip
        session.add(sub)
        session.flush()
        changes: dict = {"channel": channel, "project": proj.key if proj else None,
                         "day": WEEKDAYS[weekday], "time": hhmm, "timezone": tz}  # fmt: skip
        action = "digest_subscription.create"
    else:
        before = {
            "day": WEEKDAYS[sub.weekday],
            "time": sub.time,
            "timezone": sub.timezone,
            "active": sub.active,
        }
        sub.weekday, sub.time, sub.timezone, sub.active = weekday, hhmm, tz, True
        after = {"day": WEEKDAYS[weekday], "time": hhmm, "timezone": tz, "active": True}
        changes = {k: [before[k], after[k]] for k in after if before[k] != after[k]}
        action = "digest_subscription.update"
        session.flush()
    audit.record(session, actor, action, ENTITY, str(sub.id), proj.key if proj else None, changes=changes,
                 summary=f"{channel} gets the {what} {when}")  # fmt: skip
    return sub


def update_subscription(
    *,
    session: Session,
    actor: Actor,
    subscription_id: int,
    day: str | int | None = None,
    time: str | None = None,
    timezone: str | None = None,
    active: bool | None = None,
) -> DigestSubscription:
    """Change a subscription's day, time, zone or active flag (by id)."""
    sub = get_subscription(session=session, actor=actor, subscription_id=subscription_id)
    if active is False:
        return unsubscribe(session=session, actor=actor, subscription_id=subscription_id)
    return subscribe(
        session=session,
        actor=actor,
        channel=sub.channel,
        project=sub.project.key if sub.project else None,
        day=sub.weekday if day is None else day,
        time=sub.time if time is None else time,
        timezone=timezone or sub.timezone,
    )


def get_subscription(*, session: Session, actor: Actor, subscription_id: int) -> DigestSubscription:
    sub = session.get(DigestSubscription, subscription_id)
    visible = visible_project_keys(session, actor)
    if sub is None or (sub.project and visible is not None and sub.project.key not in visible):
        raise NotFound(f"There is no digest subscription {subscription_id}.")
    return sub


def unsubscribe(
    *,
    session: Session,
    actor: Actor,
    subscription_id: int | None = None,
    channel: str | None = None,
    project: str | None = None,
) -> DigestSubscription:
    """Stop a subscription, by id or by channel (+ project; without one, the portfolio digest)."""
    if subscription_id is not None:
        sub = get_subscription(session=session, actor=actor, subscription_id=subscription_id)
    elif channel:
        proj = _project(session, actor, project)
        found = _existing(session, _channel(channel), proj)
        if found is None:
            what = f"the {proj.key} digest" if proj else "the portfolio digest"
            raise NotFound(f"{channel} is not subscribed to {what}.")
        sub = found
    else:
        raise Invalid("Say which subscription to stop: its id, or the channel (and project).")
    if sub.active:
        sub.active = False
        session.flush()
        key = sub.project.key if sub.project else None
        audit.record(session, actor, "digest_subscription.cancel", ENTITY, str(sub.id), key,
                     changes={"active": [True, False]},
                     summary=f"{sub.channel} no longer gets the {key or 'portfolio'} digest")  # fmt: skip
    return sub


def list_subscriptions(
    *,
    session: Session,
    actor: Actor,
    channel: str | None = None,
    project: str | None = None,
    include_inactive: bool = False,
) -> list[DigestSubscription]:
    """Subscriptions the actor may see, optionally for one channel or project."""
    stmt = select(DigestSubscription).order_by(DigestSubscription.id)
    if channel:
        stmt = stmt.where(DigestSubscription.channel == channel.strip())
    if project:
        proj = _project(session, actor, project)
        stmt = stmt.where(DigestSubscription.project_id == proj.id)  # type: ignore[union-attr]
    if not include_inactive:
        stmt = stmt.where(DigestSubscription.active.is_(True))
    visible = visible_project_keys(session, actor)
    subs = session.scalars(stmt).unique().all()
    return [s for s in subs if s.project is None or visible is None or s.project.key in visible]
