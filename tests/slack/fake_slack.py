"""A fake Slack Web API on loopback: records every call, answers like Slack, can be told to rate-limit."""

from __future__ import annotations

import itertools
import json
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlparse

BOT_USER = "UBOT"
TEAM = "T0001"


@dataclass
class Call:
    method: str
    body: dict[str, Any]
    headers: dict[str, str]
    at: float = field(default_factory=time.time)


def _flatten(form: dict[str, list[str]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, values in form.items():
        value = values[-1]
        if key in ("blocks", "view", "attachments", "metadata", "files", "prompts") and value[:1] in "[{":
            try:
                value = json.loads(value)
            except ValueError:
                pass
        out[key] = value
    return out


class FakeSlack:
    """Start with `start()`; `base_url` is what a WebClient's `base_url` should be."""

    def __init__(self) -> None:
        self.calls: list[Call] = []
        self.uploads: list[bytes] = []
        self.users: dict[str, dict[str, Any]] = {}
        self.channels: dict[str, dict[str, Any]] = {}
        self.ws_url: str | None = None
        self._rate_limit_next = 0
        self._fail: dict[str, str] = {}
        self._ts = itertools.count(1)
        self._lock = threading.Lock()
        self._cond = threading.Condition(self._lock)
        self._server: ThreadingHTTPServer | None = None

    # --- control -------------------------------------------------------------------------------
    def start(self) -> FakeSlack:
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args: Any) -> None:  # keep test output quiet
                pass

            def do_POST(self) -> None:  # noqa: N802
                fake._handle(self)

            def do_GET(self) -> None:  # noqa: N802
                fake._handle(self)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server:
            self._server.shutdown()
            self._server.server_close()

    @property
    def port(self) -> int:
        assert self._server
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api/"

    @property
    def response_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/respond/T0001/123/abc"

    def rate_limit(self, n: int) -> None:
        """Answer the next `n` API calls with HTTP 429 and Retry-After: 0."""
        with self._lock:
            self._rate_limit_next = n

    def fail(self, method: str, error: str) -> None:
        """Answer `method` with {"ok": false, "error": error} from now on."""
        self._fail[method] = error

    # --- inspection ----------------------------------------------------------------------------
    def calls_to(self, method: str) -> list[Call]:
        with self._lock:
            return [c for c in self.calls if c.method == method]

    def wait_for(self, method: str, count: int = 1, timeout: float = 10.0, where=None) -> list[Call]:
        """Block until `count` calls to `method` (matching `where`) arrived; fail the test otherwise."""
        deadline = time.time() + timeout
        with self._cond:
            while True:
                found = [c for c in self.calls if c.method == method and (where is None or where(c))]
                if len(found) >= count:
                    return found
                left = deadline - time.time()
                if left <= 0:
                    seen = [c.method for c in self.calls]
                    raise AssertionError(f"expected {count} x {method}, saw {len(found)}; calls: {seen}")
                self._cond.wait(left)

    def settle(self, quiet: float = 0.3, timeout: float = 5.0) -> None:
        """Wait until no call arrived for `quiet` seconds (background work finished)."""
        deadline = time.time() + timeout
        while time.time() < deadline:
            with self._lock:
                last = self.calls[-1].at if self.calls else 0
            if time.time() - last >= quiet:
                return
            time.sleep(0.05)

    # --- serving -------------------------------------------------------------------------------
    def _handle(self, req: BaseHTTPRequestHandler) -> None:
        parsed = urlparse(req.path)
        length = int(req.headers.get("Content-Length") or 0)
        raw = req.rfile.read(length) if length else b""
        if parsed.path.startswith("/upload/"):
            self.uploads.append(raw)
            self._send(req, 200, {"ok": True}, raw_text="OK - " + str(len(raw)))
            return
        # response_url posts (slash commands, buttons) are recorded as "respond"
        method = "respond" if parsed.path.startswith("/respond") else parsed.path.removeprefix("/api/")
        ctype = req.headers.get("Content-Type", "")
        if "json" in ctype and raw:
            body = json.loads(raw)
        else:
            body = _flatten(parse_qs(raw.decode("utf-8"))) if raw else {}
            body.update(_flatten(parse_qs(parsed.query)))
        headers = {k.lower(): v for k, v in req.headers.items()}
        with self._cond:
            limited = self._rate_limit_next > 0
            if limited:
                self._rate_limit_next -= 1
            self.calls.append(Call(method + (" [429]" if limited else ""), body, headers))
            self._cond.notify_all()
        if limited:
            self._send(req, 429, {"ok": False, "error": "ratelimited"}, extra={"Retry-After": "0"})
            return
        if method in self._fail:
            self._send(req, 200, {"ok": False, "error": self._fail[method]})
            return
        self._send(req, 200, self._answer(method, body))

    def _send(self, req, status: int, payload: dict, extra: dict | None = None, raw_text: str | None = None):
        data = (raw_text or json.dumps(payload)).encode()
        req.send_response(status)
        req.send_header("Content-Type", "text/plain" if raw_text else "application/json; charset=utf-8")
        req.send_header("Content-Length", str(len(data)))
        for k, v in (extra or {}).items():
            req.send_header(k, v)
        req.end_headers()
        req.wfile.write(data)

    def _next_ts(self) -> str:
        return f"{1700000000 + next(self._ts)}.000100"

    def _answer(self, method: str, body: dict) -> dict:
        ok = {"ok": True}
        if method == "auth.test":
            return ok | {
                "user_id": BOT_USER,
                "bot_id": "BBOT",
                "team_id": TEAM,
                "user": "pmo",
                "team": "Test",
            }
        if method in ("chat.postMessage", "chat.update"):
            ts = body.get("ts") or self._next_ts()
            return ok | {
                "channel": body.get("channel"),
                "ts": ts,
                "message": {"text": body.get("text"), "ts": ts},
            }
        if method == "chat.postEphemeral":
            return ok | {"message_ts": self._next_ts()}
        if method == "chat.getPermalink":
            ts = str(body.get("message_ts", "")).replace(".", "")
            return ok | {
                "channel": body.get("channel"),
                "permalink": f"https://test.slack.com/archives/{body.get('channel')}/p{ts}",
            }
        if method in ("views.open", "views.update", "views.push", "views.publish"):
            view = body.get("view") or {}
            return ok | {
                "view": {"id": "V" + str(next(self._ts)), **(view if isinstance(view, dict) else {})}
            }
        if method == "users.info":
            uid = body.get("user")
            user = self.users.get(uid, {"id": uid, "name": uid, "real_name": f"User {uid}"})
            return ok | {"user": user}
        if method == "conversations.info":
            cid = body.get("channel")
            return ok | {
                "channel": self.channels.get(
                    cid, {"id": cid, "name": cid.lower(), "is_im": cid.startswith("D")}
                )
            }
        if method == "conversations.open":
            return ok | {"channel": {"id": "D" + str(body.get("users", "U"))}}
        if method == "conversations.replies":
            return ok | {"messages": []}
        if method == "apps.connections.open":
            return ok | {"url": self.ws_url or "ws://127.0.0.1:9/"}
        if method == "files.getUploadURLExternal":
            fid = f"F{next(self._ts)}"
            return ok | {"upload_url": f"http://127.0.0.1:{self.port}/upload/{fid}", "file_id": fid}
        if method == "files.completeUploadExternal":
            files = body.get("files") or []
            if isinstance(files, str):
                files = json.loads(files)
            return ok | {"files": [{"id": f.get("id"), "title": f.get("title")} for f in files]}
        return ok
