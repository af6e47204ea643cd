// Compiles MockERC20.sol with the pinned `solc` npm package. Only the build
// script and the artifact freshness test import this: start-up uses the
// committed JSON artifact so it never pays for a solc-js compile.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import solc from "solc";

export type MockErc20Artifact = { abi: unknown[]; bytecode: `0x${string}` };

const SOURCE_NAME = "MockERC20.sol";
const CONTRACT_NAME = "MockERC20";

export const MOCK_ERC20_SOURCE_PATH = fileURLToPath(new URL("./contracts/MockERC20.sol", import.meta.url));
export const MOCK_ERC20_ARTIFACT_PATH = fileURLToPath(new URL("./contracts/mock-erc20.json", import.meta.url));

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
};

export function compileMockErc20(): MockErc20Artifact {
  const input = {
    language: "Solidity",
    sources: { [SOURCE_NAME]: { content: readFileSync(MOCK_ERC20_SOURCE_PATH, "utf8") } },
    settings: {
      // "paris" avoids PUSH0 so the bytecode stays valid on any EVM fork anvil might emulate.
      evmVersion: "paris",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { [SOURCE_NAME]: { [CONTRACT_NAME]: ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) {
    throw new Error(`solc failed to compile ${SOURCE_NAME}:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  }
  const contract = output.contracts?.[SOURCE_NAME]?.[CONTRACT_NAME];
  if (!contract) throw new Error(`solc produced no output for ${CONTRACT_NAME}`);
  return { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` };
}

/** Stable serialisation so re-running the script yields a byte-identical file. */
export function serializeArtifact(artifact: MockErc20Artifact): string {
  return `${JSON.stringify(artifact, null, 2)}\n`;
}
