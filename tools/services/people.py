"""People: who they are (Slack id, name, role) and finding them from how others write them."""

from __future__ import annotations

import re
import unicodedata

from rapidfuzz import fuzz, process
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Conflict, Forbidden, NotFound
from tools.events import mark_changed
from tools.models import Person
from tools.schemas import PersonCreate, PersonUpdate, parse
from tools.services import audit
from tools.services._base import apply_changes, snapshot

MENTION = re.compile(r"^<@([A-Z0-9_]+)(?:\|[^>]*)?>$", re.IGNORECASE)
SLACK_ID = re.compile(r"^[UW](?=[A-Z0-9]*\d)[A-Z0-9]{2,}$")  # ids carry a digit; "BOB" is a name
PERSON_FIELDS = ("slack_id", "name", "role", "email", "title", "active")
# A fuzzy name match counts only when it is good and clearly better than the next person's.
MATCH_MIN, MATCH_MARGIN = 85.0, 8.0


def _fold(text: str) -> str:
    """Lower-case, accents removed: 'Tomás' and 'tomas' compare equal."""
    decomposed = unicodedata.normalize("NFKD", text)
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).lower().split())


def slack_id_in(text: str) -> str | None:
    """The Slack user id in `<@U123>` / `<@U123|name>` / `U123`, or None for a plain name."""
    text = text.strip()
    match = MENTION.match(text)
    if match:
        return match.group(1).upper()
    return text if SLACK_ID.match(text) else None


def find_person(session: Session, text: str | None) -> Person | None:
    """The one known person `text` names (mention, id, exact or close name), or None."""
    if not text or not text.strip():
        return None
    slack_id = slack_id_in(text)
    if slack_id:
        return session.scalar(select(Person).where(Person.slack_id == slack_id))
    wanted = _fold(text.lstrip("@"))
    people = list(session.scalars(select(Person).where(Person.active.is_(True))))
    exact = [p for p in people if _fold(p.name) == wanted]
    if len(exact) == 1:
        return exact[0]
    if exact:
        return None
    first = [p for p in people if _fold(p.name).split(" ")[0] == wanted]
    if len(first) == 1:
        return first[0]
    choices = {p.id: _fold(p.name) for p in people}
    best = process.extract(wanted, choices, scorer=fuzz.WRatio, limit=2)
    if not best or best[0][1] < MATCH_MIN:
        return None
    if len(best) > 1 and best[0][1] - best[1][1] < MATCH_MARGIN:
        return None
    return next(p for p in people if p.id == best[0][2])


def resolve_owner(session: Session, text: str | None) -> str | None:
    """An owner as stored: a known person's Slack id, a mentioned id, or the plain name as given."""
    if text is None or not text.strip():
        return None
    person = find_person(session, text)
    if person:
        return person.slack_id
    return slack_id_in(text) or " ".join(text.split())


def get_person(*, session: Session, actor: Actor | None = None, slack_id: str) -> Person:
    person = find_person(session, slack_id)
    if person is None:
        raise NotFound(f"I don't know a person {slack_id}.")
    return person


def list_people(*, session: Session, actor: Actor | None = None, role: str | None = None) -> list[Person]:
    stmt = select(Person).order_by(func.lower(Person.name))
    if role:
        stmt = stmt.where(Person.role == role)
    return list(session.scalars(stmt))


def create_person(*, session: Session, actor: Actor, data: PersonCreate | dict) -> Person:
    """Register a person (admins only)."""
    data = parse(PersonCreate, data)
    if not actor.is_admin:
        raise Forbidden("Only an admin can register people.")
    if session.scalar(select(Person).where(Person.slack_id == data.slack_id)):
        raise Conflict(f"{data.slack_id} is already registered.")
    person = Person(**data.model_dump())
    session.add(person)
    session.flush()
    audit.record(
        session,
        actor,
        "person.create",
        "person",
        person.slack_id,
        changes=snapshot(person, PERSON_FIELDS),
        summary=f"Registered {person.name}",
    )
    mark_changed(session, "person", person.slack_id, None)
    return person


def update_person(*, session: Session, actor: Actor, slack_id: str, data: PersonUpdate | dict) -> Person:
    """Change a person; people may edit their own name/email/title, only admins change roles."""
    data = parse(PersonUpdate, data)
    person = get_person(session=session, slack_id=slack_id)
    updates = data.changes()
    is_self = person.slack_id == actor.user_id
    if not actor.is_admin and not (is_self and not {"role", "active"} & updates.keys()):
        raise Forbidden("Only an admin can change someone's role or details; you may edit your own name.")
    changes = apply_changes(person, updates)
    if changes:
        audit.record(
            session,
            actor,
            "person.update",
            "person",
            person.slack_id,
            changes=changes,
            summary=f"Updated {person.name}",
        )
        mark_changed(session, "person", person.slack_id, None)
    return person


def actor_for(session: Session, slack_id: str, via: str = "slack", **extra: object) -> Actor:
    """The Actor for a Slack user: their registered role and name, or a plain member if unknown."""
    person = session.scalar(select(Person).where(Person.slack_id == slack_id))
    if person is None or not person.active:
        return Actor(user_id=slack_id, role="member", via=via, extra=dict(extra))
    return Actor(
        user_id=person.slack_id,
        role=person.role,
        via=via,
        name=person.name,
        person_id=person.id,
        extra=dict(extra),
    )
