// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AdminPausable} from "./access/AdminPausable.sol";
import {IAgentOracle} from "./interfaces/IAgentOracle.sol";
import {IRefundManager} from "./interfaces/IRefundManager.sol";
import {ISLAStreamFactory} from "./interfaces/ISLAStreamFactory.sol";
import {SevereLog} from "./libraries/SevereLog.sol";
import {Breach} from "./types/Report.sol";
import {SLA, SLALib} from "./types/SLA.sol";

/// @title RefundManager
/// @notice Turns the breaches recorded by the AgentOracle into refunds on the SLAStreamFactory:
/// - tiered (partial) refund: a breach of tier t takes back `sla.refundBps[t-1]` of the stream's
///   unvested remainder (`processBreach`, anyone may call);
/// - SLA cancellation: when a stream's `severeLimit`-th tier-3 breach within `severePeriod` is
///   processed, the stream stops and its whole unvested remainder is taken back (automatic);
/// - full refund: an executor escalates any recorded breach to the same stop (`executeFullRefund`).
/// Every amount comes out of the unvested remainder only, the recipient's vested share is never
/// touched, and each breach id is applied at most once as a tiered refund and at most once as a
/// full refund. The escalation path never reverts on its own state: a breach on a stream that has
/// already ended or stopped is processed as NothingToRefund. (A pause of this contract or the
/// factory does revert, leaving the breach unprocessed so it can be retried.)
/// @dev The only external calls go to the factory and oracle, fixed at deployment; they move no
/// money and call nothing else, so there is no reentrancy surface to guard.
contract RefundManager is IRefundManager, AdminPausable {
    /// @notice Accounts that may escalate a breach to a full refund.
    bytes32 public constant EXECUTOR_ROLE = keccak256("EXECUTOR_ROLE");
    uint256 public constant MAX_BATCH = 200;

    ISLAStreamFactory public immutable factory;
    IAgentOracle public immutable oracle;

    /// @notice How far each breach id has been used.
    mapping(bytes32 breachId => BreachState) public stateOf;
    /// @notice Each stream's recent severe breaches (see SevereLog), per stream so that
    /// independent streams never share a slot.
    mapping(uint256 streamId => uint256) public severeLogOf;

    /// @param admin holder of the admin and pauser roles
    /// @param executors the initial executors (may be empty)
    constructor(address admin, ISLAStreamFactory factory_, IAgentOracle oracle_, address[] memory executors)
        AdminPausable(admin)
    {
        if (address(factory_) == address(0) || address(oracle_) == address(0)) revert ZeroAddress();
        factory = factory_;
        oracle = oracle_;
        for (uint256 i; i < executors.length; ++i) {
            _grantRole(EXECUTOR_ROLE, executors[i]);
        }
    }

    /// @inheritdoc IRefundManager
    function processBreach(bytes32 breachId) external whenNotPaused returns (Outcome outcome, uint128 refunded) {
        Breach memory b = oracle.breachOf(breachId);
        if (b.reporter == address(0)) revert UnknownBreach(breachId);
        return _process(breachId, b);
    }

    /// @notice `processBreach` for up to MAX_BATCH ids; unknown or already processed ids are
    /// reported in `outcomes`, never reverted on, so one bad id cannot block the others.
    function processBreaches(bytes32[] calldata breachIds)
        external
        whenNotPaused
        returns (Outcome[] memory outcomes, uint256 totalRefunded)
    {
        if (breachIds.length == 0 || breachIds.length > MAX_BATCH) revert BatchSizeInvalid(breachIds.length, MAX_BATCH);
        outcomes = new Outcome[](breachIds.length);
        for (uint256 i; i < breachIds.length; ++i) {
            Breach memory b = oracle.breachOf(breachIds[i]);
            if (b.reporter == address(0)) {
                outcomes[i] = Outcome.UnknownBreach;
                continue;
            }
            uint128 refunded;
            (outcomes[i], refunded) = _process(breachIds[i], b);
            totalRefunded += refunded;
        }
    }

    /// @notice Escalates a recorded breach to a full refund: stops the stream and takes back its
    /// whole unvested remainder for the sender. Executor only. Works whether or not the breach has
    /// had its tiered refund; a breach already escalated returns AlreadyProcessed.
    function executeFullRefund(bytes32 breachId)
        external
        whenNotPaused
        onlyRole(EXECUTOR_ROLE)
        returns (Outcome outcome, uint128 refunded)
    {
        Breach memory b = oracle.breachOf(breachId);
        if (b.reporter == address(0)) revert UnknownBreach(breachId);
        if (stateOf[breachId] == BreachState.FullyRefunded) return (Outcome.AlreadyProcessed, 0);
        stateOf[breachId] = BreachState.FullyRefunded;
        refunded = factory.stopForSLA(b.streamId, breachId);
        emit FullRefundExecuted(breachId, b.streamId, msg.sender, refunded);
        outcome = refunded > 0 ? Outcome.Stopped : Outcome.NothingToRefund;
    }

    function _process(bytes32 breachId, Breach memory b) private returns (Outcome, uint128 refunded) {
        if (stateOf[breachId] != BreachState.Unprocessed) return (Outcome.AlreadyProcessed, 0);
        stateOf[breachId] = BreachState.Refunded;
        (, uint40 start,, SLA memory sla) = factory.slaTermsOf(b.streamId);
        uint16 bps = sla.refundBps[b.tier - 1];
        if (bps > 0) refunded = factory.refundUnvested(b.streamId, bps, breachId);
        bool stopped;
        if (b.tier == SLALib.SEVERE_TIER && sla.severeLimit > 0 && _severeLimitReached(b, start, sla)) {
            uint128 rest = factory.stopForSLA(b.streamId, breachId);
            stopped = rest > 0;
            refunded += rest;
        }
        emit BreachProcessed(breachId, b.streamId, b.tier, refunded, stopped);
        if (stopped) return (Outcome.Stopped, refunded);
        return (refunded > 0 ? Outcome.Refunded : Outcome.NothingToRefund, refunded);
    }

    /// @dev Logs the severe breach `b` and says whether it completes `severeLimit` of them within
    /// `severePeriod`.
    function _severeLimitReached(Breach memory b, uint40 start, SLA memory sla) private returns (bool) {
        // Window number + 1 (0 marks an empty log entry); with windows of at least 60 s it fits 32
        // bits for any stream shorter than 8,000 years.
        uint32 w = uint32((b.windowStart - start) / sla.windowSeconds) + 1;
        uint256 log = severeLogOf[b.streamId];
        bool reached = SevereLog.clusterWith(log, w, sla.windowSeconds, sla.severePeriod) >= sla.severeLimit;
        severeLogOf[b.streamId] = SevereLog.insert(log, w);
        return reached;
    }
}
