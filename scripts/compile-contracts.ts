// Regenerates the committed contract artifacts: lib/devnet/contracts/mock-erc20.json from
// MockERC20.sol, mini-ens.json from MiniEns.sol, lib/chains/evm/sweeper/sweeper.json from
// TollgateSweeper.sol. Run after editing a contract:
// `npx tsx scripts/compile-contracts.ts`. Artifacts are committed so devnet start-up never compiles.
import { writeFileSync } from "node:fs";
import { relative } from "node:path";
import solc from "solc";
import { MINI_ENS_ARTIFACT_PATH, compileMiniEns, serializeEnsArtifact } from "../lib/devnet/compile-ens";
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
writeFileSync(MINI_ENS_ARTIFACT_PATH, serializeEnsArtifact(compileMiniEns()));
console.log(`solc ${solc.version()}: wrote ${relative(process.cwd(), MINI_ENS_ARTIFACT_PATH)}`);
const { SWEEPER_ARTIFACT_PATH, compileSweeper } = await import("../lib/chains/evm/sweeper/compile");
const { serializeContract } = await import("../lib/devnet/solc");
writeFileSync(SWEEPER_ARTIFACT_PATH, serializeContract(compileSweeper()));
console.log(`solc ${solc.version()}: wrote ${relative(process.cwd(), SWEEPER_ARTIFACT_PATH)}`);
const { TON_CONTRACTS_ARTIFACT_PATH, TON_HIGHLOAD_ARTIFACT_PATH, compileTonContracts, compileTonHighload, serializeTonArtifact } = await import("../lib/devnet/compile-ton");
writeFileSync(TON_CONTRACTS_ARTIFACT_PATH, serializeTonArtifact(await compileTonContracts()));
console.log(`func-js: wrote ${relative(process.cwd(), TON_CONTRACTS_ARTIFACT_PATH)}`);
writeFileSync(TON_HIGHLOAD_ARTIFACT_PATH, `${JSON.stringify(await compileTonHighload(), null, 2)}\n`);
console.log(`func-js: wrote ${relative(process.cwd(), TON_HIGHLOAD_ARTIFACT_PATH)}`);
