// Compiles MiniEns.sol (devnet ENS registry + resolver) with the pinned `solc` npm package. Only
// scripts/compile-contracts.ts and the artifact freshness test import this; start-up uses the
// committed JSON artifact.
import { fileURLToPath } from "node:url";
import { compileSolidity, serializeContract, type SolidityContract } from "./solc";

export type MiniEnsArtifact = { registry: SolidityContract; resolver: SolidityContract };

export const MINI_ENS_SOURCE_PATH = fileURLToPath(new URL("./contracts/MiniEns.sol", import.meta.url));
export const MINI_ENS_ARTIFACT_PATH = fileURLToPath(new URL("./contracts/mini-ens.json", import.meta.url));

export function compileMiniEns(): MiniEnsArtifact {
  const c = compileSolidity(MINI_ENS_SOURCE_PATH, ["MiniEnsRegistry", "MiniEnsResolver"]);
  return { registry: c.MiniEnsRegistry, resolver: c.MiniEnsResolver };
}

export const serializeEnsArtifact = (artifact: MiniEnsArtifact): string => serializeContract(artifact);
