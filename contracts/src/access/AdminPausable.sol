// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {AccessControlDefaultAdminRules} from
    "@openzeppelin/contracts/access/extensions/AccessControlDefaultAdminRules.sol";
import {Pausable} from "@openzeppelin/contracts/utils/Pausable.sol";

/// @notice Roles and the emergency stop shared by every contract here.
/// @dev The admin role moves only by a two-step transfer with a delay (OpenZeppelin's
/// DefaultAdminRules), so a mistyped or compromised hand-over can be seen and canceled. Any pauser
/// can stop the contract at once; only the admin can resume it, so a leaked pauser key can annoy but
/// not toggle. What a pause blocks is chosen per contract: new money and new judgements (creating,
/// paying, reporting, refunding) stop, while exits that only return money to its owner (withdraw,
/// cancel, claim) stay open, so no role can freeze users' funds.
abstract contract AdminPausable is AccessControlDefaultAdminRules, Pausable {
    bytes32 public constant PAUSER_ROLE = keccak256("PAUSER_ROLE");
    uint48 public constant ADMIN_TRANSFER_DELAY = 2 days;

    constructor(address admin) AccessControlDefaultAdminRules(ADMIN_TRANSFER_DELAY, admin) {
        _grantRole(PAUSER_ROLE, admin);
    }

    /// @notice Stops the paused-guarded functions. Pauser only.
    function pause() external onlyRole(PAUSER_ROLE) {
        _pause();
    }

    /// @notice Resumes them. Admin only.
    function unpause() external onlyRole(DEFAULT_ADMIN_ROLE) {
        _unpause();
    }
}
