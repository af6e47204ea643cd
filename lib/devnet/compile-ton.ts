// Compiles the local TON devnet's contracts with the FunC compiler from npm (WASM,
// @ton-community/func-js): the standard TEP-74 jetton minter and wallet
// (github.com/ton-blockchain/token-contract, MIT, sources in ./contracts/ton) and a minimal DNS
// resolver (./contracts/ton/dns-resolver.fc). Only scripts/compile-contracts.ts and the artifact
// freshness test import this; the devnet starts from the committed ./contracts/ton-contracts.json.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { compileFunc } from "@ton-community/func-js";

export const TON_CONTRACTS_ARTIFACT_PATH = fileURLToPath(new URL("./contracts/ton-contracts.json", import.meta.url));
const dir = fileURLToPath(new URL("./contracts/ton/", import.meta.url));

const JETTON = ["stdlib.fc", "params.fc", "op-codes.fc", "jetton-utils.fc"];
const TARGETS = {
  jettonMinter: [...JETTON, "jetton-minter.fc"],
  jettonWallet: [...JETTON, "jetton-wallet.fc"],
  dnsResolver: ["stdlib.fc", "dns-resolver.fc"],
} as const;

export type TonContractsArtifact = Record<keyof typeof TARGETS, string>;

/** The TON hot wallet's code (lib/chains/ton/contracts: a highload wallet v3), compiled the same way. */
export const TON_HIGHLOAD_ARTIFACT_PATH = fileURLToPath(new URL("../chains/ton/contracts/highload-wallet-v3.json", import.meta.url));
const highloadDir = fileURLToPath(new URL("../chains/ton/contracts/", import.meta.url));

export async function compileTonHighload(): Promise<{ code: string }> {
  const sources = { "stdlib.fc": readFileSync(dir + "stdlib.fc", "utf8"), "highload-wallet-v3.fc": readFileSync(highloadDir + "highload-wallet-v3.fc", "utf8") };
  const r = await compileFunc({ targets: Object.keys(sources), sources });
  if (r.status === "error") throw new Error(`FunC: highload-wallet-v3: ${r.message}`);
  return { code: r.codeBoc };
}

/** Each contract's code cell as a base64 BOC. */
export async function compileTonContracts(): Promise<TonContractsArtifact> {
  const out = {} as TonContractsArtifact;
  for (const [name, files] of Object.entries(TARGETS) as [keyof typeof TARGETS, readonly string[]][]) {
    const r = await compileFunc({
      targets: [...files],
      sources: Object.fromEntries(files.map((f) => [f, readFileSync(dir + f, "utf8")])),
    });
    if (r.status === "error") throw new Error(`FunC: ${name}: ${r.message}`);
    out[name] = r.codeBoc;
  }
  return out;
}

export function serializeTonArtifact(a: TonContractsArtifact): string {
  return `${JSON.stringify(a, null, 2)}\n`;
}
