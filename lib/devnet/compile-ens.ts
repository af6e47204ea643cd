// Compiles MiniEns.sol (devnet ENS registry + resolver) with the pinned `solc` npm package. Only
// scripts/compile-contracts.ts and the artifact freshness test import this; start-up uses the
// committed JSON artifact.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import solc from "solc";

type Contract = { abi: unknown[]; bytecode: `0x${string}` };
export type MiniEnsArtifact = { registry: Contract; resolver: Contract };

const SOURCE_NAME = "MiniEns.sol";
export const MINI_ENS_SOURCE_PATH = fileURLToPath(new URL("./contracts/MiniEns.sol", import.meta.url));
export const MINI_ENS_ARTIFACT_PATH = fileURLToPath(new URL("./contracts/mini-ens.json", import.meta.url));

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
};

export function compileMiniEns(): MiniEnsArtifact {
  const input = {
    language: "Solidity",
    sources: { [SOURCE_NAME]: { content: readFileSync(MINI_ENS_SOURCE_PATH, "utf8") } },
    settings: {
      evmVersion: "paris",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { [SOURCE_NAME]: { MiniEnsRegistry: ["abi", "evm.bytecode.object"], MiniEnsResolver: ["abi", "evm.bytecode.object"] } },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc failed to compile ${SOURCE_NAME}:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const pick = (name: string): Contract => {
    const c = output.contracts?.[SOURCE_NAME]?.[name];
    if (!c) throw new Error(`solc produced no output for ${name}`);
    return { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  };
  return { registry: pick("MiniEnsRegistry"), resolver: pick("MiniEnsResolver") };
}

export function serializeEnsArtifact(artifact: MiniEnsArtifact): string {
  return `${JSON.stringify(artifact, null, 2)}\n`;
}
