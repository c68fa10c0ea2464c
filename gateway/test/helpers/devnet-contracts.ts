// Two tiny contracts for devnet tests, compiled with the project's solc-js: an Emitter that logs
// and counts, and a Caller that keeps a total and calls the Emitter (a nested call frame, storage
// writes in two contracts), a reset that clears its storage slot, and a function that always reverts.
import { createPublicClient, createWalletClient, http, type Abi, type Address, type Hex, type PublicClient, type WalletClient } from "viem";
import { foundry } from "viem/chains";
import { compileSources } from "../../../contracts/scripts/compile.mjs";

const SOURCE = `// SPDX-License-Identifier: MIT
pragma solidity ^0.8.20;

contract Emitter {
    event Pinged(address indexed from, uint256 indexed n, bytes note);
    uint256 public count;

    function ping(uint256 n, bytes calldata note) external {
        count += 1;
        emit Pinged(msg.sender, n, note);
    }
}

contract Caller {
    Emitter public immutable target;
    uint256 public total;

    constructor(Emitter t) {
        target = t;
    }

    function relay(uint256 n, bytes calldata note) external {
        total += n;
        target.ping(n, note);
    }

    function reset() external {
        total = 0;
    }

    function fail() external pure {
        revert("nope");
    }
}
`;

export interface DevnetContracts {
  emitterAbi: Abi;
  callerAbi: Abi;
  emitterBytecode: Hex;
  callerBytecode: Hex;
}

let compiled: DevnetContracts | undefined;

export function devnetContracts(): DevnetContracts {
  if (compiled) return compiled;
  const out = compileSources({ "DevnetContracts.sol": SOURCE });
  const e = out.contracts.Emitter;
  const c = out.contracts.Caller;
  compiled = { emitterAbi: e.abi as unknown as Abi, callerAbi: c.abi as unknown as Abi, emitterBytecode: e.bytecode, callerBytecode: c.bytecode };
  return compiled;
}

/** viem clients on an anvil, sending from its first unlocked account. */
export function devnetClients(url: string): { pub: PublicClient; wallet: WalletClient; from: Address } {
  const transport = http(url, { retryCount: 0 });
  return {
    pub: createPublicClient({ chain: foundry, transport, pollingInterval: 50 }),
    wallet: createWalletClient({ chain: foundry, transport }),
    from: "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266",
  };
}
