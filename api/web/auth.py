"""Dashboard sign-in: the API's bearer token, or the same token kept in an HttpOnly cookie by /login."""

from __future__ import annotations

from urllib.parse import quote

from fastapi import Request
from sqlalchemy.orm import Session

from api.deps import actor_for_token
from tools.actor import Actor
from tools.errors import Unauthenticated

COOKIE = "pmo_session"
COOKIE_MAX_AGE = 8 * 3600


class LoginRequired(Exception):
    """Raised by a page when nobody is signed in; the app turns it into a redirect to /login."""

    def __init__(self, next_path: str) -> None:
        super().__init__(next_path)
        self.next_path = next_path


def presented_token(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer" and value.strip():
        return value.strip()
    return request.cookies.get(COOKIE) or None


def web_actor(request: Request, session: Session) -> Actor:
    """The signed-in person, or LoginRequired (a bad or revoked token counts as signed out)."""
    from tools.services import tokens

    plaintext = presented_token(request)
    if plaintext:
        try:
            return actor_for_token(session, tokens.authenticate(session, plaintext))
        except Unauthenticated:
            pass
    raise LoginRequired(safe_next(request.url.path + (f"?{request.url.query}" if request.url.query else "")))


def safe_next(path: str | None) -> str:
    """Only same-site paths: `//evil.example` or `https://...` would make /login an open redirect."""
    if not path or not path.startswith("/") or path.startswith("//") or "\\" in path:
        return "/dashboard"
    return path


def login_url(next_path: str) -> str:
    return "/login?next=" + quote(next_path, safe="/")
