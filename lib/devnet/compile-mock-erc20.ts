// Compiles MockERC20.sol with the pinned `solc` npm package. Only the build script and the
// artifact freshness test import this: start-up uses the committed JSON artifact so it never pays
// for a solc-js compile. (The paris target avoids PUSH0: valid on any EVM fork anvil emulates.)
import { fileURLToPath } from "node:url";
import { compileSolidity, serializeContract, type SolidityContract } from "./solc";

export type MockErc20Artifact = SolidityContract;

export const MOCK_ERC20_SOURCE_PATH = fileURLToPath(new URL("./contracts/MockERC20.sol", import.meta.url));
export const MOCK_ERC20_ARTIFACT_PATH = fileURLToPath(new URL("./contracts/mock-erc20.json", import.meta.url));

export function compileMockErc20(): MockErc20Artifact {
  return compileSolidity(MOCK_ERC20_SOURCE_PATH, ["MockERC20"]).MockERC20;
}

/** Stable serialisation so re-running the script yields a byte-identical file. */
export const serializeArtifact = (artifact: MockErc20Artifact): string => serializeContract(artifact);
