// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Metric} from "./SLA.sol";

/// @notice An agent's measurement of one stream over one measurement window.
/// @param windowStart the window's start: the stream's start plus a multiple of the SLA window
struct MetricReport {
    uint256 streamId;
    uint40 windowStart;
    uint32 latencyMs;
    uint32 uptimeBps;
    uint32 errorRateBps;
    uint32 jitterMs;
}

/// @notice A report signed by an agent (EIP-712), which anyone may relay.
/// @param nonce any number the agent has not used before (unordered: relays may land in any order)
/// @param deadline the last timestamp at which the report is accepted
struct SignedReport {
    MetricReport report;
    uint256 nonce;
    uint256 deadline;
    bytes signature;
}

/// @notice A recorded SLA breach: one per (stream, window, metric). Packed in two slots.
/// @param tier 1-3; 3 is severe
/// @param value the reported value that breached
/// @param reporter the agent whose report (direct or signed) recorded it
struct Breach {
    uint256 streamId;
    uint40 windowStart;
    Metric metric;
    uint8 tier;
    uint32 value;
    address reporter;
}
