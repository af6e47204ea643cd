// Compiles a Solidity file with the pinned `solc` npm package (paris target: no PUSH0, valid on
// every EVM anvil or a mainnet emulates). Only scripts/compile-contracts.ts and the artifact
// freshness tests import this; start-up and the worker read the committed JSON artifacts.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import solc from "solc";

export type SolidityContract = { abi: unknown[]; bytecode: `0x${string}` };

type SolcOutput = {
  errors?: { severity: "error" | "warning" | "info"; formattedMessage: string }[];
  contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>;
};

/** The named contracts of the file at `sourcePath`, optimised (200 runs). */
export function compileSolidity<N extends string>(sourcePath: string, names: readonly N[]): Record<N, SolidityContract> {
  const source = basename(sourcePath);
  const input = {
    language: "Solidity",
    sources: { [source]: { content: readFileSync(sourcePath, "utf8") } },
    settings: {
      evmVersion: "paris",
      optimizer: { enabled: true, runs: 200 },
      outputSelection: { [source]: Object.fromEntries(names.map((n) => [n, ["abi", "evm.bytecode.object"]])) },
    },
  };
  const output = JSON.parse(solc.compile(JSON.stringify(input))) as SolcOutput;
  const errors = (output.errors ?? []).filter((e) => e.severity === "error");
  if (errors.length > 0) throw new Error(`solc failed to compile ${source}:\n${errors.map((e) => e.formattedMessage).join("\n")}`);
  const out = {} as Record<N, SolidityContract>;
  for (const name of names) {
    const c = output.contracts?.[source]?.[name];
    if (!c) throw new Error(`solc produced no output for ${name}`);
    out[name] = { abi: c.abi, bytecode: `0x${c.evm.bytecode.object}` };
  }
  return out;
}

/** Stable serialisation: re-running the compile script yields a byte-identical file. */
export const serializeContract = (c: unknown): string => `${JSON.stringify(c, null, 2)}\n`;
