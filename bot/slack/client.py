"""The Slack Web API client: one factory, pointed at Slack or at a fake, retrying politely on 429."""

from __future__ import annotations

from slack_sdk import WebClient
from slack_sdk.http_retry.builtin_handlers import RateLimitErrorRetryHandler

SLACK_API_URL = WebClient.BASE_URL


def make_web_client(token: str | None, *, base_url: str | None = None, max_retries: int = 2) -> WebClient:
    """A WebClient for `token`; `base_url` (PMO_SLACK_API_URL) points it elsewhere (a test fake)."""
    url = base_url or SLACK_API_URL
    if not url.endswith("/"):
        url += "/"
    return WebClient(
        token=token,
        base_url=url,
        retry_handlers=[RateLimitErrorRetryHandler(max_retry_count=max_retries)],
    )
