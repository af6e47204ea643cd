// One simulation trial (issue 19): fresh merchants with API keys and webhook endpoints, a seeded
// scenario driven through the HTTP API and the devnet chains like users do (sessions, deposit
// addresses, exact/under/over/late/split/wrong-asset payments, top-ups, cancels, refunds,
// withdrawals), reorgs, worker SIGKILLs and PostgreSQL restarts; then quiescence, then the checks
// (check.ts). Every random choice is drawn up front from the trial's seed, so a seed replays the
// same scenario (timing aside).
import { randomBytes } from "node:crypto";
import { getAddress, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createApiKey } from "@/lib/api-keys/keys";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { getMerchantSettings, updateMerchantSettings } from "@/lib/merchants/settings";
import { settlementKey, settlementTargets } from "@/lib/merchants/settlement-networks";
import { seededRandom } from "@/test/helpers/fault-proxy";
import { Bank, reorg, waitReceipt, type SentTransfer } from "./chain";
import type { Endpoint, Receiver } from "./webhook-receiver";
import { CONFIRMATIONS, type SimChain, type World } from "./world";

export type Currency = { code: string; network: string; contract: string | null; decimals: number };

export type SimContext = {
  world: World;
  receiver: Receiver;
  banks: Map<string, Bank>;
  currencies: Currency[];
  ops: Record<string, number>;
  /** every payer of every trial (lowercase): a reorg tells them from the product's senders */
  payers: Set<string>;
  /** quiescence bound per trial */
  settleMs: number;
};

export type TrialMerchant = { merchantId: string; key: string; endpoint: Endpoint };

/** What a trial did, for the checks. */
export type TrialRecord = {
  seed: number;
  trial: number;
  merchants: TrialMerchant[];
  transfers: SentTransfer[];
  sessions: { id: string; merchant: number; receiver: Hex | null; destination: Hex; refundTo: Hex[] }[];
  depositAddresses: { merchant: number; address: Hex; code: string; network: string }[];
  /** the merchants' settlement addresses (Settings) */
  settlementAddresses: Hex[];
  withdrawals: { merchant: number; id: string | null; queryId: string; destination: Hex; amount: bigint; code: string; network: string; refused: boolean }[];
  notes: string[];
  /** what the scenario itself saw break (the API's answers) */
  violations: string[];
};

export const trialSeed = (seed: number, trial: number) => (Math.imul(seed ^ 0x9e3779b9, 0x85ebca6b) + Math.imul(trial + 1, 0xc2b2ae35)) >>> 0;

export function api(ctx: SimContext, key: string) {
  const call = async (method: string, path: string, body?: unknown): Promise<{ status: number; json: any; text: string }> => {
    for (let attempt = 0; ; attempt++) {
      try {
        const res = await fetch(ctx.world.baseUrl + path, {
          method, headers: { Authorization: `Bearer ${key}`, ...(body !== undefined ? { "Content-Type": "application/json" } : {}) },
          body: body === undefined ? undefined : JSON.stringify(body),
        });
        const text = await res.text();
        let json: any;
        try { json = JSON.parse(text); } catch { json = undefined; }
        // the web's database may be restarting: a 5xx is retried like a client would
        if (res.status >= 500 && attempt < 20) { await sleep(500); continue; }
        return { status: res.status, json, text };
      } catch (e) {
        if (attempt >= 20) throw e;
        await sleep(500);
      }
    }
  };
  return { get: (p: string) => call("GET", p), post: (p: string, b?: unknown) => call("POST", p, b ?? {}) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulation's own database calls ride out a PostgreSQL restart the scenario caused (and the password-hash limiter of many merchants made at once). */
export async function retrying<T>(fn: () => Promise<T>, tries = 60): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const m = `${e instanceof Error ? e.message : String(e)} ${(e as { cause?: Error })?.cause?.message ?? ""}`;
      if (i >= tries || !/Too many sign-ins|shutting down|starting up|ENOENT|ECONNREFUSED|ECONNRESET|EPIPE|terminat|Connection terminated|not queryable|timeout exceeded/i.test(m)) throw e;
      await sleep(500);
    }
  }
}
const fresh = (): Hex => privateKeyToAccount(generatePrivateKey()).address;
const count = (ctx: SimContext, kind: string) => { ctx.ops[kind] = (ctx.ops[kind] ?? 0) + 1; };

type SessionVariant = "exact" | "under" | "underTopUp" | "over" | "wrongAsset" | "splitNetworks" | "cancel" | "late" | "unpaid";
type Op =
  | { kind: "session"; at: number; merchant: number; dest: number; pay: number; variant: SessionVariant; cents: number; frac: number; refund: boolean }
  | { kind: "deposit"; at: number; merchant: number; chain: number; usdt: boolean; amounts: number[]; withdraw: "none" | "part" | "all" | "tooMuch"; retry: boolean }
  | { kind: "reorg"; at: number; chain: number; depth: number; dropOwn: boolean; dropProduct: boolean; r: number }
  | { kind: "killWorker"; at: number; downMs: number; slot: number }
  | { kind: "restartPostgres"; at: number; downMs: number };

const VARIANTS: SessionVariant[] = ["exact", "exact", "exact", "under", "underTopUp", "over", "wrongAsset", "splitNetworks", "cancel", "late", "unpaid"];

/** The scenario: every draw made here, before anything runs. */
export function plan(seed: number, trial: number, world: { canRestartPostgres: boolean }): { merchants: number; settlement: boolean[]; ops: Op[]; rand: () => number } {
  const rand = seededRandom(trialSeed(seed, trial));
  const int = (n: number) => Math.floor(rand() * n);
  const merchants = rand() < 0.3 ? 2 : 1;
  // most merchants set settlement addresses (Settings): payments on another network or token are forwarded there
  const settlement = Array.from({ length: merchants }, () => rand() < 0.85);
  const n = 2 + int(4);
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const x = rand();
    const at = int(3000);
    if (x < 0.55) {
      ops.push({ kind: "session", at, merchant: int(merchants), dest: int(2), pay: int(2), variant: VARIANTS[int(VARIANTS.length)], cents: 100 + int(4900), frac: 0.3 + rand() * 0.6, refund: rand() < 0.5 });
    } else if (x < 0.8) {
      const amounts = Array.from({ length: 1 + int(2) }, () => 100 + int(9900));
      ops.push({ kind: "deposit", at, merchant: int(merchants), chain: int(2), usdt: rand() < 0.3, amounts, withdraw: (["none", "part", "part", "all", "tooMuch"] as const)[int(5)], retry: rand() < 0.3 });
    } else if (x < 0.9) {
      ops.push({ kind: "reorg", at: 1000 + int(6000), chain: int(2), depth: 1 + int(CONFIRMATIONS - 1), dropOwn: rand() < 0.3, dropProduct: rand() < 0.3, r: int(2 ** 31) });
    } else if (x < 0.95) {
      // one kind of payment more, so sessions and deposit addresses stay most of the load
      ops.push({ kind: "session", at, merchant: int(merchants), dest: int(2), pay: int(2), variant: "exact", cents: 100 + int(4900), frac: 0.5, refund: false });
    } else if (x < 0.99 || !world.canRestartPostgres) {
      ops.push({ kind: "killWorker", at: int(8000), downMs: int(1000), slot: int(2) });
    } else {
      ops.push({ kind: "restartPostgres", at: int(8000), downMs: 200 + int(800) });
    }
  }
  return { merchants, settlement, ops, rand };
}

function codeOf(ctx: SimContext, network: string, token: string): Currency {
  const c = ctx.currencies.find((x) => x.network === network && x.contract?.toLowerCase() === token.toLowerCase());
  if (!c) throw new Error(`no currency for ${token} on ${network}`);
  return c;
}

export async function runTrial(ctx: SimContext, seed: number, trial: number): Promise<TrialRecord> {
  const { merchants: nMerchants, settlement, ops } = plan(seed, trial, ctx.world);
  const rec: TrialRecord = { seed, trial, merchants: [], transfers: [], sessions: [], depositAddresses: [], settlementAddresses: [], withdrawals: [], notes: [], violations: [] };
  const tag = `s${seed}t${trial}-${randomBytes(3).toString("hex")}`;
  for (let i = 0; i < nMerchants; i++) {
    const { merchantId } = await retrying(() => createMerchant({ name: `Sim ${tag} #${i}`, email: `${tag}-${i}@sim.local`, password: randomBytes(12).toString("base64url") }));
    const { key } = await retrying(() => createApiKey(merchantId, false, "sim"));
    if (settlement[i]) {
      // what the dashboard's Settings page saves
      const current = (await retrying(() => getMerchantSettings(merchantId)))!;
      const to = fresh();
      const targets = settlementTargets().filter((t) => !t.livemode && ctx.world.chains.some((c) => c.network === t.network));
      await retrying(() => updateMerchantSettings(merchantId, { ...current, settlement: Object.fromEntries(targets.map((t) => [settlementKey(t.network, false), to])) }, targets));
      rec.settlementAddresses.push(getAddress(to));
    }
    const endpoint = ctx.receiver.endpoint(`/${tag}/${i}`, seededRandom(trialSeed(seed, trial) ^ (i + 1)));
    const r = await api(ctx, key).post("/v1/webhook-endpoints", { url: ctx.receiver.url(endpoint.path) });
    if (r.status !== 200 && r.status !== 201) throw new Error(`webhook endpoint: ${r.status} ${r.text}`);
    endpoint.secret = r.json.secret;
    rec.merchants.push({ merchantId, key, endpoint });
    count(ctx, "merchant");
  }
  const payers = new Set<string>();
  const results = await Promise.allSettled(ops.map(async (op) => {
    await sleep(op.at);
    switch (op.kind) {
      case "session": return sessionOp(ctx, rec, op, payers);
      case "deposit": return depositOp(ctx, rec, op, payers);
      case "reorg": {
        count(ctx, "reorg");
        const chain = ctx.world.chains[op.chain];
        // dropped: this trial's payers' transactions (never sent again), and/or the product's own
        // (hot wallet, receivers: a node that lost them; the product must send them again)
        const bank = ctx.banks.get(chain.network)!.address;
        const drop = (from: string) => (op.dropOwn && payers.has(from)) || (op.dropProduct && from !== bank && !ctx.payers.has(from));
        const r = await reorg(chain, op.depth, seededRandom(op.r), drop);
        if (r.dropped) count(ctx, "reorg.dropped_tx");
        return;
      }
      case "killWorker":
        count(ctx, (await ctx.world.killWorker(op.downMs, op.slot)) ? "worker.sigkill" : "worker.sigkill_skipped");
        return;
      case "restartPostgres":
        count(ctx, "postgres.restart");
        return ctx.world.restartPostgres(op.downMs);
    }
  }));
  for (const r of results) if (r.status === "rejected") rec.notes.push(`operation failed: ${r.reason instanceof Error ? r.reason.message : String(r.reason)}`);
  return rec;
}

async function sessionOp(ctx: SimContext, rec: TrialRecord, op: Extract<Op, { kind: "session" }>, payers: Set<string>): Promise<void> {
  count(ctx, `session.${op.variant}`);
  const m = rec.merchants[op.merchant];
  const a = api(ctx, m.key);
  const dest = ctx.world.chains[op.dest];
  const payChain = ctx.world.chains[op.pay];
  const destination = fresh();
  const amountUnits = `${Math.floor(op.cents / 100)}.${String(op.cents % 100).padStart(2, "0")}`;
  const units = BigInt(op.cents) * 10_000n; // 6 decimals
  const refundAddress = fresh();
  const created = await a.post("/v1/sessions", {
    destination: { type: "evm", address: destination, chainId: dest.chainId, tokenAddress: dest.usdc, amountUnits },
    refundAddress, expiresInSeconds: 300, metadata: { sim: `${rec.seed}/${rec.trial}` },
  });
  if (created.status !== 201) throw new Error(`POST /v1/sessions: ${created.status} ${created.text}`);
  const id: string = created.json.session.sessionId;
  const s = { id, merchant: op.merchant, receiver: null as Hex | null, destination: getAddress(destination), refundTo: [getAddress(refundAddress)] as Hex[] };
  rec.sessions.push(s);
  if (op.variant === "cancel" && op.frac < 0.5) {
    const r = await a.post(`/v1/sessions/${id}/cancel`);
    if (r.status !== 200) rec.notes.push(`cancel of an unpaid session ${id}: ${r.status} ${r.text}`);
    return;
  }
  const chosen = await a.post(`/v1/sessions/${id}/paymentMethods`, { paymentMethod: { type: "evm", chainId: payChain.chainId, tokenAddress: payChain.usdc } });
  if (chosen.status !== 200) throw new Error(`paymentMethods: ${chosen.status} ${chosen.text}`);
  const receiver = getAddress(chosen.json.session.paymentMethod.receiverAddress) as Hex;
  s.receiver = receiver;
  const pay = async (chain: SimChain, token: Hex, amount: bigint) => {
    const payer = await ctx.banks.get(chain.network)!.payer(token, amount);
    payers.add(payer.address.toLowerCase());
    ctx.payers.add(payer.address.toLowerCase());
    const t = await payer.transfer(chain.network, token, receiver, amount);
    rec.transfers.push(t);
    count(ctx, "transfer");
    return t;
  };
  const part = (units * BigInt(Math.round(op.frac * 1000))) / 1000n;
  switch (op.variant) {
    case "unpaid": return;
    case "cancel": {
      const r = await a.post(`/v1/sessions/${id}/cancel`);
      if (r.status !== 200) rec.notes.push(`cancel of a waiting session ${id}: ${r.status} ${r.text}`);
      return;
    }
    case "exact": await pay(payChain, payChain.usdc, units); break;
    case "under": await pay(payChain, payChain.usdc, part); break;
    case "underTopUp": {
      const first = await pay(payChain, payChain.usdc, part);
      await waitReceipt(payChain.rpcUrl, first.hash);
      await sleep(500);
      await pay(payChain, payChain.usdc, units - part);
      break;
    }
    case "over": await pay(payChain, payChain.usdc, units + part); break;
    case "wrongAsset": await pay(payChain, payChain.usdt, units); break;
    case "splitNetworks": {
      const other = ctx.world.chains[1 - op.pay];
      await Promise.all([pay(payChain, payChain.usdc, part), pay(other, other.usdc, units - part)]);
      break;
    }
    case "late": {
      const r = await a.post(`/v1/sessions/${id}/cancel`);
      if (r.status !== 200) rec.notes.push(`cancel before a late payment ${id}: ${r.status} ${r.text}`);
      await pay(payChain, payChain.usdc, units);
      break;
    }
  }
  // a merchant acting on an exception: refund what is refundable (late, over-, under-, wrong-asset)
  if (op.refund && ["late", "over", "wrongAsset"].includes(op.variant)) {
    const deadline = Date.now() + 15_000;
    while (Date.now() < deadline) {
      const v = await a.get(`/v1/sessions/${id}`);
      if (v.json?.session?.exception) break;
      await sleep(500);
    }
    const to = fresh();
    s.refundTo.push(getAddress(to));
    count(ctx, "refund");
    const r = await a.post(`/v1/sessions/${id}/refund`, { address: to });
    if (r.status >= 500) rec.notes.push(`refund ${id}: ${r.status} ${r.text}`);
  }
}

async function depositOp(ctx: SimContext, rec: TrialRecord, op: Extract<Op, { kind: "deposit" }>, payers: Set<string>): Promise<void> {
  count(ctx, "deposit_address");
  const m = rec.merchants[op.merchant];
  const a = api(ctx, m.key);
  const chain = ctx.world.chains[op.chain];
  const token = op.usdt ? chain.usdt : chain.usdc;
  let cur: Currency;
  try { cur = codeOf(ctx, chain.network, token); } catch { cur = codeOf(ctx, chain.network, chain.usdc); }
  const created = await a.post("/v1/address/new", { user_id: `u${op.merchant}`, currency: cur.code });
  if (created.status !== 200) throw new Error(`address/new: ${created.status} ${created.text}`);
  const address = getAddress(created.json.address) as Hex;
  rec.depositAddresses.push({ merchant: op.merchant, address, code: cur.code, network: chain.network });
  let paid = 0n;
  for (const cents of op.amounts) {
    const amount = BigInt(cents) * 10_000n;
    const payer = await ctx.banks.get(chain.network)!.payer(cur.contract as Hex, amount);
    payers.add(payer.address.toLowerCase());
    ctx.payers.add(payer.address.toLowerCase());
    rec.transfers.push(await payer.transfer(chain.network, cur.contract as Hex, address, amount));
    count(ctx, "transfer");
    paid += amount;
  }
  if (op.withdraw === "none") return;
  // wait until the merchant can spend it (bounded: a reorg may have taken a payment away)
  const available = async () => {
    const r = await a.get("/v1/balances");
    const row = (r.json?.data as { code: string; available: string }[] | undefined)?.find((b) => b.code === cur.code);
    return BigInt(row?.available ?? "0");
  };
  const deadline = Date.now() + 25_000;
  let have = 0n;
  while (Date.now() < deadline && (have = await available()) < paid) await sleep(400);
  if (have === 0n) return;
  const amount = op.withdraw === "all" ? have : op.withdraw === "tooMuch" ? have + 1n : have / 2n;
  if (amount <= 0n) return;
  const destination = fresh();
  const queryId = `q-${randomBytes(4).toString("hex")}`;
  const body = { user_id: `u${op.merchant}`, query_id: queryId, currency: cur.code, amount: amount.toString(), destination };
  count(ctx, `withdrawal.${op.withdraw}`);
  const r = await a.post("/v1/withdrawal/send", body);
  const w = { merchant: op.merchant, id: null as string | null, queryId, destination: getAddress(destination) as Hex, amount, code: cur.code, network: chain.network, refused: false };
  rec.withdrawals.push(w);
  if (r.status === 200) w.id = String(r.json.ID);
  else if (r.status >= 400 && r.status < 500) w.refused = true;
  else throw new Error(`withdrawal/send: ${r.status} ${r.text}`);
  if (op.withdraw === "tooMuch" && !w.refused) {
    // another of this merchant's operations may have credited more meanwhile: only a refusal of what is really beyond is required
    rec.notes.push(`withdrawal beyond the available amount was accepted (${amount} ${cur.code}, available ${have} when asked)`);
  }
  if (op.retry && w.id) {
    count(ctx, "withdrawal.retry");
    const again = await a.post("/v1/withdrawal/send", body);
    if (again.status !== 200 || String(again.json?.ID) !== w.id) rec.violations.push(`withdrawal retry answered ${again.status} ${again.text} (first ID ${w.id})`);
  }
}

/** Each chain's bank, opened once per world. */
export async function openBanks(world: World): Promise<Map<string, Bank>> {
  const banks = new Map<string, Bank>();
  for (const c of world.chains) {
    const b = new Bank(c, [c.usdc, c.usdt]);
    await b.open(() => world.mine(c));
    banks.set(c.network, b);
  }
  return banks;
}
