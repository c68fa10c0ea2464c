"""What the tests share: the gateway URLs the vitest wrapper passes in, and a frame recorder.

gateway/test/python-client.test.ts starts a simulator ring and gateways, then runs each test case
with these variables set; run by hand, set them yourself (tests that need one skip without it):
  MONAD_GATEWAY_URL          a gateway on a live ring, e.g. ws://127.0.0.1:8443
  MONAD_GATEWAY_RESTART_URL  a gateway (behind a TCP proxy) that the control endpoint restarts
  MONAD_GATEWAY_CONTROL_URL  POST <url>/restart restarts it and answers once the new one listens
"""

from __future__ import annotations

import asyncio
import os
import time
import unittest
import urllib.request
from typing import Any, Callable, Optional

from monad_gateway import Frame, GatewayClient, Gap

GATEWAY_URL = os.environ.get("MONAD_GATEWAY_URL")
RESTART_URL = os.environ.get("MONAD_GATEWAY_RESTART_URL")
CONTROL_URL = os.environ.get("MONAD_GATEWAY_CONTROL_URL")

needs_gateway = unittest.skipUnless(GATEWAY_URL, "MONAD_GATEWAY_URL is not set")
needs_restartable = unittest.skipUnless(RESTART_URL and CONTROL_URL,
                                        "MONAD_GATEWAY_RESTART_URL / MONAD_GATEWAY_CONTROL_URL are not set")


def restart_gateway() -> None:
    """Asks the wrapper to restart the restartable gateway; returns once the new one listens."""
    req = urllib.request.Request(f"{CONTROL_URL}/restart", method="POST")
    with urllib.request.urlopen(req, timeout=30) as res:
        res.read()


class Recorder:
    """Everything a client delivers (frames and Gap notices), collected by a background task."""

    def __init__(self, client: GatewayClient) -> None:
        self.client = client
        self.items: list[Any] = []
        self._changed = asyncio.Event()
        self._stream = client.frames()
        self._task = asyncio.get_running_loop().create_task(self._collect())

    async def _collect(self) -> None:
        try:
            async for item in self._stream:
                self.items.append(item)
                self._changed.set()
        finally:
            self._changed.set()

    def frames(self, cls: type = Frame) -> list[Any]:
        return [x for x in self.items if isinstance(x, cls)]

    def stream(self) -> list[Frame]:
        """Stream frames (Events, TPS, ContentionData, TopAccesses, Lifecycle) in arrival order."""
        return [x for x in self.items if isinstance(x, Frame) and x.STREAM]

    def gaps(self) -> list[Gap]:
        return [x for x in self.items if isinstance(x, Gap)]

    async def wait_for(self, pred: Callable[[], bool], timeout: float = 15.0, what: str = "condition") -> None:
        deadline = time.monotonic() + timeout
        while not pred():
            if self._task.done():
                self._task.result()  # raises what ended the client
                raise AssertionError(f"the client ended before {what}")
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"timed out after {timeout}s waiting for {what}; "
                                     f"got {len(self.items)} items, last: {self.items[-3:]!r:.600}")
            self._changed.clear()
            try:
                await asyncio.wait_for(self._changed.wait(), min(left, 0.5))
            except asyncio.TimeoutError:
                pass

    async def stop(self) -> None:
        await self.client.close()
        await asyncio.wait_for(self._task, 10)


class GatewayTestCase(unittest.IsolatedAsyncioTestCase):
    """Closes every client a test opened, even when the test failed."""

    async def asyncSetUp(self) -> None:
        self._recorders: list[Recorder] = []

    async def asyncTearDown(self) -> None:
        for r in self._recorders:
            try:
                await r.stop()
            except Exception:
                pass

    def record(self, url: Optional[str] = None, **kwargs: Any) -> Recorder:
        r = Recorder(GatewayClient(url or GATEWAY_URL, **kwargs))
        self._recorders.append(r)
        return r
