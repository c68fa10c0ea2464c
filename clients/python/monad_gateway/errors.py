"""Exceptions raised by the client, each carrying what the gateway said when it said something."""

from __future__ import annotations

from typing import Any, Optional


class GatewayError(Exception):
    """Base class of every error this package raises on purpose."""


class DecodeError(GatewayError, ValueError):
    """A JSON value does not have the shape the wire protocol describes."""


class RestError(GatewayError):
    """A REST call answered with a 4xx/5xx status. `message` is the body's "error" text.

    The gateway's RestError body is {"error": str, "code"?: str, "valid"?: [str]}; anything else
    (a proxy's HTML page, say) is kept in `body` as text.
    """

    def __init__(self, status: int, message: str, code: Optional[str] = None,
                 valid: Optional[list[str]] = None, body: Any = None) -> None:
        super().__init__(f"HTTP {status}: {message}" + (f" ({code})" if code else ""))
        self.status = status
        self.message = message
        self.code = code
        self.valid = valid
        self.body = body

    @classmethod
    def from_body(cls, status: int, body: Any) -> "RestError":
        if isinstance(body, dict) and isinstance(body.get("error"), str):
            valid = body.get("valid")
            return cls(status, body["error"], body.get("code"), valid if isinstance(valid, list) else None, body)
        return cls(status, str(body) if body not in (None, "") else "no body", None, None, body)


class HandshakeRejected(RestError):
    """The gateway refused the WebSocket upgrade with an HTTP status (400 for a bad ?subscribe= or
    ?resume_from=, 429 for too many connections from this IP)."""

    @property
    def retryable(self) -> bool:
        # 429 and 5xx may pass later; any other 4xx is about the request itself and never will.
        return self.status == 429 or self.status >= 500


class ReconnectFailed(GatewayError):
    """The client gave up after `max_reconnect_attempts` consecutive failed attempts."""

    def __init__(self, attempts: int, last_error: Optional[BaseException]) -> None:
        super().__init__(f"gave up after {attempts} reconnect attempts; last error: {last_error!r}")
        self.attempts = attempts
        self.last_error = last_error


class ClientClosed(GatewayError):
    """The client was closed (by close()) before the operation could complete."""
