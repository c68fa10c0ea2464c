// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StreamLedger} from "./StreamLedger.sol";
import {StreamSpec} from "./types/Stream.sol";

/// @title ParallelPay
/// @notice Plain payment streams without an SLA: the baseline the SLA streams are measured against.
/// Create (one or a batch), withdraw (one or a batch) and cancel (one or a batch) come from
/// StreamLedger; a cancel pays the sender the unvested remainder and leaves the vested share to the
/// recipient.
contract ParallelPay is StreamLedger {
    /// @param admin holder of the admin and pauser roles
    constructor(address admin) StreamLedger(admin) {}

    /// @notice Creates and funds one stream from the caller to `recipient`, vesting `deposit` of
    /// `token` (address(0): native, sent as msg.value) linearly from `startTime` to `stopTime`.
    function createStream(address recipient, address token, uint128 deposit, uint40 startTime, uint40 stopTime)
        external
        payable
        whenNotPaused
        nonReentrant
        returns (uint256 streamId)
    {
        return _createStream(token, recipient, deposit, startTime, stopTime);
    }

    /// @notice Creates and funds up to MAX_BATCH streams in one token; msg.value or the allowance
    /// must cover the sum of the deposits.
    /// @return firstId the first stream's id; the others follow consecutively
    function createStreams(address token, StreamSpec[] calldata specs)
        external
        payable
        whenNotPaused
        nonReentrant
        returns (uint256 firstId)
    {
        return _createStreams(token, specs);
    }
}
