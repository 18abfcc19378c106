"""API tokens: only a sha256 of each token is stored; the plaintext is shown once, at creation."""

from __future__ import annotations

import hashlib
import hmac
import secrets

from sqlalchemy import select
from sqlalchemy.orm import Session

from tools.actor import Actor
from tools.errors import Forbidden, Invalid, NotFound, Unauthenticated
from tools.models import ApiToken
from tools.scales import ROLES, choice
from tools.services import audit
from tools.services._base import now

TOKEN_PREFIX = "pmo_"
PREFIX_LEN = 12


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


def create_token(
    *, session: Session, actor: Actor, name: str, role: str = "member", person_slack_id: str | None = None
) -> tuple[ApiToken, str]:
    """A new token (admins only); returns the row and the plaintext, which is never stored."""
    if not actor.is_admin:
        raise Forbidden("Only an admin can create API tokens.")
    name = (name or "").strip()
    if not name:
        raise Invalid("A token needs a name, e.g. 'dashboard' or 'ci'.")
    role = choice(role, ROLES, "role")
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    token = ApiToken(
        name=name,
        role=role,
        person_slack_id=person_slack_id,
        token_hash=hash_token(plaintext),
        prefix=plaintext[:PREFIX_LEN],
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        actor,
        "token.create",
        "api_token",
        str(token.id),
        changes={"name": name, "role": role, "prefix": token.prefix, "person_slack_id": person_slack_id},
        summary=f"Created API token {name} ({role})",
    )
    return token, plaintext


def authenticate(session: Session, plaintext: str | None) -> ApiToken:
    """The live token matching `plaintext`; Unauthenticated otherwise."""
    if not plaintext or not plaintext.strip():
        raise Unauthenticated("This needs an API token: send 'Authorization: Bearer <token>'.")
    digest = hash_token(plaintext.strip())
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is None or not hmac.compare_digest(token.token_hash, digest) or token.revoked_at is not None:
        raise Unauthenticated("That API token is not valid or has been revoked.")
    token.last_used_at = now()
    return token


def ensure_admin_token(session: Session, plaintext: str | None) -> ApiToken | None:
    """Make sure the configured admin token (PMO_API_TOKEN) is accepted; idempotent."""
    if not plaintext or not plaintext.strip():
        return None
    digest = hash_token(plaintext.strip())
    token = session.scalar(select(ApiToken).where(ApiToken.token_hash == digest))
    if token is not None:
        return token
    token = ApiToken(
        name="PMO_API_TOKEN", role="admin", token_hash=digest, prefix=plaintext.strip()[:PREFIX_LEN]
    )
    session.add(token)
    session.flush()
    audit.record(
        session,
        Actor.system(),
        "token.seed",
        "api_token",
        str(token.id),
        changes={"name": token.name, "role": "admin", "prefix": token.prefix},
        summary="Seeded the admin API token from PMO_API_TOKEN",
    )
    return token


def list_tokens(*, session: Session, actor: Actor) -> list[ApiToken]:
    if not actor.is_admin:
        raise Forbidden("Only an admin can list API tokens.")
    return list(session.scalars(select(ApiToken).order_by(ApiToken.id)))


def revoke_token(*, session: Session, actor: Actor, token_id: int) -> ApiToken:
    if not actor.is_admin:
        raise Forbidden("Only an admin can revoke API tokens.")
    token = session.get(ApiToken, token_id)
    if token is None:
        raise NotFound(f"There is no API token {token_id}.")
    if token.revoked_at is None:
        token.revoked_at = now()
        audit.record(
            session,
            actor,
            "token.revoke",
            "api_token",
            str(token.id),
            changes={"revoked_at": [None, token.revoked_at]},
            summary=f"Revoked API token {token.name}",
        )
    return token
