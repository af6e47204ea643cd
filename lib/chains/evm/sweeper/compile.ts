// Compiles TollgateSweeper.sol (scripts/compile-contracts.ts and the artifact freshness test only).
import { fileURLToPath } from "node:url";
import { compileSolidity, type SolidityContract } from "@/lib/devnet/solc";

export const SWEEPER_SOURCE_PATH = fileURLToPath(new URL("./TollgateSweeper.sol", import.meta.url));
export const SWEEPER_ARTIFACT_PATH = fileURLToPath(new URL("./sweeper.json", import.meta.url));

export function compileSweeper(): SolidityContract {
  return compileSolidity(SWEEPER_SOURCE_PATH, ["TollgateSweeper"]).TollgateSweeper;
}
