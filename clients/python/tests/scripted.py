"""A scripted stand-in for the gateway, for client behaviour the real one will not produce on
demand (duplicated replays, backpressure warnings, refused upgrades) or only slowly.

Each connection runs `script(conn)`; the script sends frames and may close. Requests (path and
query) and the messages the client sent are recorded per connection.
"""

from __future__ import annotations

import asyncio
import json
from dataclasses import dataclass, field
from http import HTTPStatus
from typing import Any, Awaitable, Callable, Optional
from urllib.parse import parse_qs, urlsplit

import websockets
from websockets.legacy.server import WebSocketServerProtocol

EPOCH = "e0e0e0e0e0e0e0e0"


def hello(seqno: int, epoch: str = EPOCH, channel: str = "all", subscription: Optional[dict] = None) -> dict:
    return {"server_seqno": seqno, "Hello": {
        "wire_version": 1, "server_version": "scripted", "epoch": epoch, "channel": channel,
        "features": ["resume", "epoch"],
        "limits": {"resume_buffer_size": 100, "client_send_buffer": 10, "slow_client_drop_limit": 100,
                   "heartbeat_interval_secs": 30, "heartbeat_timeout_secs": 60},
        "subscription": subscription or {"events": ["TPS"]}}}


def resume(seqno: int, mode: str, newest: int, epoch: str = EPOCH, reason: Optional[str] = None,
           resume_from: Optional[int] = None) -> dict:
    body: dict[str, Any] = {"mode": mode, "epoch": epoch, "oldest_seqno": 1, "newest_seqno": newest}
    if reason:
        body["reason"] = reason
    if resume_from is not None:
        body["resume_from"] = resume_from
    return {"server_seqno": seqno, "Resume": body}


def tps(seqno: int, value: int = 100) -> dict:
    return {"server_seqno": seqno, "TPS": value}


@dataclass
class Conn:
    index: int
    ws: WebSocketServerProtocol
    query: dict[str, str]
    received: list[Any] = field(default_factory=list)

    async def send(self, *frames: dict) -> None:
        for f in frames:
            await self.ws.send(json.dumps(f))

    async def close(self, code: int = 1001, reason: str = "scripted close") -> None:
        await self.ws.close(code, reason)


class ScriptedGateway:
    def __init__(self, script: Callable[[Conn], Awaitable[None]],
                 reject: Optional[Callable[[int, dict[str, str]], Optional[tuple[int, dict]]]] = None) -> None:
        """reject(request_index, query) may answer an upgrade with (status, json_body) instead."""
        self.script = script
        self.reject = reject
        self.requests: list[dict[str, str]] = []
        self.conns: list[Conn] = []
        self.url = ""
        self._server: Any = None

    async def __aenter__(self) -> "ScriptedGateway":
        self._server = await websockets.serve(self._handle, "127.0.0.1", 0, process_request=self._process_request)
        port = self._server.sockets[0].getsockname()[1]
        self.url = f"ws://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self._server.close()
        await self._server.wait_closed()

    async def _process_request(self, path: str, headers: Any) -> Any:
        query = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        self.requests.append(query)
        if self.reject:
            answer = self.reject(len(self.requests) - 1, query)
            if answer is not None:
                status, body = answer
                data = json.dumps(body).encode()
                return HTTPStatus(status), [("Content-Type", "application/json"), ("Content-Length", str(len(data)))], data
        return None

    async def _handle(self, ws: WebSocketServerProtocol, path: str = "") -> None:
        conn = Conn(len(self.conns), ws, self.requests[-1])
        self.conns.append(conn)

        async def read() -> None:
            async for msg in ws:
                conn.received.append(json.loads(msg))

        reader = asyncio.ensure_future(read())
        try:
            await self.script(conn)
            await ws.wait_closed()
        finally:
            reader.cancel()
