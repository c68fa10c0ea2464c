// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {RequestStatus} from "../types/PaymentRequest.sol";

/// @notice Events and errors of the x402 payment escrow.
interface IX402Payment {
    event PaymentRequestCreated(
        uint256 indexed requestId,
        address indexed requester,
        address indexed payer,
        address token,
        uint128 amount,
        uint40 deadline,
        bytes32 contentHash,
        uint32 refundWindow,
        uint16 penaltyBps
    );
    /// @notice `payer` paid; the amount is held in escrow until released or refunded.
    event PaymentCompleted(uint256 indexed requestId, address indexed payer, uint128 amount);
    /// @notice The payer got `refund` back; the requester keeps `penalty` (claimable with `release`).
    event RefundIssued(uint256 indexed requestId, address indexed payer, uint128 refund, uint128 penalty);
    /// @notice `amount` of the escrow was paid to the requester.
    event PaymentReleased(uint256 indexed requestId, address indexed requester, uint128 amount);
    event RequestCanceled(uint256 indexed requestId);

    error UnknownRequest(uint256 requestId);
    error InvalidRequest();
    error WrongStatus(uint256 requestId, RequestStatus status);
    error NotPayer(uint256 requestId, address caller);
    error NotRequester(uint256 requestId, address caller);
    error RequestExpired(uint256 requestId, uint40 deadline);
    error RefundWindowClosed(uint256 requestId, uint256 closedAt);
    error RefundWindowOpen(uint256 requestId, uint256 closesAt);
    error NothingToRelease(uint256 requestId);
    error BatchSizeInvalid(uint256 size, uint256 max);
}
