"""Posting a digest to Slack: the message (blocks + fallback text), then the heat map as a file."""

from __future__ import annotations

import logging
from typing import Any

from bot.digest.heatmap import heatmap_png
from bot.digest.model import Digest
from bot.digest.render import fallback_text, render_blocks

log = logging.getLogger(__name__)


def slack_poster(client: Any, *, heatmap: bool = True):  # type: ignore[no-untyped-def]
    """A poster for DigestScheduler over a slack_sdk WebClient."""

    def post(channel: str, digest: Digest) -> None:
        reply = client.chat_postMessage(
            channel=channel, text=fallback_text(digest), blocks=render_blocks(digest), unfurl_links=False
        )
        if not heatmap:
            return
        # The message is out: a failed upload is logged, never turned into a second post.
        try:
            client.files_upload_v2(
                channel=reply.get("channel") or channel,
                thread_ts=reply.get("ts"),
                content=heatmap_png(digest.heat),
                filename="risk-heatmap.png",
                title=f"Risk heat map: {digest.project or 'portfolio'} ({digest.today.isoformat()})",
            )
        except Exception:  # noqa: BLE001
            log.exception("digest heat map upload failed channel=%s", channel)

    return post
