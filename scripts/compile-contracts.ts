// Regenerates lib/devnet/contracts/mock-erc20.json from MockERC20.sol.
// Run after editing the contract: `npx tsx scripts/compile-contracts.ts`.
// The artifact is committed so devnet start-up never needs to compile.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import solc from "solc";
import {
  MOCK_ERC20_ARTIFACT_PATH,
  compileMockErc20,
  serializeArtifact,
} from "../lib/devnet/compile-mock-erc20";

const artifact = compileMockErc20();
writeFileSync(MOCK_ERC20_ARTIFACT_PATH, serializeArtifact(artifact));
console.log(
  `solc ${solc.version()}: wrote ${relative(process.cwd(), MOCK_ERC20_ARTIFACT_PATH)} ` +
    `(${(artifact.bytecode.length - 2) / 2} bytes of init code)`,
);
