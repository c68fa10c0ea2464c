"""Subscriptions: what a connection receives, as the gateway's JSON (a list, or a dict with filters).

The gateway validates subscriptions itself and answers precisely (an Error frame, or HTTP 400 for
?subscribe=), so this module only checks the outer shape, to fail at the call that built a wrong
value rather than at a later reconnect, and offers builders for the common cases.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Iterable, Optional, Sequence, Union

# A simple list of items, or {"events": [...], "filters"?: [...], "min_stage"?: stage}.
Subscription = Union[list[str], dict[str, Any]]

# Error codes with which the gateway rejects a subscribe message (the subscription is unchanged).
SUBSCRIBE_ERROR_CODES = frozenset({"invalid_json", "invalid_message", "invalid_subscribe", "unknown_event",
                                   "invalid_filter", "rate_limited", "message_too_large"})


@dataclass(frozen=True)
class Range:
    """An inclusive numeric range for txn_index, log_index and depth filters; None = unbounded."""

    min: Optional[int] = None
    max: Optional[int] = None

    def to_json(self) -> dict[str, int]:
        return {k: v for k, v in (("min", self.min), ("max", self.max)) if v is not None}


def subscription(events: Iterable[str], *, filters: Optional[Sequence[dict[str, Any]]] = None,
                 min_stage: Optional[str] = None) -> dict[str, Any]:
    """An advanced subscription: events (and meta items), optional filters, optional min_stage."""
    sub: dict[str, Any] = {"events": list(events)}
    if filters:
        sub["filters"] = list(filters)
    if min_stage is not None:
        sub["min_stage"] = min_stage
    return sub


def filter_spec(event_name: str, **fields: Union[Range, Sequence[str], dict[str, Any]]) -> dict[str, Any]:
    """A filter spec on one event type; its field filters are ANDed.

    filter_spec("TxnLog", address=["0xdac1..."], topics=["0xddf2..."], log_index=Range(max=0))
    A Range becomes {"min","max"}; a sequence of strings becomes {"values": [...]} (exact match for
    addresses, prefix match for topics); a dict is passed through as the filter.
    """
    field_filters = []
    for name, cond in fields.items():
        if isinstance(cond, Range):
            f: Any = cond.to_json()
        elif isinstance(cond, dict):
            f = cond
        elif isinstance(cond, (list, tuple)):
            f = {"values": list(cond)}
        else:
            raise TypeError(f"filter on {name!r}: expected Range, list of values or dict, got {cond!r}")
        field_filters.append({"field": name, "filter": f})
    return {"event_name": event_name, "field_filters": field_filters}


def normalize(sub: Subscription) -> Subscription:
    """Checks the outer shape and returns a copy the caller cannot mutate behind the client's back."""
    if isinstance(sub, (list, tuple)):
        if not all(isinstance(x, str) for x in sub):
            raise TypeError("a simple subscription is a list of event names and meta items")
        return list(sub)
    if isinstance(sub, dict):
        if not isinstance(sub.get("events"), (list, tuple)):
            raise TypeError('an advanced subscription is a dict with an "events" list')
        copy: dict[str, Any] = json.loads(json.dumps(sub))  # deep, and JSON-only values
        return copy
    raise TypeError(f"a subscription is a list or a dict, got {type(sub).__name__}")


def encode(sub: Subscription) -> str:
    return json.dumps(sub, separators=(",", ":"))
