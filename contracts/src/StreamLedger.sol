// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {AdminPausable} from "./access/AdminPausable.sol";
import {IStreamLedger} from "./interfaces/IStreamLedger.sol";
import {Funds} from "./libraries/Funds.sol";
import {StreamIds} from "./libraries/StreamIds.sol";
import {StreamMath} from "./libraries/StreamMath.sol";
import {Stream, StreamSpec, StreamStatus} from "./types/Stream.sol";

/// @notice Fully funded linear payment streams in the native token or an ERC-20, Sablier-style:
/// the recipient pulls what has vested; the sender's cancel returns only the unvested remainder and
/// leaves the recipient's vested share in the contract for it to withdraw.
/// @dev Storage is keyed by stream (and the per-sender nonce), with no aggregate totals, so
/// operations on different streams never write the same slot. The reentrancy lock is transient
/// (EIP-1153) for the same reason: a storage lock would be a slot written by every transaction.
abstract contract StreamLedger is IStreamLedger, AdminPausable, ReentrancyGuardTransient {
    using StreamMath for Stream;

    /// @notice The largest batch accepted by the batch functions: bounds the gas a caller must
    /// reserve, which matters on Monad where the whole gas limit is charged.
    uint256 public constant MAX_BATCH = 200;

    mapping(uint256 streamId => Stream) internal _streams;
    /// @notice How many streams each sender has created: the low 96 bits of its next stream id.
    mapping(address sender => uint96) public streamNonce;

    constructor(address admin) AdminPausable(admin) {}

    // ----------------------------------------------------------------------------------------- recipient

    /// @notice Withdraws `amount` of the vested balance to `to`. Recipient only; open while paused.
    function withdraw(uint256 streamId, address to, uint128 amount) external nonReentrant {
        Stream storage s = _recipientStream(streamId);
        if (amount == 0) revert ZeroAmount();
        uint128 available = s.vestedAt(block.timestamp) - s.withdrawn;
        if (amount > available) revert AmountExceedsWithdrawable(amount, available);
        _withdraw(streamId, s, to, amount);
    }

    /// @notice Withdraws everything vested so far to `to` and returns the amount (0 is not an error).
    function withdrawMax(uint256 streamId, address to) external nonReentrant returns (uint128 amount) {
        Stream storage s = _recipientStream(streamId);
        amount = s.vestedAt(block.timestamp) - s.withdrawn;
        _withdraw(streamId, s, to, amount);
    }

    /// @notice `withdrawMax` for each stream (at most MAX_BATCH; each in its own token), all paid to
    /// `to`. The caller must be the recipient of every one; all or nothing.
    function withdrawMaxMany(uint256[] calldata streamIds, address to) external nonReentrant {
        _checkBatch(streamIds.length);
        for (uint256 i; i < streamIds.length; ++i) {
            Stream storage s = _recipientStream(streamIds[i]);
            _withdraw(streamIds[i], s, to, s.vestedAt(block.timestamp) - s.withdrawn);
        }
    }

    // -------------------------------------------------------------------------------------------- sender

    /// @notice Ends the stream now. The sender is paid the unvested remainder (plus any refund it has
    /// not claimed); the vested share stays withdrawable by the recipient. Sender only; open while
    /// paused. Reverts once nothing is left to vest (after the stop time or an earlier cancel).
    function cancel(uint256 streamId) external nonReentrant {
        _cancel(streamId);
    }

    /// @notice `cancel` for each stream (at most MAX_BATCH); all or nothing.
    function cancelMany(uint256[] calldata streamIds) external nonReentrant {
        _checkBatch(streamIds.length);
        for (uint256 i; i < streamIds.length; ++i) {
            _cancel(streamIds[i]);
        }
    }

    // --------------------------------------------------------------------------------------------- views

    /// @inheritdoc IStreamLedger
    function getStream(uint256 streamId) external view returns (Stream memory) {
        return _stream(streamId);
    }

    /// @inheritdoc IStreamLedger
    function statusOf(uint256 streamId) external view returns (StreamStatus) {
        Stream storage s = _stream(streamId);
        if (s.unvestedAt(block.timestamp) > 0) {
            return block.timestamp < s.startTime ? StreamStatus.Pending : StreamStatus.Streaming;
        }
        if (s.vestedAt(block.timestamp) > s.withdrawn) return s.canceled ? StreamStatus.Canceled : StreamStatus.Settled;
        return StreamStatus.Depleted;
    }

    /// @inheritdoc IStreamLedger
    function vestedOf(uint256 streamId) external view returns (uint128) {
        return _stream(streamId).vestedAt(block.timestamp);
    }

    /// @inheritdoc IStreamLedger
    function withdrawableOf(uint256 streamId) external view returns (uint128) {
        Stream storage s = _stream(streamId);
        return s.vestedAt(block.timestamp) - s.withdrawn;
    }

    /// @inheritdoc IStreamLedger
    function unvestedOf(uint256 streamId) external view returns (uint128) {
        return _stream(streamId).unvestedAt(block.timestamp);
    }

    /// @inheritdoc IStreamLedger
    function balanceOf(uint256 streamId, address who) external view returns (uint256) {
        Stream storage s = _stream(streamId);
        if (who == s.recipient) return s.vestedAt(block.timestamp) - s.withdrawn;
        if (who == s.sender) return uint256(s.unvestedAt(block.timestamp)) + s.refunded - s.refundPaid;
        return 0;
    }

    /// @inheritdoc IStreamLedger
    function nextStreamId(address sender) external view returns (uint256) {
        return StreamIds.make(sender, streamNonce[sender]);
    }

    // ------------------------------------------------------------------------------------------ internal

    /// @dev Records one stream of `msg.sender` and takes its deposit; returns its id.
    function _createStream(address token, address recipient, uint128 deposit, uint40 start, uint40 stop)
        internal
        returns (uint256 streamId)
    {
        uint96 nonce = streamNonce[msg.sender];
        streamNonce[msg.sender] = nonce + 1;
        streamId = StreamIds.make(msg.sender, nonce);
        _record(streamId, token, recipient, deposit, start, stop);
        Funds.pull(token, msg.sender, deposit);
    }

    /// @dev Records `specs` as streams of `msg.sender` in `token`, then takes their total deposit.
    /// Returns the first id; the others follow consecutively.
    function _createStreams(address token, StreamSpec[] calldata specs) internal returns (uint256 firstId) {
        _checkBatch(specs.length);
        uint96 nonce = streamNonce[msg.sender];
        streamNonce[msg.sender] = nonce + uint96(specs.length);
        firstId = StreamIds.make(msg.sender, nonce);
        uint256 total;
        for (uint256 i; i < specs.length; ++i) {
            StreamSpec calldata sp = specs[i];
            _record(firstId + i, token, sp.recipient, sp.deposit, sp.startTime, sp.stopTime);
            total += sp.deposit;
        }
        Funds.pull(token, msg.sender, total);
    }

    /// @dev Validates and stores one stream of `msg.sender`; emits StreamCreated.
    function _record(uint256 streamId, address token, address recipient, uint128 deposit, uint40 start, uint40 stop)
        private
    {
        if (recipient == address(0) || recipient == msg.sender || recipient == address(this)) {
            revert InvalidRecipient(recipient);
        }
        if (deposit == 0) revert ZeroDeposit();
        if (stop <= start || stop <= block.timestamp) revert InvalidTimeRange(start, stop);
        Stream storage s = _streams[streamId];
        s.sender = msg.sender;
        s.startTime = start;
        s.stopTime = stop;
        s.recipient = recipient;
        s.snapshotTime = start;
        s.token = token;
        s.deposit = deposit;
        emit StreamCreated(streamId, msg.sender, recipient, token, deposit, start, stop);
    }

    function _withdraw(uint256 streamId, Stream storage s, address to, uint128 amount) private {
        if (to == address(0)) revert ZeroAddress();
        if (amount == 0) return;
        s.withdrawn += amount;
        emit Withdrawn(streamId, msg.sender, to, amount);
        Funds.push(s.token, to, amount);
    }

    function _cancel(uint256 streamId) private {
        Stream storage s = _stream(streamId);
        if (msg.sender != s.sender) revert NotStreamSender(streamId, msg.sender);
        uint128 unvested = s.unvestedAt(block.timestamp);
        if (unvested == 0) revert NothingToCancel(streamId);
        s.snapshot(block.timestamp);
        s.refunded += unvested;
        s.canceled = true;
        uint128 owed = s.refunded - s.refundPaid;
        s.refundPaid = s.refunded;
        emit StreamCanceled(streamId, msg.sender, s.recipient, owed, s.vestedSnapshot - s.withdrawn);
        Funds.push(s.token, msg.sender, owed);
    }

    function _stream(uint256 streamId) internal view returns (Stream storage s) {
        s = _streams[streamId];
        if (s.sender == address(0)) revert UnknownStream(streamId);
    }

    function _recipientStream(uint256 streamId) private view returns (Stream storage s) {
        s = _stream(streamId);
        if (msg.sender != s.recipient) revert NotStreamRecipient(streamId, msg.sender);
    }

    function _checkBatch(uint256 size) internal pure {
        if (size == 0 || size > MAX_BATCH) revert BatchSizeInvalid(size, MAX_BATCH);
    }
}
