// TON DNS (TEP-81): a `.ton` name → the address in its `wallet` record (dns_smc_address#9fd3).
// Resolution starts at the network's root resolver (mainnet: config parameter 4; the devnet runs
// its own) with the name's internal form ("wallet.ton" → "ton\0wallet\0"); a resolver that
// answers for a prefix only returns the next resolver (dns_next_resolver#ba93) for the rest.
import { createHash } from "node:crypto";
import { Address, beginCell, type Cell } from "@ton/core";
import type { ChainConfig } from "@/lib/config";
import { tonApi } from "./client";

const CATEGORY_WALLET = BigInt(`0x${createHash("sha256").update("wallet").digest("hex")}`);
const DNS_SMC_ADDRESS = 0x9fd3;
const DNS_NEXT_RESOLVER = 0xba93;
const MAX_HOPS = 8;

/** Why `domain` is not a name TON DNS answers, or null. */
export function tonDomainProblem(domain: string): string | null {
  const labels = domain.split(".");
  if (labels.length < 2 || labels.at(-1) !== "ton" && labels.at(-1) !== "t.me") {
    return `'${domain}' is not a TON DNS name (e.g. alice.ton).`;
  }
  if (labels.some((l) => !/^[a-z0-9-]{1,126}$/.test(l))) return `'${domain}' is not a TON DNS name: labels are lower-case letters, digits and hyphens.`;
  return null;
}

/** "wallet.ton" → "ton\0wallet\0" */
export function internalName(domain: string): Buffer {
  return Buffer.from(domain.split(".").reverse().map((l) => `${l}\0`).join(""), "utf8");
}

/** The address `domain`'s wallet record points at (bounceable, user-friendly), or null when it has none. */
export async function resolveTonName(chain: ChainConfig, root: string, domain: string): Promise<string | null> {
  const { client } = tonApi(chain);
  let resolver = Address.parse(root);
  let rest = internalName(domain);
  for (let hop = 0; hop < MAX_HOPS && rest.length > 0; hop++) {
    const state = await client.getContractState(resolver);
    if (state.state !== "active") return null;
    const r = await client.runMethod(resolver, "dnsresolve", [
      { type: "slice", cell: beginCell().storeBuffer(rest).endCell() },
      { type: "int", value: CATEGORY_WALLET },
    ]).catch(() => null);
    if (!r) return null;
    const bits = r.stack.readNumber();
    const record: Cell | null = r.stack.readCellOpt();
    if (bits === 0 || !record) return null;
    const s = record.beginParse();
    if (bits >= rest.length * 8) {
      if (s.remainingBits < 16 || s.loadUint(16) !== DNS_SMC_ADDRESS) return null;
      const a = s.loadAddress();
      return a.toString({ urlSafe: true, bounceable: true, testOnly: !chain.livemode });
    }
    // a prefix: the record names the resolver for the rest
    if (s.remainingBits < 16 || s.loadUint(16) !== DNS_NEXT_RESOLVER || bits % 8 !== 0) return null;
    resolver = s.loadAddress();
    rest = rest.subarray(bits / 8);
  }
  return null;
}
