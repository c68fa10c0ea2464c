// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice Identifiers built from the creator's address and the creator's own counter:
/// id = creator << 96 | nonce. There is no contract-wide counter, so creations by different accounts
/// write disjoint storage and Monad's optimistic parallel execution never has to re-run one because
/// of another; an account's own creations are already ordered by its transaction nonce. The creator
/// can be read back from the id, and ids stay unique for 2^96 creations per account.
library StreamIds {
    function make(address creator, uint96 nonce) internal pure returns (uint256) {
        return (uint256(uint160(creator)) << 96) | nonce;
    }

    function creatorOf(uint256 id) internal pure returns (address) {
        return address(uint160(id >> 96));
    }
}
