"""Never silent: every failure becomes a short ephemeral reply with a reference id that is in the logs."""

from __future__ import annotations

import functools
import logging
import secrets
from collections.abc import Callable
from typing import Any

from slack_bolt import BoltResponse
from slack_sdk import WebClient

from bot.slack import messages
from tools.errors import DomainError

log = logging.getLogger("pmo.slack")


def new_ref() -> str:
    return secrets.token_hex(4).upper()


def describe(exc: BaseException) -> str:
    """The sentence a user sees for `exc`: a domain error's own words, anything else a reference id."""
    if isinstance(exc, DomainError):
        return messages.DOMAIN_ERROR.format(message=exc.message)
    ref = new_ref()
    log.error("slack listener failed [ref %s]: %s", ref, exc, exc_info=exc)
    return messages.ERROR.format(ref=ref)


def thread_of(body: dict) -> str | None:
    event = body.get("event") or {}
    return event.get("thread_ts") or event.get("ts") or (body.get("message") or {}).get("thread_ts")


def tell_user(
    client: WebClient,
    *,
    text: str,
    user: str | None,
    channel: str | None,
    thread_ts: str | None = None,
    respond: Callable[..., Any] | None = None,
) -> None:
    """Say `text` only to `user`: via response_url, else an ephemeral message, else a DM."""
    try:
        if respond is not None:
            respond(text=text, response_type="ephemeral", replace_original=False)
            return
        if channel and user:
            client.chat_postEphemeral(channel=channel, user=user, text=text, thread_ts=thread_ts)
            return
        if user:
            client.chat_postMessage(channel=user, text=text)
    except Exception:  # the failure report itself failed: the log is all that is left
        log.exception("could not tell %s about a failure: %s", user, text)


def reported(func: Callable[..., None]) -> Callable[..., None]:
    """Wrap a lazy listener so an exception reaches the user (bolt would only log it)."""

    def runner(body: dict, client: WebClient, context: Any, respond: Any = None) -> None:
        # bolt hands a Respond even without a response_url (events); it would only raise.
        respond = respond if body.get("response_url") else None
        try:
            func(body=body, client=client, context=context, respond=respond)
        except Exception as exc:  # noqa: BLE001 - reported to the user and logged with a reference
            tell_user(
                client,
                text=describe(exc),
                user=context.user_id,
                channel=context.channel_id,
                thread_ts=thread_of(body),
                respond=respond,
            )

    # bolt finds a lazy function again by name (FaaS re-invocation), so keep the wrapped one's.
    runner.__name__ = runner.__qualname__ = func.__name__
    functools.update_wrapper(runner, func, assigned=("__module__", "__doc__"), updated=())
    return runner


def handle_listener_error(error: Exception, body: dict, context: Any, response: BoltResponse | None):
    """The app's error handler for the ack phase: answer the request itself with the failure."""
    text = describe(error)
    client: WebClient | None = context.client if context else None
    if body.get("type") == "view_submission":
        return BoltResponse(
            status=200, body={"response_action": "errors", "errors": _first_block_error(body, text)}
        )
    if body.get("command"):
        return BoltResponse(status=200, body={"response_type": "ephemeral", "text": text})
    if client is not None:
        tell_user(
            client, text=text, user=context.user_id, channel=context.channel_id, thread_ts=thread_of(body)
        )
    return BoltResponse(status=200, body="")


def _first_block_error(body: dict, text: str) -> dict[str, str]:
    values = ((body.get("view") or {}).get("state") or {}).get("values") or {}
    first = next(iter(values), "title")
    return {first: text[:150]}
