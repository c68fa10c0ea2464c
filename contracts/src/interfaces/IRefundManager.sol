// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Turns recorded SLA breaches into refunds, each breach id at most once.
interface IRefundManager {
    /// @notice What processing a breach did.
    /// Refunded: its tier's share of the unvested remainder was credited to the sender.
    /// Stopped: the stream was stopped (SLA cancellation), its whole unvested remainder credited.
    /// NothingToRefund: processed, but nothing was left to vest (ended, canceled or zero-bps tier).
    /// AlreadyProcessed: the id had been processed before; nothing changed.
    /// UnknownBreach: the oracle has no such breach (batch only; a single call reverts).
    enum Outcome {
        Refunded,
        Stopped,
        NothingToRefund,
        AlreadyProcessed,
        UnknownBreach
    }

    /// @notice How far a breach id has been used.
    enum BreachState {
        Unprocessed,
        Refunded,
        FullyRefunded
    }

    /// @notice A breach was processed: its tier's refund was `refunded`; `stopped` if it also
    /// triggered the SLA's automatic stop (then `refunded` includes the stop's amount).
    event BreachProcessed(bytes32 indexed breachId, uint256 indexed streamId, uint8 tier, uint128 refunded, bool stopped);
    /// @notice An executor escalated a breach to a full refund: the stream was stopped and its
    /// unvested remainder, `refunded`, credited to the sender.
    event FullRefundExecuted(bytes32 indexed breachId, uint256 indexed streamId, address indexed executor, uint128 refunded);

    error UnknownBreach(bytes32 breachId);
    error BatchSizeInvalid(uint256 size, uint256 max);
    error ZeroAddress();

    /// @notice Applies a recorded breach: its tier's refund and, if it is severe, the SLA's
    /// automatic stop. Anyone may call it; a breach already processed returns AlreadyProcessed.
    function processBreach(bytes32 breachId) external returns (Outcome outcome, uint128 refunded);
}
