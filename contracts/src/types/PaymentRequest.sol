// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Life of a payment request. Open -> Paid -> Released | Refunded; Open -> Canceled.
enum RequestStatus {
    Null,
    Open,
    Paid,
    Refunded,
    Released,
    Canceled
}

/// @notice What a requester asks for; the refund policy is part of the request, so the payer sees
/// it before paying and nobody can change it afterwards.
/// @param payer who must pay (address(0): anyone)
/// @param token address(0) for the native token, else an ERC-20
/// @param deadline the last timestamp at which the request can be paid
/// @param contentHash what is being paid for (e.g. the hash of an x402 resource)
/// @param refundWindow seconds after payment during which the payer may ask for a refund
/// @param penaltyBps share of the amount the requester keeps on such a refund
struct RequestParams {
    address payer;
    address token;
    uint128 amount;
    uint40 deadline;
    bytes32 contentHash;
    uint32 refundWindow;
    uint16 penaltyBps;
}

/// @notice A payment request and its escrow: `held` is this request's own money still in the
/// contract, so amount == refundedToPayer + releasedToRequester + held once paid.
struct PaymentRequest {
    address requester;
    uint40 deadline;
    uint40 paidAt;
    RequestStatus status;
    address payer;
    uint32 refundWindow;
    uint16 penaltyBps;
    address token;
    uint128 amount;
    uint128 held;
    bytes32 contentHash;
}
