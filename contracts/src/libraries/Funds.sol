// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice Moving the native token (token == address(0)) or an ERC-20 in and out of a contract.
library Funds {
    using SafeERC20 for IERC20;

    /// @notice The native value sent is not the amount owed.
    error NativeValueMismatch(uint256 expected, uint256 sent);
    /// @notice A native transfer to `to` failed (a contract that refuses it, or out of gas).
    error NativeTransferFailed(address to, uint256 amount);
    /// @notice The token delivered less than it was asked to: fee-on-transfer and similar tokens are
    /// not supported, because every liability here is recorded at its nominal amount.
    error TokenDeliveryShort(address token, uint256 expected, uint256 received);

    /// @notice Takes `amount` from `from` (the caller): as `msg.value` for the native token, by
    /// `transferFrom` otherwise, checking that the contract's balance grew by exactly `amount`.
    function pull(address token, address from, uint256 amount) internal {
        if (token == address(0)) {
            if (msg.value != amount) revert NativeValueMismatch(amount, msg.value);
            return;
        }
        if (msg.value != 0) revert NativeValueMismatch(0, msg.value);
        uint256 before = IERC20(token).balanceOf(address(this));
        IERC20(token).safeTransferFrom(from, address(this), amount);
        uint256 received = IERC20(token).balanceOf(address(this)) - before;
        if (received != amount) revert TokenDeliveryShort(token, amount, received);
    }

    /// @notice Sends `amount` to `to`. Callers update their state first (checks-effects-interactions)
    /// and hold a reentrancy lock, because both the native call and a token with hooks hand control
    /// to the receiver.
    function push(address token, address to, uint256 amount) internal {
        if (amount == 0) return;
        if (token == address(0)) {
            (bool ok,) = to.call{value: amount}("");
            if (!ok) revert NativeTransferFailed(to, amount);
        } else {
            IERC20(token).safeTransfer(to, amount);
        }
    }
}
