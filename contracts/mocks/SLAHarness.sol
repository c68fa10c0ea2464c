// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {Metric, MetricRule, SLA, SLALib} from "../src/types/SLA.sol";

/// @notice Exposes SLALib, for property tests.
contract SLAHarness {
    function tierOf(MetricRule calldata rule, Metric metric, uint32 value) external pure returns (uint8 tier, uint32 bound) {
        return SLALib.tierOf(rule, metric, value);
    }

    function validate(SLA calldata sla) external pure returns (bool) {
        SLALib.validate(sla);
        return true;
    }
}
