"""The JSON objects of the wire protocol (frame bodies and REST bodies) as dataclasses.

Field names and meanings are those of gateway/docs/wire-protocol.md; see there for each field.
Integers stay exact Python ints (timestamp_ns and seqnos exceed 2^53). Every class keeps keys it does
not know in `extra`, because servers may add keys at any time. Fields the Rust gateway (whose clients
this protocol stays compatible with) does not send are optional, so this client reads both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Optional


# --- Hello / Resume -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ServerLimits:
    resume_buffer_size: int
    client_send_buffer: int
    slow_client_drop_limit: int
    heartbeat_interval_secs: int
    heartbeat_timeout_secs: int
    max_message_bytes: Optional[int] = None
    max_subscribes_per_minute: Optional[int] = None
    max_connections_per_ip: Optional[int] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Hello:
    """First frame of every connection: server identity, limits and the subscription in effect."""

    wire_version: int
    server_version: str
    features: list[str]
    limits: ServerLimits
    epoch: Optional[str] = None
    channel: Optional[str] = None
    subscription: Optional[dict[str, Any]] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class Resume:
    """Second frame: mode "resume" (missed frames follow) or "snapshot" (current state follows).

    `reason` (snapshot only): no_cursor, cursor_too_old, cursor_in_future, epoch_mismatch, buffer_empty.
    """

    mode: str
    epoch: Optional[str] = None
    oldest_seqno: Optional[int] = None
    newest_seqno: Optional[int] = None
    resume_from: Optional[int] = None
    reason: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- Events ---------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ExecEvent:
    """One execution event: a typed envelope around the payload, a dict tagged by payload["type"]."""

    event_name: str
    payload: dict[str, Any]
    seqno: int
    timestamp_ns: int
    block_number: Optional[int] = None
    txn_idx: Optional[int] = None
    txn_hash: Optional[str] = None
    commit_stage: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- ContentionData -------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ContendedSlot:
    address: str
    slot: str
    txn_count: int
    access_count: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContractContention:
    address: str
    total_slots: int
    contended_slots: int
    total_accesses: int
    contention_score: float
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContractEdge:
    contract_a: str
    contract_b: str
    shared_txn_count: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentionSchedule:
    """Greedy conflict-free batch schedule of the block. ideal_speedup is keyed "2", "4", "8", "16"."""

    batch_count: int
    critical_path_length: int
    critical_path_gas: int
    total_gas: int
    conflict_edges: int
    ideal_speedup: dict[str, float]
    batches: list[int]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class ContentionData:
    block_number: int
    block_wall_time_ns: int
    total_tx_time_ns: int
    parallel_efficiency_pct: float
    total_unique_slots: int
    contended_slot_count: int
    contention_ratio: float
    total_txn_count: int
    top_contended_slots: list[ContendedSlot]
    top_contended_contracts: list[ContractContention]
    contract_edges: list[ContractEdge]
    total_evm_time_ns: Optional[int] = None
    schedule: Optional[ContentionSchedule] = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- TopAccesses / Lifecycle ----------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class AccountAccessCount:
    key: str
    count: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class StorageAccessCount:
    key: tuple[str, str]  # (address, slot)
    count: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class TopAccesses:
    account: list[AccountAccessCount]
    storage: list[StorageAccessCount]
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class LifecycleUpdate:
    """A block moved to a new commit stage (BlockLifecycleUpdate on the wire)."""

    block_hash: str
    block_number: int
    to_stage: str
    block_age_ms: float
    txn_count: int
    from_stage: Optional[str] = None
    time_in_previous_stage_ms: Optional[float] = None
    gas_used: Optional[int] = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- Warning / Error ------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class ServerWarning:
    """The protocol's Warning (renamed: `Warning` is a Python builtin): a non-fatal notice.

    `type` selects which fields are set:

    backpressure: dropped, total_dropped, drop_limit, first_dropped_seqno, last_dropped_seqno;
    ring_gap / payload_expired: lost_events, message; writer_gone / writer_back: message.
    Unknown types must be ignored (the protocol adds them without a version bump).
    """

    type: str
    dropped: Optional[int] = None
    total_dropped: Optional[int] = None
    drop_limit: Optional[int] = None
    first_dropped_seqno: Optional[int] = None
    last_dropped_seqno: Optional[int] = None
    lost_events: Optional[int] = None
    message: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class ProtocolError:
    """Why the last client message was rejected; the previous subscription stays in effect."""

    code: str
    message: str
    valid: Optional[list[str]] = None
    path: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)


# --- REST -----------------------------------------------------------------------------------------


@dataclass(frozen=True, kw_only=True, slots=True)
class TpsResponse:
    tps: int
    tps_exact: Optional[float] = None
    window_blocks: Optional[float] = None
    block_interval_ms: Optional[float] = None
    block_number: Optional[int] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class DropStats:
    frames: int
    clients_disconnected: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class RingStatus:
    path: str
    writer_pid: int
    writer_alive: bool
    lag_events: int
    last_seqno: int
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class StatusResponse:
    status: str
    block_number: int
    connected_clients: int
    uptime_secs: int
    last_event_age_secs: float
    server_seqno: int
    oldest_seqno: int
    newest_seqno: int
    epoch: Optional[str] = None
    drops: Optional[DropStats] = None
    ring: Optional[RingStatus] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class BlockLifecycleSummary:
    block_hash: str
    block_number: int
    current_stage: str
    txn_count: int
    stage_timings_ms: dict[str, float]
    gas_used: Optional[int] = None
    eth_block_hash: Optional[str] = None
    execution_time_ms: Optional[float] = None
    total_age_ms: Optional[float] = None
    extra: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True, kw_only=True, slots=True)
class HealthResponse:
    success: bool
    status: Optional[str] = None
    reason: Optional[str] = None
    extra: dict[str, Any] = field(default_factory=dict)
