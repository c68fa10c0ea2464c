"""FrameStream: one `async for` consumer of the client's frames, with backpressure.

The client's reader waits while a consumer's queue is full instead of buffering without bound. That
stops it reading the socket, so a consumer slower than the stream makes the gateway drop frames for
this connection and announce them with Warning frames (delivered as backpressure gaps), which is the
protocol's way of handling slow clients, rather than this process growing until it dies.
"""

from __future__ import annotations

import asyncio
from collections import deque
from typing import Any, Callable, Optional


class FrameStream:
    """Async iterator of frames and Gap notices; ends when the client closes, raises if it failed.
    Leaving the loop early is fine: close() (or garbage collection) unblocks the client's reader."""

    def __init__(self, maxsize: int, on_close: Callable[["FrameStream"], None]) -> None:
        self._items: deque[Any] = deque()
        self._maxsize = max(1, maxsize)
        self._readable = asyncio.Event()
        self._writable = asyncio.Event()
        self._writable.set()
        self._ended = False
        self._error: Optional[BaseException] = None
        self._on_close = on_close

    # --- producer side (the client) ---

    async def put(self, item: Any) -> None:
        while len(self._items) >= self._maxsize and not self._ended:
            self._writable.clear()
            await self._writable.wait()
        if self._ended:
            return
        self._items.append(item)
        self._readable.set()

    def end(self, error: Optional[BaseException] = None) -> None:
        """No more items: the consumer gets what is queued, then the end (or `error`)."""
        if not self._ended:
            self._ended = True
            self._error = error
        self._readable.set()
        self._writable.set()

    # --- consumer side ---

    def __aiter__(self) -> "FrameStream":
        return self

    async def __anext__(self) -> Any:
        while not self._items:
            if self._ended:
                self.close()
                if self._error is not None:
                    raise self._error
                raise StopAsyncIteration
            self._readable.clear()
            await self._readable.wait()
        item = self._items.popleft()
        self._writable.set()
        return item

    def close(self) -> None:
        """Stops this consumer: queued items are dropped and the client stops feeding it."""
        self._items.clear()
        self.end()
        self._on_close(self)

    async def __aenter__(self) -> "FrameStream":
        return self

    async def __aexit__(self, *exc: Any) -> None:
        self.close()

    def __del__(self) -> None:
        if not self._ended:
            self._ended = True
            self._on_close(self)
