// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Stream, StreamStatus} from "../types/Stream.sol";

/// @notice Events, errors and views of a ledger of fully funded linear streams.
interface IStreamLedger {
    /// @notice A stream was created and funded with `deposit`.
    event StreamCreated(
        uint256 indexed streamId,
        address indexed sender,
        address indexed recipient,
        address token,
        uint128 deposit,
        uint40 startTime,
        uint40 stopTime
    );
    /// @notice The recipient withdrew `amount` of its vested balance to `to`.
    event Withdrawn(uint256 indexed streamId, address indexed recipient, address to, uint128 amount);
    /// @notice The sender canceled: it was paid `senderAmount` (the unvested remainder plus any
    /// unclaimed refund); `recipientAmount` stays withdrawable by the recipient.
    event StreamCanceled(
        uint256 indexed streamId, address indexed sender, address indexed recipient, uint128 senderAmount, uint128 recipientAmount
    );

    error UnknownStream(uint256 streamId);
    error NotStreamSender(uint256 streamId, address caller);
    error NotStreamRecipient(uint256 streamId, address caller);
    error InvalidRecipient(address recipient);
    error InvalidTimeRange(uint40 startTime, uint40 stopTime);
    error ZeroDeposit();
    error ZeroAddress();
    error BatchSizeInvalid(uint256 size, uint256 max);
    error ZeroAmount();
    error AmountExceedsWithdrawable(uint128 amount, uint128 withdrawable);
    error NothingToCancel(uint256 streamId);

    /// @notice The stream as stored. Reverts for an unknown id.
    function getStream(uint256 streamId) external view returns (Stream memory);
    /// @notice The stream's status now.
    function statusOf(uint256 streamId) external view returns (StreamStatus);
    /// @notice The amount vested so far, withdrawn or not.
    function vestedOf(uint256 streamId) external view returns (uint128);
    /// @notice The amount the recipient can withdraw now.
    function withdrawableOf(uint256 streamId) external view returns (uint128);
    /// @notice The amount not yet vested: what a cancel would return to the sender.
    function unvestedOf(uint256 streamId) external view returns (uint128);
    /// @notice What `who` could take out of the stream now: for the recipient its withdrawable
    /// amount; for the sender the unvested remainder plus refunds not yet claimed; otherwise 0.
    function balanceOf(uint256 streamId, address who) external view returns (uint256);
    /// @notice The id the next stream created by `sender` will get; a batch takes consecutive ids.
    function nextStreamId(address sender) external view returns (uint256);
}
