"""Callbacks by name, sync or async. A failing callback is logged, not propagated: one bad handler
must not tear down the connection every other handler and iterator depends on."""

from __future__ import annotations

import inspect
import logging
from collections import defaultdict
from typing import Any, Callable, Optional

log = logging.getLogger("monad_gateway")

CALLBACK_KINDS = frozenset({
    "frame",         # every frame delivered (after deduplication), any kind
    "hello", "resume", "events", "tps", "contention", "top_accesses", "lifecycle", "warning", "error",
    "unknown",       # a frame kind this client does not know
    "event",         # each ExecEvent of an Events frame
    "gap",           # a Gap notice: data this client will not receive
    "disconnected",  # Disconnected(code, reason, will_reconnect)
    "reconnecting",  # Reconnecting(attempt, delay, error)
})

Handler = Callable[..., Any]


class Emitter:
    def __init__(self) -> None:
        self._handlers: dict[str, list[Handler]] = defaultdict(list)

    def on(self, kind: str, handler: Optional[Handler] = None) -> Any:
        """Registers `handler` for `kind`; without a handler, returns a decorator."""
        if kind not in CALLBACK_KINDS:
            raise ValueError(f"unknown callback kind {kind!r}; valid: {', '.join(sorted(CALLBACK_KINDS))}")
        if handler is None:
            return lambda h: self.on(kind, h)
        self._handlers[kind].append(handler)
        return handler

    def off(self, kind: str, handler: Handler) -> None:
        if handler in self._handlers.get(kind, ()):
            self._handlers[kind].remove(handler)

    def has(self, kind: str) -> bool:
        return bool(self._handlers.get(kind))

    async def emit(self, kind: str, *args: Any) -> None:
        for h in list(self._handlers.get(kind, ())):
            try:
                result = h(*args)
                if inspect.isawaitable(result):
                    await result
            except Exception:
                log.exception("%s callback %r failed", kind, h)
