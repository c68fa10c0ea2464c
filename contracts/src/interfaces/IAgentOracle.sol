// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Metric} from "../types/SLA.sol";
import {Breach, MetricReport} from "../types/Report.sol";

/// @notice Metric reports judged against each stream's own SLA; the breaches they reveal.
interface IAgentOracle {
    /// @notice An agent reported a window's metrics; `breaches` of them were newly recorded.
    event MetricsReported(
        uint256 indexed streamId,
        uint40 indexed windowStart,
        address indexed reporter,
        uint32 latencyMs,
        uint32 uptimeBps,
        uint32 errorRateBps,
        uint32 jitterMs,
        uint8 breaches
    );
    /// @notice A breach was recorded. `breachId` = keccak256(abi.encode(streamId, windowStart,
    /// metric)) identifies it for good: it is emitted once, and refunded at most once.
    /// @param bound the SLA bound of `tier` that `value` crossed
    event SLABreached(
        bytes32 indexed breachId,
        uint256 indexed streamId,
        Metric indexed metric,
        uint40 windowStart,
        uint8 tier,
        uint32 value,
        uint32 bound,
        address reporter
    );
    /// @notice `signer` made `nonce` unusable, withdrawing a signed report before it was relayed.
    event NonceCanceled(address indexed signer, uint256 nonce);

    error NotAgent(address account);
    error UnknownStream(uint256 streamId);
    error WindowMisaligned(uint40 windowStart);
    error WindowOutsideStream(uint40 windowStart);
    error WindowNotClosed(uint40 windowStart, uint256 closesAt);
    error ReportTooLate(uint40 windowStart, uint256 acceptedUntil);
    error MetricOutOfRange(Metric metric, uint32 value);
    error SignatureExpired(uint256 deadline);
    error NonceUsed(address signer, uint256 nonce);
    error BatchSizeInvalid(uint256 size, uint256 max);
    error ZeroAddress();
    error ReportDelayInvalid();

    /// @notice The breach recorded under `breachId` (reporter == address(0) if none).
    function breachOf(bytes32 breachId) external view returns (Breach memory);

    /// @notice The id of the breach of `metric` in the window starting at `windowStart`.
    function breachIdOf(uint256 streamId, uint40 windowStart, Metric metric) external pure returns (bytes32);

    /// @notice The tier (0: none) each metric of `report` would be judged at, in `Metric` order.
    /// Reverts as a submission would for a report that cannot be accepted now.
    function tiersOf(MetricReport calldata report) external view returns (uint8[4] memory tiers);
}
