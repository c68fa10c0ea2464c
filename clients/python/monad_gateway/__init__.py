"""Python client of the Monad execution events gateway: WebSocket frames as typed dataclasses,
resume across reconnects without loss or duplicates, gap notices, and REST helpers.

See clients/python/README.md; the protocol itself is gateway/docs/wire-protocol.md.
"""

from ._version import __version__
from .backoff import Backoff
from .bodies import (AccountAccessCount, BlockLifecycleSummary, ContendedSlot, ContentionData, ContentionSchedule,
                     ContractContention, ContractEdge, DropStats, ExecEvent, HealthResponse, Hello, LifecycleUpdate,
                     ProtocolError, Resume, RingStatus, ServerLimits, ServerWarning, StatusResponse,
                     StorageAccessCount, TopAccesses, TpsResponse)
from .channels import CHANNEL_DEFAULTS, CHANNEL_PATHS, CHANNELS, EVENT_NAMES, META_ITEMS
from .client import Disconnected, GatewayClient, Reconnecting
from .errors import ClientClosed, DecodeError, GatewayError, HandshakeRejected, ReconnectFailed, RestError
from .feed import FrameStream
from .frames import (AnyFrame, ContentionFrame, ErrorFrame, EventsFrame, Frame, HelloFrame, LifecycleFrame, ResumeFrame,
                     TopAccessesFrame, TpsFrame, UnknownFrame, WarningFrame, parse_frame)
from .gaps import Gap
from .rest import AsyncRestClient, RestClient
from .subscription import Range, Subscription, filter_spec, subscription

__all__ = [
    "__version__", "GatewayClient", "Disconnected", "Reconnecting", "Backoff", "FrameStream", "Gap",
    "RestClient", "AsyncRestClient", "Subscription", "subscription", "filter_spec", "Range",
    "CHANNELS", "CHANNEL_PATHS", "CHANNEL_DEFAULTS", "EVENT_NAMES", "META_ITEMS",
    "Frame", "AnyFrame", "HelloFrame", "ResumeFrame", "EventsFrame", "TpsFrame", "ContentionFrame",
    "TopAccessesFrame", "LifecycleFrame", "WarningFrame", "ErrorFrame", "UnknownFrame", "parse_frame",
    "Hello", "ServerLimits", "Resume", "ExecEvent", "ContentionData", "ContendedSlot", "ContractContention",
    "ContractEdge", "ContentionSchedule", "TopAccesses", "AccountAccessCount", "StorageAccessCount",
    "LifecycleUpdate", "ServerWarning", "ProtocolError", "TpsResponse", "StatusResponse", "DropStats",
    "RingStatus", "BlockLifecycleSummary", "HealthResponse",
    "GatewayError", "DecodeError", "RestError", "HandshakeRejected", "ReconnectFailed", "ClientClosed",
]
