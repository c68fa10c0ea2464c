"""GatewayClient: the gateway's frames as a resumable, deduplicated stream with announced gaps.

One background task owns the connection: it connects, reads frames, hands them to callbacks and to
every `frames()` iterator, and on a disconnect reconnects with ?resume_from=<cursor>&epoch=<epoch>
(and ?subscribe=<json>, so the replay is filtered like the live stream), after a jittered
exponential backoff. What the client can no longer get is reported as a Gap (see gaps.py).
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import logging
from dataclasses import dataclass
from typing import Any, Callable, Optional

from websockets.exceptions import ConnectionClosed, WebSocketException
from websockets.legacy.client import WebSocketClientProtocol

from ._version import __version__
from .backoff import Backoff
from .channels import channel_path
from .connection import open_connection
from .cursor import StreamCursor
from .emitter import Emitter, Handler
from .errors import ClientClosed, DecodeError, HandshakeRejected, ReconnectFailed
from .feed import FrameStream
from .frames import (AnyFrame, ContentionFrame, Frame, ErrorFrame, EventsFrame, HelloFrame, LifecycleFrame, ResumeFrame,
                     TopAccessesFrame, TpsFrame, UnknownFrame, WarningFrame, parse_frame)
from .gaps import gap_from_warning
from .rest import AsyncRestClient
from .subscription import SUBSCRIBE_ERROR_CODES, Subscription, encode, normalize
from .urls import http_base, ws_url

log = logging.getLogger("monad_gateway")

# Reverse proxies commonly refuse request lines over 8 KiB (nginx's default buffer; the gateway
# itself takes over 20 KiB). A subscription too long for ?subscribe= is sent as a message right after
# connecting instead: that filters everything but a resume replay, which then comes unfiltered.
MAX_URL_LENGTH = 8000

_CALLBACK_OF = {HelloFrame: "hello", ResumeFrame: "resume", EventsFrame: "events", TpsFrame: "tps",
                ContentionFrame: "contention", TopAccessesFrame: "top_accesses", LifecycleFrame: "lifecycle",
                WarningFrame: "warning", ErrorFrame: "error", UnknownFrame: "unknown"}
_NOTHING = object()


@dataclass(frozen=True)
class Disconnected:
    """A connection ended. code/reason are the WebSocket close code and reason (1006: no close frame;
    1001: the gateway is shutting down; 4008: dropped as a slow client)."""

    code: Optional[int]
    reason: str
    will_reconnect: bool


@dataclass(frozen=True)
class Reconnecting:
    """The client will try to connect again after `delay` seconds; `attempt` counts the failures
    since the last connection that got as far as its Resume frame."""

    attempt: int
    delay: float
    error: Optional[BaseException]


class GatewayClient:
    """A client of one gateway channel.

    client = GatewayClient("ws://localhost:8443", channel="txs", subscribe=["TxnLog"])
    async with client:
        async for item in client.frames():   # frames, and Gap notices
            ...

    Frames are delivered in order, each stream frame once. Per-connection frames (Hello, Resume,
    Warning, Error) are delivered on every connection. Callbacks (on()) and iterators (frames())
    see the same sequence; both may be used together.
    """

    def __init__(self, url: str, *, channel: str = "all", subscribe: Optional[Subscription] = None,
                 reconnect: bool = True, backoff: Optional[Backoff] = None,
                 max_reconnect_attempts: Optional[int] = None, open_timeout: float = 10.0,
                 queue_size: int = 1024, client_name: str = "monad-gateway-python") -> None:
        channel_path(channel)  # fail here, not at the first connection
        http_base(url)
        self.url = url
        self.channel = channel
        self._subscription: Optional[Subscription] = normalize(subscribe) if subscribe is not None else None
        self._reconnect = reconnect
        self._backoff = backoff or Backoff()
        self._max_attempts = max_reconnect_attempts
        self._open_timeout = open_timeout
        self._queue_size = queue_size
        self._client_name = client_name
        self._cursor = StreamCursor()
        self._emitter = Emitter()
        self._streams: set[FrameStream] = set()
        self._ws: Optional[WebSocketClientProtocol] = None
        self._task: Optional[asyncio.Task[None]] = None
        self._closing = False
        self._failure: Optional[BaseException] = None
        # Connections are numbered so that reconnect() can wait for a newer one than it dropped.
        self._session_id = 0
        self._resumed_id = 0  # the last connection that got as far as its Resume frame
        self._state = asyncio.Condition()  # notified when either changes, and when the task ends
        self._done = asyncio.Event()
        self._wake = asyncio.Event()
        self._requested_delay: Optional[float] = None
        self._sub_in_url = False
        self._revert_to: Any = _NOTHING
        self.hello: Optional[HelloFrame] = None
        self.resume: Optional[ResumeFrame] = None
        self.rest = AsyncRestClient(http_base(url))

    # --- state ---

    @property
    def last_seqno(self) -> Optional[int]:
        """The resume cursor: the server_seqno the next connection resumes after."""
        return self._cursor.position

    @property
    def epoch(self) -> Optional[str]:
        return self._cursor.epoch

    @property
    def connected(self) -> bool:
        """Whether a connection is open and past its Resume frame."""
        return self._ws is not None and self._resumed_id == self._session_id

    @property
    def subscription(self) -> Optional[Subscription]:
        """The subscription this client asks for (None: the channel's default)."""
        return normalize(self._subscription) if self._subscription is not None else None

    @property
    def duplicates_dropped(self) -> int:
        return self._cursor.duplicates

    # --- callbacks and iteration ---

    def on(self, kind: str, handler: Optional[Handler] = None) -> Any:
        """Registers a callback (sync or async); usable as a decorator: @client.on("tps").
        Kinds: frame, hello, resume, events, event, tps, contention, top_accesses, lifecycle, warning,
        error, unknown, gap, disconnected, reconnecting."""
        return self._emitter.on(kind, handler)

    def off(self, kind: str, handler: Handler) -> None:
        self._emitter.off(kind, handler)

    def frames(self) -> FrameStream:
        """An async iterator over every frame and Gap from now on; starts the client if needed.
        Create it before connect() to see the first Hello and Resume."""
        stream = FrameStream(self._queue_size, self._streams.discard)
        if self._done.is_set():
            stream.end(self._failure)
        else:
            self._streams.add(stream)
            self.start()
        return stream

    # --- lifecycle ---

    def start(self) -> None:
        """Starts the background connection task (idempotent) without waiting for it."""
        if self._task is None:
            self._task = asyncio.get_running_loop().create_task(self._run(), name=f"monad-gateway {self.channel}")

    async def connect(self) -> ResumeFrame:
        """Starts the client and waits for its connection's Resume frame. Raises HandshakeRejected
        when the gateway refuses the request itself (e.g. a bad subscription), ReconnectFailed when
        max_reconnect_attempts ran out. Wrap in asyncio.wait_for to bound the wait."""
        self.start()
        return await self._wait_resumed(lambda: self.connected)

    async def run(self) -> None:
        """Runs until close(); raises what ended the client otherwise. For callback-only use."""
        self.start()
        await self._done.wait()
        if self._failure is not None:
            raise self._failure

    async def subscribe(self, sub: Subscription) -> None:
        """Replaces the subscription now (and for every reconnect). If the gateway rejects it, an
        Error frame is delivered and the previous subscription is kept, here as on the gateway."""
        spec = normalize(sub)
        previous = self._subscription
        self._subscription = spec
        ws = self._ws
        if ws is None or not ws.open:
            return  # the next connection asks for it in its URL
        self._revert_to = previous
        try:
            await ws.send(json.dumps({"subscribe": spec}))
        except ConnectionClosed:
            pass  # the reconnect carries it

    async def reconnect(self, delay: float = 0.0) -> ResumeFrame:
        """Drops the connection, reconnects after `delay` seconds with the cursor, and returns the new
        connection's Resume frame (mode "resume" when nothing was lost)."""
        self.start()
        dropped = self._session_id
        ws = self._ws
        if ws is not None:
            self._requested_delay = delay
            await ws.close(1000, "client reconnecting")
        return await self._wait_resumed(lambda: self.connected and self._session_id > dropped)

    async def close(self) -> None:
        """Closes the connection and stops reconnecting; iterators end after what they hold."""
        self._closing = True
        self._wake.set()
        for stream in list(self._streams):
            stream.end()
        ws = self._ws
        if ws is not None:
            await ws.close(1000, "client closed")
        task = self._task
        if task is not None and task is not asyncio.current_task():
            await asyncio.wait([task])

    async def __aenter__(self) -> "GatewayClient":
        # Only starts: a frames() iterator created in the body still sees the first frames.
        self.start()
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.close()

    # --- the connection task ---

    def _url(self) -> str:
        query = self._cursor.resume_query()
        self._sub_in_url = False
        if self._subscription is not None:
            with_sub = ws_url(self.url, self.channel, {**query, "subscribe": encode(self._subscription)})
            if len(with_sub) <= MAX_URL_LENGTH:
                self._sub_in_url = True
                return with_sub
        return ws_url(self.url, self.channel, query)

    async def _run(self) -> None:
        failures = 0
        try:
            while not self._closing:
                asked_from = self._cursor.position
                error: Optional[BaseException] = None
                try:
                    ws = await open_connection(self._url(), open_timeout=self._open_timeout)
                except HandshakeRejected as e:
                    if not e.retryable:
                        raise
                    error = e
                except (OSError, asyncio.TimeoutError, WebSocketException) as e:
                    error = e
                else:
                    if await self._session(ws, asked_from):
                        failures = 0
                if self._closing:
                    break
                delay, self._requested_delay = self._requested_delay, None
                if delay is None:
                    if not self._reconnect:
                        break
                    failures += 1
                    if self._max_attempts is not None and failures > self._max_attempts:
                        raise ReconnectFailed(failures - 1, error)
                    delay = self._backoff.delay(failures)
                await self._emitter.emit("reconnecting", Reconnecting(failures, delay, error))
                await self._sleep(delay)
        except Exception as e:
            self._failure = e
        finally:
            self._done.set()
            await self._notify()
            for stream in list(self._streams):
                stream.end(self._failure)

    async def _session(self, ws: WebSocketClientProtocol, asked_from: Optional[int]) -> bool:
        """Reads one connection to its end; True when it got as far as its Resume frame."""
        self._ws = ws
        self._session_id += 1
        self._revert_to = _NOTHING
        resumed = False
        try:
            # A failed send must not skip the reading: frames the gateway sent before closing are
            # still queued, and they are data the cursor must account for.
            with contextlib.suppress(ConnectionClosed):
                await ws.send(json.dumps({"hello": {"wire_version": 1, "client_name": self._client_name,
                                                    "client_version": __version__}}))
                if self._subscription is not None and not self._sub_in_url:
                    await ws.send(json.dumps({"subscribe": self._subscription}))
            async for text in ws:
                try:
                    frame = parse_frame(json.loads(text))
                except (ValueError, DecodeError) as e:
                    log.warning("ignoring a message that is not a frame: %s", e)
                    continue
                resumed = resumed or isinstance(frame, ResumeFrame)
                await self._handle(frame, asked_from)
        except ConnectionClosed:
            pass
        finally:
            self._ws = None
            await self._notify()
            await ws.close()
            will = not self._closing and (self._reconnect or self._requested_delay is not None)
            await self._emitter.emit("disconnected", Disconnected(ws.close_code, ws.close_reason or "", will))
        return resumed

    async def _handle(self, frame: AnyFrame, asked_from: Optional[int]) -> None:
        if isinstance(frame, HelloFrame):
            self.hello = frame
        elif isinstance(frame, ResumeFrame):
            self.resume = frame
            gap = self._cursor.on_resume(frame, asked_from)
            await self._deliver(frame)
            if gap is not None:
                await self._deliver(gap)
            self._resumed_id = self._session_id
            await self._notify()
            return
        elif not self._cursor.accept(frame):
            return  # a stream frame seen before
        elif isinstance(frame, ErrorFrame) and frame.error.code in SUBSCRIBE_ERROR_CODES and self._revert_to is not _NOTHING:
            # The gateway kept the previous subscription; so must the reconnect URL.
            self._subscription, self._revert_to = self._revert_to, _NOTHING
        await self._deliver(frame)
        if isinstance(frame, WarningFrame):
            gap = gap_from_warning(frame)
            if gap is not None:
                await self._deliver(gap)

    async def _deliver(self, item: Any) -> None:
        if isinstance(item, Frame):
            await self._emitter.emit("frame", item)
            await self._emitter.emit(_CALLBACK_OF[type(item)], item)
            if isinstance(item, EventsFrame) and self._emitter.has("event"):
                for event in item.events:
                    await self._emitter.emit("event", event)
        else:
            await self._emitter.emit("gap", item)
        for stream in list(self._streams):
            await stream.put(item)

    async def _sleep(self, seconds: float) -> None:
        self._wake.clear()
        if self._closing:
            return
        try:
            await asyncio.wait_for(self._wake.wait(), seconds)
        except asyncio.TimeoutError:
            pass

    async def _notify(self) -> None:
        async with self._state:
            self._state.notify_all()

    async def _wait_resumed(self, ready: Callable[[], bool]) -> ResumeFrame:
        async with self._state:
            await self._state.wait_for(lambda: ready() or self._done.is_set())
        if ready() and self.resume is not None:
            return self.resume
        if self._failure is not None:
            raise self._failure
        raise ClientClosed("the client was closed before it connected")
