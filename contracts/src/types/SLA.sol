// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice The service metrics an SLA can bound. The order is the index into `SLA.rules`.
enum Metric {
    LatencyMs,
    UptimeBps,
    ErrorRateBps,
    JitterMs
}

/// @notice The bounds of one metric, in that metric's own unit (milliseconds or basis points).
/// @dev Latency, error rate and jitter: higher is worse. A value above `breach` is a tier-1 breach,
/// above `tier2` tier 2, above `tier3` tier 3 (severe); so breach <= tier2 <= tier3.
/// Uptime: lower is worse and every comparison flips (below `breach`, ...); so breach >= tier2 >= tier3.
/// Each metric has its own bounds because one pair of thresholds cannot mean anything for
/// milliseconds and basis points at once, nor for a metric where lower is worse.
struct MetricRule {
    bool enabled;
    uint32 breach;
    uint32 tier2;
    uint32 tier3;
}

/// @notice A stream's service-level agreement, fixed at creation.
/// @param rules bounds per metric, indexed by `Metric`
/// @param refundBps refund per breach of tier 1, 2 and 3, in basis points of the stream's
///        *unvested* remainder when the breach is processed (never of the deposit)
/// @param windowSeconds length of a measurement window; windows start at the stream's start, and a
///        breach is identified by (stream, window start, metric), so each can be refunded once
/// @param severeLimit stop the stream after this many tier-3 breaches (0: never)...
/// @param severePeriod ...whose windows start less than this many seconds apart
struct SLA {
    MetricRule[4] rules;
    uint16[3] refundBps;
    uint32 windowSeconds;
    uint8 severeLimit;
    uint32 severePeriod;
}

/// @notice Validation and evaluation of an SLA.
library SLALib {
    uint32 internal constant BPS = 10_000;
    uint32 internal constant MIN_WINDOW = 60;
    uint32 internal constant MAX_WINDOW = 30 days;
    /// @dev The severe-breach log of a stream holds 8 entries (one storage slot).
    uint8 internal constant MAX_SEVERE_LIMIT = 8;
    uint8 internal constant SEVERE_TIER = 3;

    error MetricRuleInvalid(Metric metric);
    error NoMetricEnabled();
    error RefundTiersInvalid();
    error WindowInvalid(uint32 windowSeconds);
    error SevereRuleInvalid();

    /// @notice True for the metric where a lower value is worse (uptime).
    function lowerIsWorse(Metric metric) internal pure returns (bool) {
        return metric == Metric.UptimeBps;
    }

    /// @notice True for the metrics measured in basis points (0-10000).
    function isBps(Metric metric) internal pure returns (bool) {
        return metric == Metric.UptimeBps || metric == Metric.ErrorRateBps;
    }

    /// @notice Reverts with the first thing wrong in `sla`.
    function validate(SLA calldata sla) internal pure {
        bool any;
        for (uint256 i; i < 4; ++i) {
            MetricRule calldata r = sla.rules[i];
            if (!r.enabled) continue;
            any = true;
            Metric metric = Metric(i);
            bool ordered = lowerIsWorse(metric)
                ? r.breach >= r.tier2 && r.tier2 >= r.tier3
                : r.breach <= r.tier2 && r.tier2 <= r.tier3;
            // A basis-point bound above 100% is a unit mistake (a percentage or a fraction scaled wrongly).
            bool inRange = !isBps(metric) || (r.breach <= BPS && r.tier2 <= BPS && r.tier3 <= BPS);
            if (!ordered || !inRange) revert MetricRuleInvalid(metric);
        }
        if (!any) revert NoMetricEnabled();
        uint16[3] calldata bps = sla.refundBps;
        if (bps[0] > bps[1] || bps[1] > bps[2] || bps[2] > BPS) revert RefundTiersInvalid();
        if (sla.windowSeconds < MIN_WINDOW || sla.windowSeconds > MAX_WINDOW) revert WindowInvalid(sla.windowSeconds);
        if (sla.severeLimit > MAX_SEVERE_LIMIT || (sla.severeLimit > 0 && sla.severePeriod == 0)) {
            revert SevereRuleInvalid();
        }
    }

    /// @notice The breach tier (0: within the SLA, 1-3) of `value` for `metric`, and the bound it crossed.
    function tierOf(MetricRule memory rule, Metric metric, uint32 value) internal pure returns (uint8 tier, uint32 bound) {
        if (!rule.enabled) return (0, 0);
        if (lowerIsWorse(metric)) {
            if (value < rule.tier3) return (3, rule.tier3);
            if (value < rule.tier2) return (2, rule.tier2);
            if (value < rule.breach) return (1, rule.breach);
        } else {
            if (value > rule.tier3) return (3, rule.tier3);
            if (value > rule.tier2) return (2, rule.tier2);
            if (value > rule.breach) return (1, rule.breach);
        }
        return (0, 0);
    }

    /// @notice The content address of an SLA: streams created with equal SLAs share one stored copy.
    function id(SLA calldata sla) internal pure returns (bytes32) {
        return keccak256(abi.encode(sla));
    }
}
