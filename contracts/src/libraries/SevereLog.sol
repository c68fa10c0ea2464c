// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The recent severe breaches of one stream, packed in one storage slot: up to 8 window
/// numbers (window index + 1; 0 marks an empty entry).
/// @dev Breaches are timed by the window they measured, not by when they were processed: processing is
/// permissionless and may be late or out of order, and three old breaches processed in one block must
/// not look like a burst. When the log is full the oldest window is overwritten, so it keeps the 8
/// latest windows, enough for any limit up to 8.
library SevereLog {
    uint256 internal constant SIZE = 8;

    function entry(uint256 log, uint256 i) internal pure returns (uint32) {
        return uint32(log >> (32 * i));
    }

    /// @notice The largest number of breaches, counting `w` and the logged ones, whose windows all
    /// start less than `period` seconds apart in a group that includes `w` (windows are `ws` long).
    function clusterWith(uint256 log, uint32 w, uint256 ws, uint256 period) internal pure returns (uint256 best) {
        // Try each possible earliest member `a` of such a group: `w` itself or a logged window at
        // most `period` before it; count `w` plus every logged window in [a, a + period).
        for (uint256 c; c <= SIZE; ++c) {
            uint32 a = c == SIZE ? w : entry(log, c);
            if (a == 0 || a > w || (uint256(w - a)) * ws >= period) continue;
            uint256 n = 1;
            for (uint256 i; i < SIZE; ++i) {
                uint32 e = entry(log, i);
                if (e != 0 && e >= a && uint256(e - a) * ws < period) ++n;
            }
            if (n > best) best = n;
        }
    }

    /// @notice Adds `w`: into an empty entry, or over the oldest one if `w` is newer.
    function insert(uint256 log, uint32 w) internal pure returns (uint256) {
        uint256 slot;
        uint32 oldest = type(uint32).max;
        for (uint256 i; i < SIZE; ++i) {
            uint32 e = entry(log, i);
            if (e == 0) {
                slot = i;
                oldest = 0;
                break;
            }
            if (e < oldest) (oldest, slot) = (e, i);
        }
        if (oldest != 0 && w <= oldest) return log;
        uint256 shift = 32 * slot;
        return (log & ~(uint256(type(uint32).max) << shift)) | (uint256(w) << shift);
    }
}
