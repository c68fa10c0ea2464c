// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {EIP712} from "@openzeppelin/contracts/utils/cryptography/EIP712.sol";
import {AdminPausable} from "./access/AdminPausable.sol";
import {IAgentOracle} from "./interfaces/IAgentOracle.sol";
import {ISLAStreamFactory} from "./interfaces/ISLAStreamFactory.sol";
import {Breach, MetricReport, SignedReport} from "./types/Report.sol";
import {Metric, MetricRule, SLA, SLALib} from "./types/SLA.sol";

/// @title AgentOracle
/// @notice Takes metric reports from authorized agents, directly or as EIP-712 signed reports that
/// anyone may relay, judges each metric against the reported stream's own SLA, and records every
/// breach once under an id derived from (stream, window, metric). Recording is all it does: the
/// RefundManager turns recorded breaches into refunds. Because a breach id can only be recorded once
/// per window and metric, an agent cannot multiply refunds by repeating or replaying reports.
contract AgentOracle is IAgentOracle, AdminPausable, EIP712 {
    using SLALib for MetricRule;

    /// @notice Accounts whose reports (direct or signed) are accepted.
    bytes32 public constant AGENT_ROLE = keccak256("AGENT_ROLE");
    /// @notice The EIP-712 type of a signed report. The domain (name "SLA AgentOracle", version "1",
    /// chain id, this contract) binds a signature to one oracle on one chain.
    bytes32 public constant REPORT_TYPEHASH = keccak256(
        "MetricReport(uint256 streamId,uint40 windowStart,uint32 latencyMs,uint32 uptimeBps,uint32 errorRateBps,uint32 jitterMs,uint256 nonce,uint256 deadline)"
    );
    uint256 public constant MAX_BATCH = 200;

    /// @notice The factory whose streams are judged.
    ISLAStreamFactory public immutable factory;
    /// @notice How long after a window closes a report on it is still accepted: stale measurements
    /// are refused.
    uint32 public immutable maxReportDelay;

    mapping(bytes32 breachId => Breach) internal _breaches;
    /// @dev Used nonces per signer, 256 to a word: nonces are unordered, so signed reports can be
    /// relayed in any order and in parallel.
    mapping(address signer => mapping(uint256 word => uint256 bits)) public nonceBitmap;

    /// @param admin holder of the admin and pauser roles
    /// @param factory_ the SLAStreamFactory
    /// @param maxReportDelay_ seconds after a window closes during which it may be reported
    /// @param agents the initial agents
    constructor(address admin, ISLAStreamFactory factory_, uint32 maxReportDelay_, address[] memory agents)
        AdminPausable(admin)
        EIP712("SLA AgentOracle", "1")
    {
        if (address(factory_) == address(0)) revert ZeroAddress();
        if (maxReportDelay_ == 0) revert ReportDelayInvalid();
        factory = factory_;
        maxReportDelay = maxReportDelay_;
        for (uint256 i; i < agents.length; ++i) {
            _grantRole(AGENT_ROLE, agents[i]);
        }
    }

    // ---------------------------------------------------------------------------------------- submit

    /// @notice Records the breaches in one report. Agent only; returns how many were new.
    function submitReport(MetricReport calldata report) external whenNotPaused onlyRole(AGENT_ROLE) returns (uint8) {
        return _accept(report, msg.sender);
    }

    /// @notice `submitReport` for up to MAX_BATCH reports; all or nothing. Returns the new breaches.
    function submitReports(MetricReport[] calldata reports)
        external
        whenNotPaused
        onlyRole(AGENT_ROLE)
        returns (uint256 breaches)
    {
        _checkBatch(reports.length);
        for (uint256 i; i < reports.length; ++i) {
            breaches += _accept(reports[i], msg.sender);
        }
    }

    /// @notice Records the breaches in a report signed by an agent. Anyone may relay it; the nonce
    /// is spent and the deadline checked, so each signature is accepted at most once.
    function submitSignedReport(SignedReport calldata signed) external whenNotPaused returns (uint8) {
        return _accept(signed.report, _verify(signed));
    }

    /// @notice `submitSignedReport` for up to MAX_BATCH reports; all or nothing.
    function submitSignedReports(SignedReport[] calldata signed) external whenNotPaused returns (uint256 breaches) {
        _checkBatch(signed.length);
        for (uint256 i; i < signed.length; ++i) {
            breaches += _accept(signed[i].report, _verify(signed[i]));
        }
    }

    /// @notice Makes `nonce` unusable for the caller's signatures (withdraws a signed report).
    function cancelNonce(uint256 nonce) external {
        _useNonce(msg.sender, nonce);
        emit NonceCanceled(msg.sender, nonce);
    }

    // ----------------------------------------------------------------------------------------- views

    /// @inheritdoc IAgentOracle
    function breachOf(bytes32 breachId) external view returns (Breach memory) {
        return _breaches[breachId];
    }

    /// @inheritdoc IAgentOracle
    function breachIdOf(uint256 streamId, uint40 windowStart, Metric metric) public pure returns (bytes32) {
        return keccak256(abi.encode(streamId, windowStart, metric));
    }

    /// @inheritdoc IAgentOracle
    function tiersOf(MetricReport calldata report) external view returns (uint8[4] memory tiers) {
        SLA memory sla = _checkWindow(report);
        uint32[4] memory values = _values(report);
        for (uint256 i; i < 4; ++i) {
            (tiers[i],) = sla.rules[i].tierOf(Metric(i), values[i]);
        }
    }

    /// @notice The EIP-712 digest an agent signs for `report` with `nonce` and `deadline`.
    function reportDigest(MetricReport calldata report, uint256 nonce, uint256 deadline) public view returns (bytes32) {
        return _hashTypedDataV4(
            keccak256(
                abi.encode(
                    REPORT_TYPEHASH,
                    report.streamId,
                    report.windowStart,
                    report.latencyMs,
                    report.uptimeBps,
                    report.errorRateBps,
                    report.jitterMs,
                    nonce,
                    deadline
                )
            )
        );
    }

    /// @notice Whether `signer` has used (or canceled) `nonce`.
    function isNonceUsed(address signer, uint256 nonce) external view returns (bool) {
        return nonceBitmap[signer][nonce >> 8] & (1 << (nonce & 0xff)) != 0;
    }

    // -------------------------------------------------------------------------------------- internal

    function _accept(MetricReport calldata report, address reporter) private returns (uint8 recorded) {
        SLA memory sla = _checkWindow(report);
        uint32[4] memory values = _values(report);
        for (uint256 i; i < 4; ++i) {
            (uint8 tier, uint32 bound) = sla.rules[i].tierOf(Metric(i), values[i]);
            if (tier != 0 && _recordBreach(report, Metric(i), tier, values[i], bound, reporter)) ++recorded;
        }
        emit MetricsReported(
            report.streamId,
            report.windowStart,
            reporter,
            report.latencyMs,
            report.uptimeBps,
            report.errorRateBps,
            report.jitterMs,
            recorded
        );
    }

    /// @dev Records a breach unless its id already has one. First report wins: a later report on the
    /// same window and metric changes nothing, which is what makes the id safe to act on once.
    function _recordBreach(
        MetricReport calldata report,
        Metric metric,
        uint8 tier,
        uint32 value,
        uint32 bound,
        address reporter
    ) private returns (bool) {
        bytes32 id = breachIdOf(report.streamId, report.windowStart, metric);
        if (_breaches[id].reporter != address(0)) return false;
        _breaches[id] = Breach(report.streamId, report.windowStart, metric, tier, value, reporter);
        emit SLABreached(id, report.streamId, metric, report.windowStart, tier, value, bound, reporter);
        return true;
    }

    /// @dev Checks that the report is on a whole, closed, recent window of an existing stream and
    /// that its basis-point values are in range; returns the stream's SLA.
    function _checkWindow(MetricReport calldata report) private view returns (SLA memory sla) {
        bool exists;
        uint40 start;
        uint40 stop;
        (exists, start, stop, sla) = factory.slaTermsOf(report.streamId);
        if (!exists) revert UnknownStream(report.streamId);
        uint40 w = report.windowStart;
        if (w < start || w >= stop) revert WindowOutsideStream(w);
        if ((w - start) % sla.windowSeconds != 0) revert WindowMisaligned(w);
        // The last window may be cut short by the stream's stop time.
        uint256 closesAt = uint256(w) + sla.windowSeconds;
        if (closesAt > stop) closesAt = stop;
        if (block.timestamp < closesAt) revert WindowNotClosed(w, closesAt);
        if (block.timestamp > closesAt + maxReportDelay) revert ReportTooLate(w, closesAt + maxReportDelay);
        if (report.uptimeBps > SLALib.BPS) revert MetricOutOfRange(Metric.UptimeBps, report.uptimeBps);
        if (report.errorRateBps > SLALib.BPS) revert MetricOutOfRange(Metric.ErrorRateBps, report.errorRateBps);
    }

    function _values(MetricReport calldata r) private pure returns (uint32[4] memory) {
        return [r.latencyMs, r.uptimeBps, r.errorRateBps, r.jitterMs];
    }

    /// @dev Returns the agent that signed `signed`, spending its nonce.
    function _verify(SignedReport calldata signed) private returns (address signer) {
        if (block.timestamp > signed.deadline) revert SignatureExpired(signed.deadline);
        // OpenZeppelin's ECDSA rejects malleable (high-s) signatures and reverts on a bad one.
        signer = ECDSA.recoverCalldata(reportDigest(signed.report, signed.nonce, signed.deadline), signed.signature);
        if (!hasRole(AGENT_ROLE, signer)) revert NotAgent(signer);
        _useNonce(signer, signed.nonce);
    }

    function _useNonce(address signer, uint256 nonce) private {
        uint256 bit = 1 << (nonce & 0xff);
        uint256 bits = nonceBitmap[signer][nonce >> 8];
        if (bits & bit != 0) revert NonceUsed(signer, nonce);
        nonceBitmap[signer][nonce >> 8] = bits | bit;
    }

    function _checkBatch(uint256 size) private pure {
        if (size == 0 || size > MAX_BATCH) revert BatchSizeInvalid(size, MAX_BATCH);
    }
}
