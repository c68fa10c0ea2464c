"""Server frames: `{"server_seqno": N, "<Kind>": body}` parsed into one dataclass per kind.

Two families behave differently, and the client relies on the difference:
- stream frames (Events, TPS, ContentionData, TopAccesses, Lifecycle) are stored in the gateway's
  resume buffer, replayed on resume, and carry their own seqno: they are deduplicated by it and move
  the resume cursor;
- per-connection frames (Hello, Resume, Warning, Error) are never stored or replayed and only repeat
  the connection's position, so they are always delivered and never move the cursor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, ClassVar, Union, cast

from ._convert import from_json
from .bodies import ContentionData, ExecEvent, Hello, LifecycleUpdate, ProtocolError, Resume, ServerWarning, TopAccesses
from .errors import DecodeError

log = logging.getLogger("monad_gateway")


@dataclass(frozen=True, kw_only=True, slots=True)
class Frame:
    server_seqno: int
    KIND: ClassVar[str] = ""
    STREAM: ClassVar[bool] = False


@dataclass(frozen=True, kw_only=True, slots=True)
class HelloFrame(Frame):
    hello: Hello
    KIND: ClassVar[str] = "Hello"


@dataclass(frozen=True, kw_only=True, slots=True)
class ResumeFrame(Frame):
    resume: Resume
    KIND: ClassVar[str] = "Resume"


@dataclass(frozen=True, kw_only=True, slots=True)
class EventsFrame(Frame):
    events: list[ExecEvent]
    KIND: ClassVar[str] = "Events"
    STREAM: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True, slots=True)
class TpsFrame(Frame):
    tps: int
    KIND: ClassVar[str] = "TPS"
    STREAM: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentionFrame(Frame):
    contention: ContentionData
    KIND: ClassVar[str] = "ContentionData"
    STREAM: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True, slots=True)
class TopAccessesFrame(Frame):
    top_accesses: TopAccesses
    KIND: ClassVar[str] = "TopAccesses"
    STREAM: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True, slots=True)
class LifecycleFrame(Frame):
    lifecycle: LifecycleUpdate
    KIND: ClassVar[str] = "Lifecycle"
    STREAM: ClassVar[bool] = True


@dataclass(frozen=True, kw_only=True, slots=True)
class WarningFrame(Frame):
    warning: ServerWarning
    KIND: ClassVar[str] = "Warning"


@dataclass(frozen=True, kw_only=True, slots=True)
class ErrorFrame(Frame):
    error: ProtocolError
    KIND: ClassVar[str] = "Error"


@dataclass(frozen=True, kw_only=True, slots=True)
class UnknownFrame(Frame):
    """A frame kind this client does not know (or a known kind it could not decode), kept raw.

    The protocol tells clients to ignore unknown kinds; it is delivered rather than swallowed so an
    application can still look. It is not deduplicated and does not move the cursor, since whether
    it is a stream frame is unknown.
    """

    name: str
    body: Any


AnyFrame = Union[HelloFrame, ResumeFrame, EventsFrame, TpsFrame, ContentionFrame, TopAccessesFrame,
                 LifecycleFrame, WarningFrame, ErrorFrame, UnknownFrame]

# kind on the wire -> (frame class, its body field, the body's type)
_ENTRIES: list[tuple[type[Frame], str, Any]] = [
    (HelloFrame, "hello", Hello),
    (ResumeFrame, "resume", Resume),
    (EventsFrame, "events", list[ExecEvent]),
    (TpsFrame, "tps", int),
    (ContentionFrame, "contention", ContentionData),
    (TopAccessesFrame, "top_accesses", TopAccesses),
    (LifecycleFrame, "lifecycle", LifecycleUpdate),
    (WarningFrame, "warning", ServerWarning),
    (ErrorFrame, "error", ProtocolError),
]
_KINDS = {cls.KIND: (cls, name, tp) for cls, name, tp in _ENTRIES}


def parse_frame(obj: Any) -> AnyFrame:
    """Parses one decoded server frame. Raises DecodeError when it is not a frame at all
    (not an object with an integer server_seqno and one other key)."""
    if not isinstance(obj, dict):
        raise DecodeError(f"a frame must be a JSON object, got {type(obj).__name__}")
    seqno = obj.get("server_seqno")
    if not isinstance(seqno, int) or isinstance(seqno, bool):
        raise DecodeError(f"frame without an integer server_seqno: {str(obj)[:120]}")
    kinds = [k for k in obj if k != "server_seqno"]
    if len(kinds) != 1:
        raise DecodeError(f"a frame has exactly one key besides server_seqno, got {kinds}")
    kind = kinds[0]
    body = obj[kind]
    entry = _KINDS.get(kind)
    if entry is None:
        return UnknownFrame(server_seqno=seqno, name=kind, body=body)
    cls, name, tp = entry
    try:
        return cast(AnyFrame, cls(server_seqno=seqno, **{name: from_json(tp, body, f"$.{kind}")}))
    except DecodeError as e:
        # Keep the data rather than drop the frame; the log says what did not match.
        log.warning("could not decode %s frame %d: %s", kind, seqno, e)
        return UnknownFrame(server_seqno=seqno, name=kind, body=body)
