import { readFileSync } from "node:fs";
import { getContractAddress, keccak256, toBytes } from "viem";
import { privateKeyToAccount } from "viem/accounts";
import { describe, expect, it } from "vitest";
import { compileMiniEns, MINI_ENS_ARTIFACT_PATH, serializeEnsArtifact } from "@/lib/devnet/compile-ens";
import { DEVNET_ENS_DEPLOYER_SEED, DEVNET_ENS_REGISTRY, DEVNET_ENS_RESOLVER } from "@/lib/devnet/evm-constants";

describe("devnet ENS", () => {
  it("sits at the addresses its deployer's nonces 0 and 1 give", () => {
    const from = privateKeyToAccount(keccak256(toBytes(DEVNET_ENS_DEPLOYER_SEED))).address;
    expect(getContractAddress({ from, nonce: 0n })).toBe(DEVNET_ENS_REGISTRY);
    expect(getContractAddress({ from, nonce: 1n })).toBe(DEVNET_ENS_RESOLVER);
  });

  it("has a committed artifact that matches MiniEns.sol", () => {
    expect(readFileSync(MINI_ENS_ARTIFACT_PATH, "utf8")).toBe(serializeEnsArtifact(compileMiniEns()));
  }, 30_000);
});
