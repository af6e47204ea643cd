// GET /v1/resolve: an ENS name → address, read from the ENS registry of the mode's Ethereum
// network (the devnet deploys a minimal one). viem's getEnsAddress needs the Universal Resolver
// contract, which the devnet does not have; resolution here is the classic two-step lookup with
// viem: registry.resolver(namehash) then resolver.addr(namehash), names normalized per ENSIP-15.
import { getAddress, namehash, parseAbi, zeroAddress, type Address } from "viem";
import { normalize } from "viem/ens";
import { errors } from "@/lib/api/errors";
import { chainFor } from "@/lib/config";
import { evmClient } from "@/lib/chains/evm/client";

const registryAbi = parseAbi(["function resolver(bytes32 node) view returns (address)"]);
const resolverAbi = parseAbi(["function addr(bytes32 node) view returns (address)"]);

/** The address the name points at, or null when it has none. */
export async function resolveEnsName(domain: string, livemode: boolean): Promise<Address | null> {
  let name: string;
  try {
    name = normalize(domain.trim());
  } catch {
    throw errors.validation(`'${domain}' is not a valid ENS name.`, "domain", "invalid_domain");
  }
  if (!/^[^.]+(\.[^.]+)+$/.test(name)) throw errors.validation(`'${domain}' is not a domain name (e.g. alice.eth).`, "domain", "invalid_domain");
  const chain = chainFor("ethereum", livemode);
  if (!chain?.enabled || !chain.ensRegistry) {
    throw errors.validation(`Name resolution is not available in ${livemode ? "live" : "test"} mode: Ethereum or its ENS registry is not configured.`, "domain", "resolution_unavailable");
  }
  const client = evmClient(chain);
  const node = namehash(name);
  const resolver = await client.readContract({ address: chain.ensRegistry as Address, abi: registryAbi, functionName: "resolver", args: [node] });
  if (resolver === zeroAddress) return null;
  const address = await client.readContract({ address: resolver, abi: resolverAbi, functionName: "addr", args: [node] }).catch(() => zeroAddress);
  return address === zeroAddress ? null : getAddress(address);
}
