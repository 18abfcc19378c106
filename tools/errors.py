"""Domain errors: each carries a sentence a person can read and a kind the interfaces map once."""

from __future__ import annotations


class DomainError(Exception):
    """A failure the user caused or can fix; `message` is shown to them as is."""

    kind = "invalid"
    status_code = 422

    def __init__(self, message: str, *, hint: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    kind = "not_found"
    status_code = 404


class Conflict(DomainError):
    """An illegal state transition or a duplicate."""

    kind = "conflict"
    status_code = 409


class Forbidden(DomainError):
    kind = "forbidden"
    status_code = 403


class Invalid(DomainError):
    kind = "invalid"
    status_code = 422


class Unauthenticated(DomainError):
    kind = "unauthenticated"
    status_code = 401


class DatabaseNotMigrated(DomainError):
    """The schema is missing or behind the code; the message names the fixing command."""

    kind = "not_migrated"
    status_code = 503
