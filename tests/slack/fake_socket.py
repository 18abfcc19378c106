"""A fake Socket Mode endpoint: a websocket on loopback that sends envelopes and collects the acks."""

from __future__ import annotations

import json
import queue
import threading
import time
from typing import Any

from websockets.sync.server import ServerConnection, serve


class FakeSocketMode:
    def __init__(self) -> None:
        self.acks: list[dict[str, Any]] = []
        self.connected = threading.Event()
        self._outbox: queue.Queue[dict] = queue.Queue()
        self._server = serve(self._session, "127.0.0.1", 0)
        threading.Thread(target=self._server.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"ws://127.0.0.1:{self._server.socket.getsockname()[1]}/link"

    def send(self, envelope: dict) -> None:
        self._outbox.put(envelope)

    def wait_ack(self, envelope_id: str, timeout: float = 10.0) -> dict:
        deadline = time.time() + timeout
        while time.time() < deadline:
            for ack in list(self.acks):
                if ack.get("envelope_id") == envelope_id:
                    return ack
            time.sleep(0.05)
        raise AssertionError(f"no ack for envelope {envelope_id}; acks: {self.acks}")

    def stop(self) -> None:
        self._server.shutdown()

    def _session(self, ws: ServerConnection) -> None:
        ws.send(
            json.dumps(
                {
                    "type": "hello",
                    "num_connections": 1,
                    "connection_info": {"app_id": "A0001"},
                    "debug_info": {"host": "fake"},
                }
            )
        )
        self.connected.set()
        while True:
            try:
                envelope = self._outbox.get(timeout=0.05)
                ws.send(json.dumps(envelope))
            except queue.Empty:
                pass
            try:
                message = ws.recv(timeout=0.05)
            except TimeoutError:
                continue
            except Exception:  # noqa: BLE001 - the client went away
                return
            try:
                self.acks.append(json.loads(message))
            except ValueError:
                pass
