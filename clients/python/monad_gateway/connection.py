"""Opens one WebSocket connection to the gateway, with the options its frames need.

websockets reports a refused upgrade as a bare status code, but the gateway says why in a JSON body
(e.g. which event name in ?subscribe= is unknown). The protocol subclass below reads that body and
raises HandshakeRejected carrying it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any, Optional

from websockets.datastructures import Headers
from websockets.legacy.client import WebSocketClientProtocol, connect

from .errors import HandshakeRejected

# Events frames of a big block and snapshot frames can exceed websockets' 1 MiB default.
MAX_FRAME_BYTES = 64 * 1024 * 1024
_MAX_ERROR_BODY = 64 * 1024


class _GatewayProtocol(WebSocketClientProtocol):
    async def read_http_response(self) -> tuple[int, Headers]:
        status, headers = await super().read_http_response()
        if status != 101 and status not in (301, 302, 303, 307, 308):
            raise HandshakeRejected.from_body(status, await self._read_body(headers))
        return status, headers

    async def _read_body(self, headers: Headers) -> Any:
        try:
            length = min(int(headers.get("Content-Length", "0")), _MAX_ERROR_BODY)
            raw = await asyncio.wait_for(self.reader.readexactly(length), 5) if length else b""
        except (ValueError, asyncio.IncompleteReadError, asyncio.TimeoutError):
            return None
        text = raw.decode("utf-8", "replace")
        try:
            return json.loads(text)
        except ValueError:
            return text


async def open_connection(url: str, *, open_timeout: float, ping_interval: Optional[float] = 20,
                          ping_timeout: Optional[float] = 20) -> WebSocketClientProtocol:
    return await connect(
        url,
        create_protocol=_GatewayProtocol,  # type: ignore[arg-type]  # websockets calls it with keywords only
        open_timeout=open_timeout,
        ping_interval=ping_interval,
        ping_timeout=ping_timeout,
        close_timeout=2,
        max_size=MAX_FRAME_BYTES,
        # The gateway has no compression; not offering it saves a negotiation on every connect.
        compression=None,
    )
