// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {StreamMath} from "../src/libraries/StreamMath.sol";
import {Stream} from "../src/types/Stream.sol";

/// @notice Exposes StreamMath on one stored stream, for property tests.
contract StreamMathHarness {
    using StreamMath for Stream;

    Stream internal _s;

    function init(uint128 deposit, uint40 start, uint40 stop) external {
        delete _s;
        _s.sender = msg.sender;
        _s.startTime = start;
        _s.stopTime = stop;
        _s.snapshotTime = start;
        _s.deposit = deposit;
    }

    /// @notice Takes back `bps` of the unvested remainder at time `t`, as SLA refunds do.
    function refundAt(uint256 t, uint16 bps) external returns (uint128 amount) {
        amount = uint128((uint256(_s.unvestedAt(t)) * bps) / 10_000);
        if (amount == 0) return 0;
        _s.snapshot(t);
        _s.refunded += amount;
    }

    function vestedAt(uint256 t) external view returns (uint128) {
        return _s.vestedAt(t);
    }

    function unvestedAt(uint256 t) external view returns (uint128) {
        return _s.unvestedAt(t);
    }

    function get() external view returns (Stream memory) {
        return _s;
    }
}
