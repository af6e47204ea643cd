// Giving a test merchant money of its own the way a customer would: a permanent deposit address
// (POST /v1/address/new) paid on the devnet — a token minted to it (a real Transfer log) or native
// coin sent from one of anvil's unlocked accounts — then waiting until the stack's worker has
// confirmed it and the merchant's ledger shows it available.
import { numberToHex, type Address } from "viem";
import { mintDevnetToken } from "@/lib/devnet/evm";
import { api } from "../../helpers/api";
import { rpcCall } from "./watcher";

/** anvil's first standard account: unlocked on every devnet chain */
export const ANVIL_ACCOUNT_0 = "0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266";

export async function availableOf(key: string, code: string): Promise<bigint> {
  const r = await api(key).get("/v1/balances");
  const row = (r.json.data as { code: string; available: string }[]).find((b) => b.code === code);
  return BigInt(row?.available ?? "0");
}

/**
 * Pays `amount` base units of `code` to a new deposit address of the merchant on the chain at
 * `rpcUrl` (`token` null: the native coin) and waits until it is available. Returns the address
 * as the API gave it (0x… or T…) and its 0x form.
 */
export async function fundMerchant(key: string, opts: { code: string; amount: bigint; rpcUrl: string; token: Address | null; wire?: (a: string) => Address }): Promise<string> {
  const before = await availableOf(key, opts.code);
  const created = await api(key).post("/v1/address/new", { user_id: "funding", currency: opts.code });
  if (created.status !== 200) throw new Error(`address/new: ${created.status} ${created.text}`);
  const address = created.json.address as string;
  const to = opts.wire ? opts.wire(address) : (address as Address);
  if (opts.token) await mintDevnetToken(opts.rpcUrl, opts.token, to, opts.amount);
  else await rpcCall(opts.rpcUrl, "eth_sendTransaction", [{ from: ANVIL_ACCOUNT_0, to, value: numberToHex(opts.amount) }]);
  const deadline = Date.now() + 45_000;
  while ((await availableOf(key, opts.code)) < before + opts.amount) {
    if (Date.now() > deadline) throw new Error(`the deposit of ${opts.amount} ${opts.code} to ${address} was not confirmed in time`);
    await new Promise((r) => setTimeout(r, 250));
  }
  return address;
}
