// One simulation trial (issue 19): fresh merchants with API keys and webhook endpoints, a seeded
// scenario driven through the HTTP API and the devnet chains like users do (sessions, deposit
// addresses, exact/under/over/late/split/wrong-asset payments, top-ups, cancels, refunds,
// withdrawals; seed-004 payments, one-time and reusable, exact/under/over/late/unpaid, blocked by
// the merchant before submission, before or right after the payer pays, or after confirmation), reorgs, worker SIGKILLs and PostgreSQL restarts; then quiescence, then the checks
// (check.ts). Every random choice is drawn up front from the trial's seed, so a seed replays the
// same scenario (timing aside).
import { randomBytes } from "node:crypto";
import { getAddress, parseUnits, type Hex } from "viem";
import { generatePrivateKey, privateKeyToAccount } from "viem/accounts";
import { createApiKey } from "@/lib/api-keys/keys";
import { createMerchant } from "@/lib/merchants/create-merchant";
import { getMerchantSettings, updateMerchantSettings } from "@/lib/merchants/settings";
import { settlementKey, settlementTargets } from "@/lib/merchants/settlement-networks";
import { seededRandom } from "@/test/helpers/fault-proxy";
import { Bank, reorg, waitReceipt, type SentTransfer } from "./chain";
import type { Endpoint, Receiver } from "./webhook-receiver";
import { freshUtxoAddress, planUtxo, reorgUtxo, utxoSeed, utxoSessionOp, type UtxoNetwork, type UtxoOp, type UtxoSessionRecord } from "./utxo";
import { CONFIRMATIONS, EXPIRY_GRACE_MS, type SimChain, type World } from "./world";

export type Currency = { code: string; network: string; contract: string | null; decimals: number };

export type SimContext = {
  world: World;
  receiver: Receiver;
  banks: Map<string, Bank>;
  currencies: Currency[];
  ops: Record<string, number>;
  /** every payer of every trial (lowercase): a reorg tells them from the product's senders */
  payers: Set<string>;
  /** every payer transaction on the UTXO chains: a reorg sends them again, and the product's own only sometimes */
  utxoPayerTxids: Set<string>;
  /** quiescence bound per trial */
  settleMs: number;
};

export type TrialMerchant = {
  merchantId: string; key: string; endpoint: Endpoint;
  /** its settlement address (Settings), when it has one */
  settlement: Hex | null;
  /** its settlement addresses on the UTXO chains (Settings), when it has them */
  utxoSettlement: Partial<Record<UtxoNetwork, string>>;
};

export type PaymentVariant = "exact" | "under" | "over" | "late" | "unpaid";
/** when the merchant blocks a payment: before the deposit currency is chosen, before the payer pays, right after, after the deposit is confirmed */
export type BlockMoment = "none" | "beforeSubmit" | "beforePay" | "afterPay" | "afterConfirm";

/** A seed-004 payment of the trial, what the API answered, for the checks. */
export type PaymentRecord = {
  id: string;
  merchant: number;
  variant: PaymentVariant;
  type: "ONE_TIME" | "REUSABLE";
  network: string | null;
  receiver: Hex | null;
  /** the merchant's settlement address: where a payment's funds are forwarded */
  settlement: Hex | null;
  /** expectedDepositAmount in base units (6 decimals) */
  expected: bigint | null;
  block: BlockMoment;
  /** the block's answer: "blocked" (200, BLOCKED), "refused" (409 payment_not_blockable), null when not asked */
  blockAnswer: "blocked" | "refused" | null;
  refundTo: Hex[];
};

/** What a trial did, for the checks. */
export type TrialRecord = {
  seed: number;
  trial: number;
  merchants: TrialMerchant[];
  transfers: SentTransfer[];
  sessions: { id: string; merchant: number; receiver: Hex | null; destination: Hex; refundTo: Hex[] }[];
  payments: PaymentRecord[];
  depositAddresses: { merchant: number; address: Hex; code: string; network: string }[];
  /** sessions paid in BTC/LTC (./utxo) */
  utxoSessions: UtxoSessionRecord[];
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
  return { get: (p: string) => call("GET", p), post: (p: string, b?: unknown) => call("POST", p, b ?? {}), patch: (p: string, b: unknown) => call("PATCH", p, b) };
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** The simulation's own database calls ride out a PostgreSQL restart the scenario caused (and the password-hash limiter of many merchants made at once). */
export async function retrying<T>(fn: () => Promise<T>, tries = 60): Promise<T> {
  for (let i = 0; ; i++) {
    try {
      return await fn();
    } catch (e) {
      const m = `${e instanceof Error ? e.message : String(e)} ${(e as { cause?: Error })?.cause?.message ?? ""}`;
      if (i >= tries || !/Too many sign-ins|shutting down|starting up|ENOENT|ECONNREFUSED|ECONNRESET|EPIPE|terminat|Connection terminated|not queryable|timeout exceeded|BlockOutOfRange/i.test(m)) throw e;
      await sleep(500);
    }
  }
}
const fresh = (): Hex => privateKeyToAccount(generatePrivateKey()).address;
const count = (ctx: SimContext, kind: string) => { ctx.ops[kind] = (ctx.ops[kind] ?? 0) + 1; };

type SessionVariant = "exact" | "under" | "underTopUp" | "over" | "wrongAsset" | "splitNetworks" | "cancel" | "late" | "unpaid";
type Op =
  | { kind: "session"; at: number; merchant: number; dest: number; pay: number; variant: SessionVariant; cents: number; frac: number; refund: boolean }
  | { kind: "payment"; at: number; merchant: number; pay: number; variant: PaymentVariant; cents: number; frac: number; reusable: boolean; excessRefund: boolean; submitUnpaid: boolean; block: BlockMoment; refund: boolean }
  | { kind: "deposit"; at: number; merchant: number; chain: number; usdt: boolean; amounts: number[]; withdraw: "none" | "part" | "all" | "tooMuch"; retry: boolean }
  | { kind: "reorg"; at: number; chain: number; depth: number; dropOwn: boolean; dropProduct: boolean; r: number }
  | { kind: "killWorker"; at: number; downMs: number; slot: number }
  | { kind: "restartPostgres"; at: number; downMs: number };

const VARIANTS: SessionVariant[] = ["exact", "exact", "exact", "under", "underTopUp", "over", "wrongAsset", "splitNetworks", "cancel", "late", "unpaid"];
const PAYMENT_VARIANTS: PaymentVariant[] = ["exact", "exact", "exact", "under", "over", "late", "unpaid"];
const BLOCK_MOMENTS: BlockMoment[] = ["none", "none", "none", "beforeSubmit", "beforePay", "afterPay", "afterPay", "afterConfirm", "afterConfirm"];
/** the share of the session slots that seed-004 payments take */
const PAYMENT_SHARE = 0.4;

/** The scenario: every draw made here, before anything runs. */
export function plan(seed: number, trial: number, world: { canRestartPostgres: boolean }): { merchants: number; settlement: boolean[]; ops: Op[]; rand: () => number } {
  const rand = seededRandom(trialSeed(seed, trial));
  const int = (n: number) => Math.floor(rand() * n);
  // payments take a share of the session slots, drawn from a stream of their own so the rest of
  // the scenario (sessions, deposits, reorgs, kills and their moments) stays what it was
  const prand = seededRandom(trialSeed(seed, trial) ^ 0x5eed0004);
  const pint = (n: number) => Math.floor(prand() * n);
  const merchants = rand() < 0.3 ? 2 : 1;
  // most merchants set settlement addresses (Settings): payments on another network or token are forwarded there
  const settlement = Array.from({ length: merchants }, () => rand() < 0.85);
  const n = 2 + int(4);
  const ops: Op[] = [];
  for (let i = 0; i < n; i++) {
    const x = rand();
    const at = int(3000);
    if (x < 0.55) {
      const session = { kind: "session" as const, at, merchant: int(merchants), dest: int(2), pay: int(2), variant: VARIANTS[int(VARIANTS.length)], cents: 100 + int(4900), frac: 0.3 + rand() * 0.6, refund: rand() < 0.5 };
      if (prand() < PAYMENT_SHARE) {
        ops.push({
          kind: "payment", at, merchant: session.merchant, pay: session.pay, variant: PAYMENT_VARIANTS[pint(PAYMENT_VARIANTS.length)], cents: session.cents, frac: session.frac,
          reusable: prand() < 0.3, excessRefund: prand() < 0.5, submitUnpaid: prand() < 0.5, block: BLOCK_MOMENTS[pint(BLOCK_MOMENTS.length)], refund: prand() < 0.5,
        });
      } else ops.push(session);
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
  const rec: TrialRecord = { seed, trial, merchants: [], transfers: [], sessions: [], payments: [], depositAddresses: [], utxoSessions: [], settlementAddresses: [], withdrawals: [], notes: [], violations: [] };
  const utxoOps: UtxoOp[] = ctx.world.utxo.length ? planUtxo(utxoSeed(trialSeed(seed, trial)), nMerchants) : [];
  const tag = `s${seed}t${trial}-${randomBytes(3).toString("hex")}`;
  for (let i = 0; i < nMerchants; i++) {
    const { merchantId } = await retrying(() => createMerchant({ name: `Sim ${tag} #${i}`, email: `${tag}-${i}@sim.local`, password: randomBytes(12).toString("base64url") }));
    const { key } = await retrying(() => createApiKey(merchantId, false, "sim"));
    let settledTo: Hex | null = null;
    const utxoSettlement: TrialMerchant["utxoSettlement"] = {};
    if (settlement[i]) {
      // what the dashboard's Settings page saves
      const current = (await retrying(() => getMerchantSettings(merchantId)))!;
      const to = fresh();
      for (const c of ctx.world.utxo) utxoSettlement[c.network] = freshUtxoAddress(c.network);
      const addressOn = (network: string) => utxoSettlement[network as UtxoNetwork] ?? to;
      const targets = settlementTargets().filter((t) => !t.livemode && [...ctx.world.chains, ...ctx.world.utxo].some((c) => c.network === t.network));
      await retrying(() => updateMerchantSettings(merchantId, { ...current, settlement: Object.fromEntries(targets.map((t) => [settlementKey(t.network, false), addressOn(t.network)])) }, targets));
      rec.settlementAddresses.push(getAddress(to));
      settledTo = getAddress(to);
    }
    const endpoint = ctx.receiver.endpoint(`/${tag}/${i}`, seededRandom(trialSeed(seed, trial) ^ (i + 1)));
    const r = await api(ctx, key).post("/v1/webhook-endpoints", { url: ctx.receiver.url(endpoint.path) });
    if (r.status !== 200 && r.status !== 201) throw new Error(`webhook endpoint: ${r.status} ${r.text}`);
    endpoint.secret = r.json.secret;
    rec.merchants.push({ merchantId, key, endpoint, settlement: settledTo, utxoSettlement });
    count(ctx, "merchant");
  }
  const payers = new Set<string>();
  const results = await Promise.allSettled([...ops, ...utxoOps].map(async (op) => {
    await sleep(op.at);
    switch (op.kind) {
      case "utxoSession": {
        const c = ctx.world.utxo[op.chain % ctx.world.utxo.length];
        count(ctx, `utxo.${c.network}.${op.variant}`);
        const m = rec.merchants[op.merchant];
        const s: UtxoSessionRecord = { id: "", merchant: op.merchant, network: c.network, receiver: null, quoted: null, variant: op.variant, txids: [], raw: {}, settlement: m.utxoSettlement[c.network] ?? null };
        rec.utxoSessions.push(s);
        const dest = ctx.world.chains[0];
        const problem = await utxoSessionOp(api(ctx, m.key), c, op, s, { address: fresh(), chainId: dest.chainId, token: dest.usdc }, (txid) => {
          ctx.utxoPayerTxids.add(txid);
          count(ctx, "utxo.transfer");
        }, (m) => rec.notes.push(m));
        if (problem) rec.violations.push(problem);
        if (!s.settlement) count(ctx, "utxo.no_settlement");
        return;
      }
      case "utxoReorg": {
        const c = ctx.world.utxo[op.chain % ctx.world.utxo.length];
        count(ctx, `utxo.${c.network}.reorg`);
        const r = await reorgUtxo(c, op.depth, op.dropProduct, ctx.utxoPayerTxids);
        if (r.dropped) count(ctx, "utxo.reorg.dropped_tx");
        return;
      }
      case "session": return sessionOp(ctx, rec, op, payers);
      case "payment": return paymentOp(ctx, rec, op, payers);
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

const PAYMENT_NETWORK: Record<string, string> = { ethereum: "ETH", polygon: "POLYGON" };

async function paymentOp(ctx: SimContext, rec: TrialRecord, op: Extract<Op, { kind: "payment" }>, payers: Set<string>): Promise<void> {
  count(ctx, `payment.${op.variant}`);
  if (op.reusable) count(ctx, "payment.reusable");
  const m = rec.merchants[op.merchant];
  const a = api(ctx, m.key);
  const chain = ctx.world.chains[op.pay];
  const displayAmount = `${Math.floor(op.cents / 100)}.${String(op.cents % 100).padStart(2, "0")}`;
  const expiring = op.variant === "late" || op.variant === "unpaid";
  const created = await a.post("/v1/payments", {
    clientPaymentId: `sim-${rec.seed}-${rec.trial}-${randomBytes(3).toString("hex")}`, displayCurrency: "USD", displayAmount,
    type: op.reusable ? "REUSABLE" : "ONE_TIME", overpaymentPolicy: op.variant === "over" && op.excessRefund ? "EXCESS_REFUND" : "PROCESS",
    // late and unpaid payments expire within the trial (a minute is the shortest expiry seed 004 allows)
    expirationMinutes: expiring ? 1 : 30,
  });
  if (created.status !== 201) throw new Error(`POST /v1/payments: ${created.status} ${created.text}`);
  const id: string = created.json.paymentInfo.paymentId;
  if (created.json.paymentInfo.status !== "NEW") rec.violations.push(`payment ${id} was created ${created.json.paymentInfo.status}, not NEW`);
  const p: PaymentRecord = {
    id, merchant: op.merchant, variant: op.variant, type: op.reusable ? "REUSABLE" : "ONE_TIME", network: null, receiver: null,
    settlement: m.settlement, expected: null, block: op.block, blockAnswer: null, refundTo: [],
  };
  rec.payments.push(p);
  // set by block() across awaits
  const isBlocked = () => p.blockAnswer === "blocked";
  const get = async () => (await a.get(`/v1/payments/${id}`)).json?.paymentInfo as { status: string; deposits: { status: string }[] } | undefined;
  const waitFor = async (what: (info: { status: string; deposits: { status: string }[] }) => boolean, ms: number) => {
    const deadline = Date.now() + ms;
    for (;;) {
      const info = await get();
      if (info && what(info)) return info;
      if (Date.now() > deadline) return info;
      await sleep(500);
    }
  };
  const block = async (when: BlockMoment) => {
    const r = await a.post(`/v1/payments/${id}/block`);
    if (r.status === 200) {
      p.blockAnswer = "blocked";
      count(ctx, `payment.block.${when}.blocked`);
      if (r.json?.paymentInfo?.status !== "BLOCKED") rec.violations.push(`payment ${id}: block (${when}) answered 200 with status ${r.json?.paymentInfo?.status}`);
    } else if (r.status === 409 && r.json?.error?.code === "payment_not_blockable") {
      p.blockAnswer = "refused";
      count(ctx, `payment.block.${when}.refused`);
      // nothing was paid yet: only an expired payment may refuse
      if (when === "beforeSubmit" || when === "beforePay") {
        const info = await get();
        if (info?.status !== "EXPIRED") rec.violations.push(`payment ${id}: block (${when}) refused (payment_not_blockable) while ${info?.status}, nothing paid`);
      }
    } else rec.violations.push(`payment ${id}: block (${when}) answered ${r.status} ${r.text}`);
  };
  const expire = async () => {
    // the worker expires it within seconds of expiresAt (a minute after creation) — a submitted one once every
    // watched chain was processed past expiresAt, so at most the expiry grace later when a watcher lags
    const info = await waitFor((i) => i.status !== "NEW" && i.status !== "PENDING", 60_000 + EXPIRY_GRACE_MS + 30_000);
    if (info?.status !== "EXPIRED") rec.violations.push(`payment ${id} (unpaid, expiring after a minute) is ${info?.status} after ${(120_000 + EXPIRY_GRACE_MS) / 1000} s, not EXPIRED`);
  };

  if (op.block === "beforeSubmit") await block("beforeSubmit");
  if (op.variant === "unpaid" && !op.submitUnpaid && !isBlocked()) return expire();
  const submitted = await a.patch(`/v1/payments/${id}`, { depositCurrency: "USDC", network: PAYMENT_NETWORK[chain.network] });
  if (isBlocked()) {
    if (submitted.status !== 409 || submitted.json?.error?.code !== "payment_blocked") rec.violations.push(`payment ${id}: submitting a blocked payment answered ${submitted.status} ${submitted.text}`);
    return;
  }
  if (!m.settlement) {
    // a merchant without a settlement address on that network cannot take payments there
    count(ctx, "payment.no_settlement");
    if (submitted.status !== 422 || submitted.json?.error?.code !== "settlement_address_missing") rec.violations.push(`payment ${id}: submitting without a settlement address answered ${submitted.status} ${submitted.text}`);
    return;
  }
  if (submitted.status !== 200) throw new Error(`PATCH /v1/payments/${id}: ${submitted.status} ${submitted.text}`);
  const info = submitted.json.paymentInfo;
  if (info.status !== "PENDING") rec.violations.push(`payment ${id} submitted: status ${info.status}, not PENDING`);
  const receiver = getAddress(info.walletAddress) as Hex;
  const expected = parseUnits(String(info.expectedDepositAmount), 6);
  p.receiver = receiver;
  p.network = chain.network;
  p.expected = expected;
  // DOMAIN.md: a stablecoin pegged to the display currency quotes 1:1
  const units = BigInt(op.cents) * 10_000n;
  if (expected !== units) rec.violations.push(`payment ${id}: ${displayAmount} USD asks ${info.expectedDepositAmount} USDC`);

  if (op.block === "beforePay") await block("beforePay");
  if (op.variant === "unpaid") {
    if (!isBlocked()) await expire();
    return;
  }
  if (op.variant === "late" && !isBlocked()) await expire();
  const pay = async (amount: bigint) => {
    const payer = await ctx.banks.get(chain.network)!.payer(chain.usdc, amount);
    payers.add(payer.address.toLowerCase());
    ctx.payers.add(payer.address.toLowerCase());
    const t = await payer.transfer(chain.network, chain.usdc, receiver, amount);
    rec.transfers.push(t);
    count(ctx, "transfer");
    return t;
  };
  const part = (expected * BigInt(Math.round(op.frac * 1000))) / 1000n;
  await pay(op.variant === "under" ? part : op.variant === "over" ? expected + part : expected);
  if (op.block === "afterPay") await block("afterPay");
  if (op.block === "afterConfirm") {
    await waitFor((i) => i.deposits.some((d) => d.status === "CONFIRMED") || !["NEW", "PENDING", "AWAITING"].includes(i.status), 30_000);
    await block("afterConfirm");
  }
  // a reusable payment's address stays open: a follow-up payment is swept to the merchant
  if (op.reusable && (op.variant === "exact" || op.variant === "over") && !isBlocked()) {
    const done = await waitFor((i) => i.status === "DEPOSITED" || i.status === "OVERPAID", 40_000);
    if (done?.status === "DEPOSITED" || done?.status === "OVERPAID") {
      count(ctx, "payment.follow_up");
      await pay(part);
    }
  }
  // a merchant acting on what a blocked or late (one-time) payment holds: refund it
  if (op.refund && (isBlocked() || (op.variant === "late" && !op.reusable))) {
    await waitFor((i) => ["BLOCKED", "EXPIRED"].includes(i.status) && i.deposits.length > 0 && i.deposits.every((d) => d.status === "CONFIRMED"), 30_000);
    const to = fresh();
    p.refundTo.push(getAddress(to));
    count(ctx, "payment.refund");
    const r = await a.post(`/v1/payments/${id}/refund`, { address: to });
    if (r.status >= 500) rec.violations.push(`payment ${id}: refund answered ${r.status} ${r.text}`);
    else if (r.status !== 200) rec.notes.push(`refund of payment ${id}: ${r.status} ${r.text}`);
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
