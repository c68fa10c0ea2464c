// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ISLAStreamFactory} from "./interfaces/ISLAStreamFactory.sol";
import {Funds} from "./libraries/Funds.sol";
import {StreamMath} from "./libraries/StreamMath.sol";
import {StreamIds} from "./libraries/StreamIds.sol";
import {StreamLedger} from "./StreamLedger.sol";
import {Stream, StreamSpec} from "./types/Stream.sol";
import {SLA, SLALib} from "./types/SLA.sol";

/// @title SLAStreamFactory
/// @notice Payment streams bound by a service-level agreement. Breaches are judged by the
/// AgentOracle and turned into refunds by the RefundManager, which is the only caller of the refund
/// entry points and is fixed at deployment (no role can later point them elsewhere). Refunds only
/// ever come out of the unvested remainder, and are credited to the sender to claim (pull), so a
/// sender that cannot receive never blocks the refund path.
contract SLAStreamFactory is StreamLedger, ISLAStreamFactory {
    using StreamMath for Stream;

    /// @notice The RefundManager: the only caller of `refundUnvested` and `stopForSLA`.
    address public immutable refundManager;

    /// @dev SLAs by content hash: a batch of streams under one SLA stores it once.
    mapping(bytes32 slaId => SLA) internal _slas;
    /// @notice The SLA each stream is bound by.
    mapping(uint256 streamId => bytes32) public slaIdOf;

    modifier onlyRefundManager() {
        if (msg.sender != refundManager) revert NotRefundManager(msg.sender);
        _;
    }

    /// @param admin holder of the admin and pauser roles
    /// @param refundManager_ the RefundManager (its address is known before it is deployed)
    constructor(address admin, address refundManager_) StreamLedger(admin) {
        if (refundManager_ == address(0)) revert ZeroAddress();
        refundManager = refundManager_;
    }

    // ---------------------------------------------------------------------------------------- create

    /// @notice Creates and funds one stream from the caller to `recipient`, vesting `deposit` of
    /// `token` (address(0): native, sent as msg.value; an ERC-20 needs an allowance) linearly from
    /// `startTime` to `stopTime`, under `sla`.
    /// @return streamId the new stream's id (see `nextStreamId`)
    function createStream(
        address recipient,
        address token,
        uint128 deposit,
        uint40 startTime,
        uint40 stopTime,
        SLA calldata sla
    ) external payable whenNotPaused nonReentrant returns (uint256 streamId) {
        // Bound before the deposit is pulled, so that no state changes after the token call.
        _bindSLA(StreamIds.make(msg.sender, streamNonce[msg.sender]), _registerSLA(sla));
        streamId = _createStream(token, recipient, deposit, startTime, stopTime);
    }

    /// @notice Creates and funds up to MAX_BATCH streams in one token, all under `sla`. The native
    /// token's msg.value, or the ERC-20 allowance, must cover the sum of the deposits.
    /// @return firstId the first stream's id; the others follow consecutively
    function createStreams(address token, SLA calldata sla, StreamSpec[] calldata specs)
        external
        payable
        whenNotPaused
        nonReentrant
        returns (uint256 firstId)
    {
        _checkBatch(specs.length);
        bytes32 slaId = _registerSLA(sla);
        // Bound before the deposits are pulled, so that no state changes after the token call.
        uint256 next = StreamIds.make(msg.sender, streamNonce[msg.sender]);
        for (uint256 i; i < specs.length; ++i) {
            _bindSLA(next + i, slaId);
        }
        firstId = _createStreams(token, specs);
    }

    // ----------------------------------------------------------------------------------------- refunds

    /// @inheritdoc ISLAStreamFactory
    function refundUnvested(uint256 streamId, uint16 bps, bytes32 breachId)
        external
        onlyRefundManager
        whenNotPaused
        returns (uint128 amount)
    {
        if (bps > SLALib.BPS) revert RefundBpsInvalid(bps);
        Stream storage s = _stream(streamId);
        uint128 unvested = s.unvestedAt(block.timestamp);
        amount = uint128((uint256(unvested) * bps) / SLALib.BPS);
        if (amount == 0) return 0;
        s.snapshot(block.timestamp);
        s.refunded += amount;
        emit SLARefunded(streamId, breachId, bps, amount);
    }

    /// @inheritdoc ISLAStreamFactory
    function stopForSLA(uint256 streamId, bytes32 breachId)
        external
        onlyRefundManager
        whenNotPaused
        returns (uint128 amount)
    {
        Stream storage s = _stream(streamId);
        amount = s.unvestedAt(block.timestamp);
        if (amount == 0) return 0;
        s.snapshot(block.timestamp);
        s.refunded += amount;
        s.canceled = true;
        emit SLAStopped(streamId, breachId, amount, s.vestedSnapshot - s.withdrawn);
    }

    /// @notice Pays the sender the refunds credited to it and not yet paid; returns the amount.
    /// Anyone may call it (an agent can finish a refund), since the money only goes to the sender.
    /// Open while paused.
    function claimRefund(uint256 streamId) external nonReentrant returns (uint128 amount) {
        Stream storage s = _stream(streamId);
        amount = _claimRefund(streamId, s, s.sender);
    }

    /// @notice Pays the sender's unclaimed refunds to `to`: for a sender that cannot receive the
    /// token itself. Sender only; open while paused.
    function claimRefundTo(uint256 streamId, address to) external nonReentrant returns (uint128 amount) {
        Stream storage s = _stream(streamId);
        if (msg.sender != s.sender) revert NotStreamSender(streamId, msg.sender);
        if (to == address(0)) revert ZeroAddress();
        amount = _claimRefund(streamId, s, to);
    }

    /// @notice `claimRefund` for each stream (at most MAX_BATCH).
    function claimRefunds(uint256[] calldata streamIds) external nonReentrant {
        _checkBatch(streamIds.length);
        for (uint256 i; i < streamIds.length; ++i) {
            Stream storage s = _stream(streamIds[i]);
            _claimRefund(streamIds[i], s, s.sender);
        }
    }

    // ------------------------------------------------------------------------------------------- views

    /// @notice The refunds credited to the sender and not yet paid.
    function claimableRefundOf(uint256 streamId) external view returns (uint128) {
        Stream storage s = _stream(streamId);
        return s.refunded - s.refundPaid;
    }

    /// @notice The SLA stored under `slaId` (all zero if none).
    function getSLA(bytes32 slaId) external view returns (SLA memory) {
        return _slas[slaId];
    }

    /// @notice The SLA of a stream. Reverts for an unknown stream.
    function slaOf(uint256 streamId) external view returns (SLA memory) {
        _stream(streamId);
        return _slas[slaIdOf[streamId]];
    }

    /// @inheritdoc ISLAStreamFactory
    function slaTermsOf(uint256 streamId)
        external
        view
        returns (bool exists, uint40 startTime, uint40 stopTime, SLA memory sla)
    {
        Stream storage s = _streams[streamId];
        exists = s.sender != address(0);
        startTime = s.startTime;
        stopTime = s.stopTime;
        sla = _slas[slaIdOf[streamId]];
    }

    // ---------------------------------------------------------------------------------------- internal

    function _registerSLA(SLA calldata sla) private returns (bytes32 slaId) {
        SLALib.validate(sla);
        slaId = SLALib.id(sla);
        // Written once per distinct SLA; later creations only read the window length to see it is set.
        if (_slas[slaId].windowSeconds == 0) {
            _slas[slaId] = sla;
            emit SLARegistered(slaId, sla);
        }
    }

    function _bindSLA(uint256 streamId, bytes32 slaId) private {
        slaIdOf[streamId] = slaId;
        emit StreamSLA(streamId, slaId);
    }

    function _claimRefund(uint256 streamId, Stream storage s, address to) private returns (uint128 amount) {
        amount = s.refunded - s.refundPaid;
        if (amount == 0) return 0;
        s.refundPaid = s.refunded;
        emit RefundClaimed(streamId, s.sender, to, amount);
        Funds.push(s.token, to, amount);
    }
}
