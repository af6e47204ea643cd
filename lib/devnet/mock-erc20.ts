// Runtime view of the committed MockERC20 artifact (see scripts/compile-contracts.ts).
import { parseAbi, type Abi, type Hex } from "viem";
import artifact from "./contracts/mock-erc20.json" with { type: "json" };

/** Full ABI from solc; only needed for deployment (constructor). */
export const mockErc20Abi = artifact.abi as unknown as Abi;
export const mockErc20Bytecode = artifact.bytecode as Hex;

/** Typed fragment for the devnet-only open mint; standard calls use viem's `erc20Abi`. */
export const mockErc20MintAbi = parseAbi(["function mint(address to, uint256 value)"]);
