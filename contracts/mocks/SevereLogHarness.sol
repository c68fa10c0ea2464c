// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SevereLog} from "../src/libraries/SevereLog.sol";

/// @notice Exposes SevereLog, for property tests.
contract SevereLogHarness {
    function clusterWith(uint256 log, uint32 w, uint256 ws, uint256 period) external pure returns (uint256) {
        return SevereLog.clusterWith(log, w, ws, period);
    }

    function insert(uint256 log, uint32 w) external pure returns (uint256) {
        return SevereLog.insert(log, w);
    }
}
