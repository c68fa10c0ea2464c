// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {SLA} from "../types/SLA.sol";
import {IStreamLedger} from "./IStreamLedger.sol";

/// @notice A stream ledger whose streams carry an SLA, with the refund entry points the
/// RefundManager uses.
interface ISLAStreamFactory is IStreamLedger {
    /// @notice First use of an SLA: it is stored once under its content hash `slaId`.
    event SLARegistered(bytes32 indexed slaId, SLA sla);
    /// @notice The stream `streamId` is bound by the SLA `slaId` (emitted with StreamCreated).
    event StreamSLA(uint256 indexed streamId, bytes32 indexed slaId);
    /// @notice `amount` (`bps` of the unvested remainder) was taken back for the sender because of
    /// the breach `breachId`; the sender claims it with `claimRefund`.
    event SLARefunded(uint256 indexed streamId, bytes32 indexed breachId, uint16 bps, uint128 amount);
    /// @notice The stream was stopped because of breaches (the last one `breachId`): `senderAmount`,
    /// the unvested remainder, was taken back for the sender; `recipientAmount` stays withdrawable.
    event SLAStopped(uint256 indexed streamId, bytes32 indexed breachId, uint128 senderAmount, uint128 recipientAmount);
    /// @notice `amount` of the sender's refunds was paid to `to`.
    event RefundClaimed(uint256 indexed streamId, address indexed sender, address to, uint128 amount);

    error NotRefundManager(address caller);
    error RefundBpsInvalid(uint16 bps);

    /// @notice What the oracle needs to judge a report: whether the stream exists, its time range and
    /// its SLA. Never reverts.
    function slaTermsOf(uint256 streamId)
        external
        view
        returns (bool exists, uint40 startTime, uint40 stopTime, SLA memory sla);

    /// @notice Takes back `bps` of the unvested remainder for the sender. RefundManager only. Returns
    /// the amount, 0 (without reverting) once nothing is left to vest.
    function refundUnvested(uint256 streamId, uint16 bps, bytes32 breachId) external returns (uint128 amount);

    /// @notice Ends the stream, taking back the whole unvested remainder for the sender. RefundManager
    /// only. Returns the amount, 0 (without reverting) if the stream has already ended.
    function stopForSLA(uint256 streamId, bytes32 breachId) external returns (uint128 amount);
}
