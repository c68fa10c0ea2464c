// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AdminPausable} from "./access/AdminPausable.sol";
import {IX402Payment} from "./interfaces/IX402Payment.sol";
import {Funds} from "./libraries/Funds.sol";
import {StreamIds} from "./libraries/StreamIds.sol";
import {PaymentRequest, RequestParams, RequestStatus} from "./types/PaymentRequest.sol";

/// @title X402Payment
/// @notice Escrowed payment requests for x402-style paid resources. A requester creates a request
/// with its refund policy; the payer pays into escrow; within the refund window the payer can take
/// the amount back less the penalty, and after it the requester releases the payment. Each request's
/// money is held for that request alone, so a refund is always paid from the money the payer sent,
/// never from anyone else's. The contract accepts no unsolicited native transfers.
contract X402Payment is IX402Payment, AdminPausable, ReentrancyGuardTransient {
    uint256 public constant MAX_BATCH = 200;
    uint32 public constant MAX_REFUND_WINDOW = 365 days;
    uint16 internal constant BPS = 10_000;

    mapping(uint256 requestId => PaymentRequest) internal _requests;
    /// @notice Requests created by each requester: the low 96 bits of its next request id (ids are
    /// per requester, like stream ids, so that creations by different requesters never conflict).
    mapping(address requester => uint96) public requestNonce;

    /// @param admin holder of the admin and pauser roles
    constructor(address admin) AdminPausable(admin) {}

    // ------------------------------------------------------------------------------------- requester

    /// @notice Creates a payment request from the caller. Returns its id.
    function createRequest(RequestParams calldata p) external whenNotPaused returns (uint256 requestId) {
        uint96 nonce = requestNonce[msg.sender];
        requestNonce[msg.sender] = nonce + 1;
        requestId = _create(StreamIds.make(msg.sender, nonce), p);
    }

    /// @notice Creates up to MAX_BATCH requests; returns the first id, the others follow it.
    function createRequests(RequestParams[] calldata ps) external whenNotPaused returns (uint256 firstId) {
        if (ps.length == 0 || ps.length > MAX_BATCH) revert BatchSizeInvalid(ps.length, MAX_BATCH);
        uint96 nonce = requestNonce[msg.sender];
        requestNonce[msg.sender] = nonce + uint96(ps.length);
        firstId = StreamIds.make(msg.sender, nonce);
        for (uint256 i; i < ps.length; ++i) {
            _create(firstId + i, ps[i]);
        }
    }

    /// @notice Withdraws an unpaid request. Requester only.
    function cancelRequest(uint256 requestId) external {
        PaymentRequest storage r = _request(requestId);
        if (msg.sender != r.requester) revert NotRequester(requestId, msg.sender);
        if (r.status != RequestStatus.Open) revert WrongStatus(requestId, r.status);
        r.status = RequestStatus.Canceled;
        emit RequestCanceled(requestId);
    }

    /// @notice Refunds the whole amount to the payer, without penalty, while the payment is still in
    /// escrow (the requester could not deliver). Requester only; open while paused.
    function refundByRequester(uint256 requestId) external nonReentrant {
        PaymentRequest storage r = _request(requestId);
        if (r.status != RequestStatus.Paid) revert WrongStatus(requestId, r.status);
        if (msg.sender != r.requester) revert NotRequester(requestId, msg.sender);
        _refund(requestId, r, 0);
    }

    /// @notice Pays the requester what the escrow holds for it: the whole amount once the refund
    /// window has closed, or the penalty after a refund. Anyone may call (the money only goes to the
    /// requester); open while paused.
    function release(uint256 requestId) external nonReentrant returns (uint128 amount) {
        PaymentRequest storage r = _request(requestId);
        if (r.status == RequestStatus.Paid) {
            uint256 closesAt = uint256(r.paidAt) + r.refundWindow;
            if (block.timestamp < closesAt) revert RefundWindowOpen(requestId, closesAt);
            r.status = RequestStatus.Released;
        } else if (r.status != RequestStatus.Refunded) {
            revert WrongStatus(requestId, r.status);
        }
        amount = r.held;
        if (amount == 0) revert NothingToRelease(requestId);
        r.held = 0;
        emit PaymentReleased(requestId, r.requester, amount);
        Funds.push(r.token, r.requester, amount);
    }

    // ----------------------------------------------------------------------------------------- payer

    /// @notice Pays an open request into escrow (msg.value for the native token, else by allowance).
    function pay(uint256 requestId) external payable whenNotPaused nonReentrant {
        PaymentRequest storage r = _request(requestId);
        if (r.status != RequestStatus.Open) revert WrongStatus(requestId, r.status);
        if (block.timestamp > r.deadline) revert RequestExpired(requestId, r.deadline);
        if (r.payer == address(0)) r.payer = msg.sender;
        else if (msg.sender != r.payer) revert NotPayer(requestId, msg.sender);
        r.status = RequestStatus.Paid;
        r.paidAt = uint40(block.timestamp);
        r.held = r.amount;
        emit PaymentCompleted(requestId, msg.sender, r.amount);
        Funds.pull(r.token, msg.sender, r.amount);
    }

    /// @notice Takes the payment back, less the request's penalty, while the refund window is open
    /// (strictly before paidAt + refundWindow). Payer only; open while paused.
    function refund(uint256 requestId) external nonReentrant {
        PaymentRequest storage r = _request(requestId);
        if (r.status != RequestStatus.Paid) revert WrongStatus(requestId, r.status);
        if (msg.sender != r.payer) revert NotPayer(requestId, msg.sender);
        uint256 closesAt = uint256(r.paidAt) + r.refundWindow;
        if (block.timestamp >= closesAt) revert RefundWindowClosed(requestId, closesAt);
        _refund(requestId, r, uint128((uint256(r.amount) * r.penaltyBps) / BPS));
    }

    // ----------------------------------------------------------------------------------------- views

    /// @notice The request as stored. Reverts for an unknown id.
    function getRequest(uint256 requestId) external view returns (PaymentRequest memory) {
        return _request(requestId);
    }

    /// @notice Whether the payer could get a refund now, and how much.
    function refundableOf(uint256 requestId) external view returns (bool ok, uint128 amount) {
        PaymentRequest storage r = _request(requestId);
        ok = r.status == RequestStatus.Paid && block.timestamp < uint256(r.paidAt) + r.refundWindow;
        if (ok) amount = r.amount - uint128((uint256(r.amount) * r.penaltyBps) / BPS);
    }

    /// @notice The id the next request created by `requester` will get.
    function nextRequestId(address requester) external view returns (uint256) {
        return StreamIds.make(requester, requestNonce[requester]);
    }

    // -------------------------------------------------------------------------------------- internal

    function _create(uint256 requestId, RequestParams calldata p) private returns (uint256) {
        if (
            p.amount == 0 || p.deadline < block.timestamp || p.penaltyBps > BPS || p.refundWindow > MAX_REFUND_WINDOW
                || p.payer == msg.sender
        ) revert InvalidRequest();
        _requests[requestId] = PaymentRequest({
            requester: msg.sender,
            deadline: p.deadline,
            paidAt: 0,
            status: RequestStatus.Open,
            payer: p.payer,
            refundWindow: p.refundWindow,
            penaltyBps: p.penaltyBps,
            token: p.token,
            amount: p.amount,
            held: 0,
            contentHash: p.contentHash
        });
        emit PaymentRequestCreated(
            requestId, msg.sender, p.payer, p.token, p.amount, p.deadline, p.contentHash, p.refundWindow, p.penaltyBps
        );
        return requestId;
    }

    /// @dev Pays the payer the amount less `penalty` from this request's escrow; the penalty stays
    /// held for the requester, who collects it with `release` (a pull, so a requester that cannot
    /// receive never blocks the payer's refund).
    function _refund(uint256 requestId, PaymentRequest storage r, uint128 penalty) private {
        uint128 back = r.amount - penalty;
        r.status = RequestStatus.Refunded;
        r.held = penalty;
        emit RefundIssued(requestId, r.payer, back, penalty);
        Funds.push(r.token, r.payer, back);
    }

    function _request(uint256 requestId) private view returns (PaymentRequest storage r) {
        r = _requests[requestId];
        if (r.requester == address(0)) revert UnknownRequest(requestId);
    }
}
