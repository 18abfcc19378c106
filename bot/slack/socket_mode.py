"""Socket Mode: the same Bolt app over a websocket Slack opens to us (no public URL needed)."""

from __future__ import annotations

from slack_bolt import App
from slack_bolt.adapter.socket_mode import SocketModeHandler


def socket_mode_handler(app: App, app_token: str, *, ping_interval: float = 10) -> SocketModeHandler:
    """A handler whose apps.connections.open call goes through the app's own client (and its base URL)."""
    return SocketModeHandler(app, app_token=app_token, web_client=app.client, ping_interval=ping_interval)
