"""WebSocket channels: the route a client connects to, which sets its initial subscription."""

from __future__ import annotations

CHANNELS = ("all", "blocks", "txs", "contention", "lifecycle")

CHANNEL_PATHS: dict[str, str] = {
    "all": "/v1/ws",
    "blocks": "/v1/ws/blocks",
    "txs": "/v1/ws/txs",
    "contention": "/v1/ws/contention",
    "lifecycle": "/v1/ws/lifecycle",
}

EVENT_NAMES = (
    "RecordError", "BlockStart", "BlockReject", "BlockPerfEvmEnter", "BlockPerfEvmExit", "BlockEnd",
    "BlockQC", "BlockFinalized", "BlockVerified", "TxnHeaderStart", "TxnAccessListEntry",
    "TxnAuthListEntry", "TxnHeaderEnd", "TxnReject", "TxnPerfEvmEnter", "TxnPerfEvmExit",
    "TxnEvmOutput", "TxnLog", "TxnCallFrame", "TxnEnd", "AccountAccessListHeader", "AccountAccess",
    "StorageAccess", "EvmError",
)
META_ITEMS = ("TPS", "ContentionData", "TopAccesses", "Lifecycle")

# What each channel delivers before the client subscribes (the Hello's `subscription` repeats it).
CHANNEL_DEFAULTS: dict[str, tuple[str, ...]] = {
    "all": EVENT_NAMES + META_ITEMS,
    "blocks": ("BlockStart", "BlockEnd", "BlockQC", "BlockFinalized", "BlockVerified", "BlockReject", "TPS", "Lifecycle"),
    "txs": ("TxnHeaderStart", "TxnEvmOutput", "TxnLog", "TxnCallFrame", "TxnEnd", "TxnReject", "NativeTransfer"),
    "contention": ("ContentionData",),
    "lifecycle": ("Lifecycle",),
}


def channel_path(channel: str) -> str:
    try:
        return CHANNEL_PATHS[channel]
    except KeyError:
        raise ValueError(f"unknown channel {channel!r}; valid: {', '.join(CHANNELS)}") from None
