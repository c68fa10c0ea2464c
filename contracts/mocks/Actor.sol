// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Test account that is a contract: it forwards calls, can refuse native transfers, and can
/// try to re-enter a target when it receives them (recording whether the re-entry succeeded).
contract Actor {
    bool public refuseEther;
    address public reenterTarget;
    bytes public reenterData;
    bool public reentered;
    bytes public reenterResult;

    receive() external payable {
        if (refuseEther) revert("Actor: refusing ether");
        if (reenterTarget != address(0)) {
            address target = reenterTarget;
            reenterTarget = address(0); // only once
            (reentered, reenterResult) = target.call(reenterData);
        }
    }

    function setRefuseEther(bool refuse) external {
        refuseEther = refuse;
    }

    function setReenter(address target, bytes calldata data) external {
        reenterTarget = target;
        reenterData = data;
    }

    /// @notice Calls `target` with `data` and `msg.value`, bubbling up a revert.
    function execute(address target, bytes calldata data) external payable returns (bytes memory) {
        (bool ok, bytes memory result) = target.call{value: msg.value}(data);
        if (!ok) {
            assembly {
                revert(add(result, 32), mload(result))
            }
        }
        return result;
    }
}
