"""URLs of a gateway: the WebSocket route of a channel with its query, and the REST base."""

from __future__ import annotations

from typing import Mapping
from urllib.parse import urlencode, urlsplit, urlunsplit

from .channels import channel_path

_WS = {"ws": "ws", "wss": "wss", "http": "ws", "https": "wss"}
_HTTP = {"ws": "http", "wss": "https", "http": "http", "https": "https"}


def _split(base: str, schemes: Mapping[str, str]) -> tuple[str, str, str]:
    parts = urlsplit(base)
    if parts.scheme not in schemes or not parts.netloc:
        raise ValueError(f"not a gateway URL (ws://, wss://, http:// or https://host:port): {base!r}")
    # A path prefix is kept, for a gateway served under a reverse proxy's sub-path.
    return schemes[parts.scheme], parts.netloc, parts.path.rstrip("/")


def ws_url(base: str, channel: str, query: Mapping[str, str] | None = None) -> str:
    scheme, netloc, prefix = _split(base, _WS)
    return str(urlunsplit((scheme, netloc, prefix + channel_path(channel), urlencode(query or {}), "")))


def http_base(base: str) -> str:
    scheme, netloc, prefix = _split(base, _HTTP)
    return str(urlunsplit((scheme, netloc, prefix, "", "")))
