// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Stream} from "../types/Stream.sol";

/// @notice Vesting arithmetic of a `Stream`. Every amount is rounded down, so the vested amount never
/// exceeds what has been paid in and reaches exactly `deposit - refunded` at the stop time: a small
/// deposit over a long duration vests proportionally rather than not at all until the end.
library StreamMath {
    /// @notice The amount vested to the recipient at time `t` (withdrawn or not).
    function vestedAt(Stream storage s, uint256 t) internal view returns (uint128) {
        uint256 from = s.snapshotTime;
        uint256 stop = s.stopTime;
        uint256 snap = s.vestedSnapshot;
        uint256 total = uint256(s.deposit) - s.refunded;
        if (t <= from) return uint128(snap);
        if (t >= stop) return uint128(total);
        // (total - snap) <= 2^128 and (t - from) < 2^40: the product cannot overflow.
        return uint128(snap + ((total - snap) * (t - from)) / (stop - from));
    }

    /// @notice The amount not yet vested at time `t`: what a cancel or a refund can still take back.
    function unvestedAt(Stream storage s, uint256 t) internal view returns (uint128) {
        return uint128(uint256(s.deposit) - s.refunded - vestedAt(s, t));
    }

    /// @notice Freezes the vested amount at time `t` so that a later change to `refunded` only
    /// lowers what is still to vest, never what the recipient has already earned.
    function snapshot(Stream storage s, uint256 t) internal {
        uint128 vested = vestedAt(s, t);
        uint256 when = t < s.startTime ? s.startTime : (t > s.stopTime ? s.stopTime : t);
        s.vestedSnapshot = vested;
        s.snapshotTime = uint40(when);
    }
}
