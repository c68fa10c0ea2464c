// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice One fully funded payment stream. Amounts are in the token's smallest unit.
/// @dev Packed into 6 slots; the first 4 are written at creation. Accounting, always:
///   withdrawn + refunded + (vested - withdrawn) + unvested == deposit
/// where `refunded` counts everything taken back for the sender (SLA refunds and the remainder of a
/// cancel) and `refundPaid <= refunded` is what has already been transferred to the sender.
/// Vesting is linear from (snapshotTime, vestedSnapshot) to (stopTime, deposit - refunded): a refund
/// first freezes what has vested so far, then lowers only the part still to come.
struct Stream {
    address sender;
    uint40 startTime;
    uint40 stopTime;
    bool canceled;
    address recipient;
    uint40 snapshotTime;
    address token; // address(0): the native token
    uint128 deposit;
    uint128 withdrawn;
    uint128 refunded;
    uint128 vestedSnapshot;
    uint128 refundPaid;
}

/// @notice One stream of a batch: the token (and for SLA streams the SLA) is shared by the batch.
struct StreamSpec {
    address recipient;
    uint128 deposit;
    uint40 startTime;
    uint40 stopTime;
}

/// @notice Where a stream is in its life, derived from its amounts and the time.
/// Pending: not started. Streaming: still vesting. Settled: nothing more will vest and the recipient
/// still has some to withdraw. Canceled: like Settled, ended early by a cancel or an SLA stop.
/// Depleted: the recipient has withdrawn everything it will ever get.
enum StreamStatus {
    Null,
    Pending,
    Streaming,
    Settled,
    Canceled,
    Depleted
}
