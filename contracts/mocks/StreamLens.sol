// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IStreamLedger} from "../src/interfaces/IStreamLedger.sol";
import {Stream} from "../src/types/Stream.sol";

/// @notice Reads many streams and the ledger's balances in one call, for invariant tests.
contract StreamLens {
    struct View {
        Stream stream;
        uint128 vested;
        uint128 unvested;
        uint128 withdrawable;
    }

    function read(IStreamLedger ledger, uint256[] calldata ids, address token)
        external
        view
        returns (View[] memory views, uint256 nativeBalance, uint256 tokenBalance, uint256 timestamp)
    {
        views = new View[](ids.length);
        for (uint256 i; i < ids.length; ++i) {
            views[i] = View(ledger.getStream(ids[i]), ledger.vestedOf(ids[i]), ledger.unvestedOf(ids[i]), ledger.withdrawableOf(ids[i]));
        }
        nativeBalance = address(ledger).balance;
        tokenBalance = IERC20(token).balanceOf(address(ledger));
        timestamp = block.timestamp;
    }
}
