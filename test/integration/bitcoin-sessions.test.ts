// Sessions paid in BTC or LTC at a quoted price (issue 18 item 5; API.md §1 paymentMethods
// `{type: "bitcoin", network}`) on the stack's regtest nodes (bcoin, litecoind), driven by the
// stack's own worker. A 25 USDC session: the payer picks Bitcoin (Litecoin), the server quotes the
// amount from the rate provider (the local stand-in for CoinGecko), stores the quote on the checkout
// and allocates a BIP84 receiver of the session's own; the node's wallet pays the quoted amount
// (sendtoaddress) → detected from the mempool (processing: "payment detected") → confirmed at the
// depth → forwarded to the merchant's settlement address on that chain → succeeded, with the
// forward's txid as the delivery. The forward's fee comes out of the payment (the merchant gets the
// amount less the fee): the ledger's instance accounts never go negative and ledgerProblems is empty.
// An underpaid BTC session stays waiting_payment (underpaid) until topped up by exactly what it asks
// for. Bad input (unknown network, no settlement address, no price, Bitcoin not enabled in the
// mode) → 400/422/503 in the contract's shape, nothing written.
import { randomBytes, randomUUID } from "node:crypto";
import { and, eq, isNull } from "drizzle-orm";
import { describe, expect, inject, it } from "vitest";
import { checkouts, deposits, events, ledgerAccounts, ledgerEntries, outboundTxs, receivers, settlementAddresses } from "@/db/schema";
import { p2wpkhAddress, scriptOf } from "@/lib/chains/bitcoin/address";
import { bitcoinAddressAt, bitcoinPublicRoot } from "@/lib/chains/bitcoin/keys";
import { utxoRpc } from "@/lib/chains/bitcoin/rpc";
import { ApiError } from "@/lib/api/errors";
import { db } from "@/lib/db/client";
import { DEVNET_TOKEN_ADDRESSES } from "@/lib/devnet/evm";
import { ledgerProblems } from "@/lib/ledger/invariants";
import { formatUnits } from "@/lib/money/units";
import { choosePaymentMethod } from "@/lib/sessions/choose-payment-method";
import { api, envelope, newMerchant, type TestMerchant } from "../helpers/api";
import { setStandInPrices } from "../setup/rate-stand-in";
import { mnemonic } from "./helpers/forwarding-fixtures";
import { takeUtxoTurn } from "./helpers/utxo-turn";

// the regtest chains are shared with the other files that mine them: one at a time
takeUtxoTurn();

const env = inject("testEnv");
const NODES = {
  bitcoin: { node: utxoRpc(env.rpcBitcoin), wallet: utxoRpc(env.walletBitcoin), hrp: "rb", scheme: "bitcoin", chainKey: "bitcoin:test", asset: "BTC", price: "60000" },
  litecoin: { node: utxoRpc(env.rpcLitecoin), wallet: utxoRpc(env.walletLitecoin), hrp: "rltc", scheme: "litecoin", chainKey: "litecoin:test", asset: "LTC", price: "80" },
} as const;
type Network = keyof typeof NODES;
// blocks the test mines pay a key nobody holds
const minerOf = (n: Network) => p2wpkhAddress(new Uint8Array(20).fill(7), NODES[n].hrp);

async function until<T>(what: string, f: () => Promise<T | null | undefined | false>, timeoutMs = 20_000, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

type Session = { sessionId: string; clientSecret: string };

/** A 25 USDC session (devnet ethereum) of a merchant with settlement addresses on Bitcoin and Litecoin. */
async function session(amountUnits = "25"): Promise<{ m: TestMerchant; s: Session; wallets: Record<Network, string> }> {
  const m = await newMerchant();
  const wallets = { bitcoin: p2wpkhAddress(randomBytes(20), "rb"), litecoin: p2wpkhAddress(randomBytes(20), "rltc") };
  for (const network of ["bitcoin", "litecoin"] as const) {
    await db().insert(settlementAddresses).values({ merchantId: m.merchantId, network, livemode: false, address: wallets[network] });
  }
  const created = await api(m.key).post("/v1/sessions", {
    destination: { type: "evm", address: "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed", chainId: 31337, tokenAddress: DEVNET_TOKEN_ADDRESSES.USDC, amountUnits },
  });
  expect(created.status, created.text).toBe(201);
  return { m, s: created.json.session as Session, wallets };
}

const choose = (s: Session, paymentMethod: Record<string, unknown>) =>
  api().post(`/v1/sessions/${s.sessionId}/paymentMethods`, { clientSecret: s.clientSecret, paymentMethod });
const view = async (m: TestMerchant, s: Session) => (await api(m.key).get(`/v1/sessions/${s.sessionId}`)).json.session;
const eventTypes = async (id: string) => (await db().select({ type: events.type }).from(events).where(eq(events.objectId, id)).orderBy(events.createdAt)).map((e) => e.type);
const receiversOf = (id: string) => db().select().from(receivers).where(eq(receivers.checkoutId, id));

/** The instance's accounts on the UTXO chains: none below zero (debit-normal: debits ≥ credits). */
async function negativeInstanceAccounts() {
  const rows = await db().select().from(ledgerAccounts).where(and(isNull(ledgerAccounts.merchantId), eq(ledgerAccounts.livemode, false)));
  return rows.filter((r) => (r.network === "bitcoin" || r.network === "litecoin") && r.debits < r.credits)
    .map((r) => `${r.network} ${r.asset} ${r.kind}: ${r.debits - r.credits}`);
}

describe.each(["bitcoin", "litecoin"] as const)("a session paid in %s at a quoted price", (network) => {
  const n = NODES[network];
  it("is quoted, paid by the node's wallet, detected from the mempool, forwarded to the merchant, succeeded; the payment bears the forward's fee", async () => {
    await setStandInPrices(env.ratesUrl, { [`${n.asset}-USD`]: n.price });
    const { m, s, wallets } = await session();
    const chosen = await choose(s, { type: "bitcoin", network });
    expect(chosen.status, chosen.text).toBe(200);
    // 25 USD at the quoted price, rounded up to the satoshi (litoshi)
    const units = network === "bitcoin" ? 41_667n : 31_250_000n;
    const amount = formatUnits(units, 8);
    const R = chosen.json.bitcoin.receiverAddress as string;
    expect(R).toMatch(new RegExp(`^${n.hrp}1q`));
    expect(chosen.json.bitcoin).toMatchObject({ network, asset: n.asset, amountUnits: amount });
    expect(chosen.json.bitcoin.uri).toMatch(new RegExp(`^${n.scheme}:${R}\\?amount=${amount.replace(".", "\\.")}(&|$)`));
    expect(chosen.json.session).toMatchObject({
      status: "waiting_payment",
      paymentMethod: { type: "bitcoin", receiverAddress: R, quote: { network, asset: n.asset, amountUnits: amount, remainingUnits: amount, rate: n.price, currency: "USD", source: "coingecko" } },
    });
    // the quote is stored on the checkout; the receiver is the session's own, derived from the xpub for that chain
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect(row).toMatchObject({ quoteNetwork: network, quoteAsset: n.asset, quoteUnits: units, quoteRate: n.price, quoteCurrency: "USD", paymentMethodReceiverAddress: R });
    expect(row.quoteExpiresAt?.getTime()).toBe(row.expiresAt.getTime());
    const [receiver] = await receiversOf(s.sessionId);
    expect(receiver).toMatchObject({ family: "bitcoin", address: R });
    expect(bitcoinAddressAt(bitcoinPublicRoot(mnemonic), receiver.derivationIndex, n.chainKey)).toBe(R);

    // the price moves: choosing the same network again keeps the quote and the receiver
    await setStandInPrices(env.ratesUrl, { [`${n.asset}-USD`]: String(Number(n.price) * 2) });
    const again = await choose(s, { type: "bitcoin", network });
    expect(again.status, again.text).toBe(200);
    expect(again.json.bitcoin).toMatchObject({ receiverAddress: R, amountUnits: amount });
    expect(await receiversOf(s.sessionId)).toHaveLength(1);

    // the hosted page offers the coin (the BIP21 QR is drawn in the browser: test/e2e)
    const page = await (await fetch(`${env.baseUrl}/checkout/${s.sessionId}`)).text();
    expect(page).toContain(network === "bitcoin" ? "Bitcoin" : "Litecoin");

    const sent = Date.now();
    const txid = await n.wallet.call<string>("sendtoaddress", [R, Number(amount)]);
    const detected = await until("payment detected", async () => {
      const v = await view(m, s);
      return v.status === "processing" ? v : null;
    }, 10_000, 50);
    console.log(`${network} session: broadcast-to-processing ${Date.now() - sent} ms`);
    expect(detected.paymentMethod.source).toMatchObject({ chainName: network, tokenSymbol: n.asset, sentUnits: amount, txHash: txid });
    const [seen] = await db().select().from(deposits).where(eq(deposits.txHash, txid));
    expect(seen).toMatchObject({ checkoutId: s.sessionId, toAddress: R, amount: units, assetCode: n.asset });

    await n.node.call("generatetoaddress", [2, minerOf(network)]);
    const forward = await until("the forward", async () => (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId)))[0], 30_000, 200);
    expect(forward).toMatchObject({ purpose: "forward", fromAddress: R, toAddress: wallets[network], feeAsset: n.asset, feeFromAmount: true });
    expect(forward.amount + forward.feePaid!).toBe(units);
    await until("the forward in the node", () => n.node.call("getrawtransaction", [forward.txHash, true]).catch(() => null), 10_000);
    await n.node.call("generatetoaddress", [2, minerOf(network)]);
    const done = await until("succeeded", async () => {
      const v = await view(m, s);
      return v.status === "succeeded" ? v : null;
    }, 30_000, 200);
    expect(done.destination.delivery).toEqual({
      txHash: forward.txHash, receivedUnits: formatUnits(forward.amount, 8), chainId: null, chainName: network, tokenAddress: null, tokenSymbol: n.asset, status: "delivered",
    });
    expect(done).toMatchObject({ exception: null, paidUnits: "25", remainingUnits: "0" });
    expect(await eventTypes(s.sessionId)).toEqual(["session.processing", "session.succeeded"]);
    // the node shows the merchant's output: what the receiver held less the fee
    const tx = await n.node.call<{ vout: { value: number; scriptPubKey: { hex: string } }[] }>("getrawtransaction", [forward.txHash, true]);
    expect(tx.vout.map((o) => [o.scriptPubKey.hex, BigInt(Math.round(o.value * 1e8))])).toContainEqual([scriptOf(wallets[network]), forward.amount]);

    // the ledger: the payment bore the fee — no fee entry against the instance, no instance account below zero
    const [confirmed] = await db().select().from(outboundTxs).where(and(eq(outboundTxs.checkoutId, s.sessionId), eq(outboundTxs.status, "confirmed")));
    expect(await db().select().from(ledgerEntries).where(eq(ledgerEntries.refId, confirmed.id))).toEqual([]);
    expect(await negativeInstanceAccounts()).toEqual([]);
    expect(await ledgerProblems()).toEqual([]);
  }, 90_000);
});

describe("a BTC session paid short", () => {
  it("stays waiting_payment (underpaid) asking for the rest in BTC; topped up by exactly that, it succeeds without an exception", async () => {
    await setStandInPrices(env.ratesUrl, { "BTC-USD": "60000" });
    const { m, s } = await session();
    const chosen = await choose(s, { type: "bitcoin", network: "bitcoin" });
    expect(chosen.status, chosen.text).toBe(200);
    const R = chosen.json.bitcoin.receiverAddress as string;
    const txid = await NODES.bitcoin.wallet.call<string>("sendtoaddress", [R, 0.0002]);
    await until("the short payment seen", async () => (await db().select().from(deposits).where(eq(deposits.txHash, txid))).length > 0, 10_000, 50);
    await NODES.bitcoin.node.call("generatetoaddress", [2, minerOf("bitcoin")]);
    await until("confirmed", async () => (await db().select().from(deposits).where(eq(deposits.txHash, txid)))[0]?.status === "confirmed", 20_000, 200);
    const short = await view(m, s);
    // 20000 of 41667 sat: 11.999904 USDC counted, the rest asked for in BTC exactly (41667 − 20000 sat)
    expect(short).toMatchObject({ status: "waiting_payment", exception: null, paidUnits: "11.999904", remainingUnits: "13.000096",
      paymentMethod: { quote: { amountUnits: "0.00041667", remainingUnits: "0.00021667" } } });
    const types = await eventTypes(s.sessionId);
    expect(types).toContain("session.underpaid");
    expect(types.filter((t) => t !== "session.underpaid")).toEqual([]);
    expect(await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId))).toEqual([]);
    // choosing Bitcoin again asks for the rest at the same quote
    const again = await choose(s, { type: "bitcoin", network: "bitcoin" });
    expect(again.json.bitcoin).toMatchObject({ receiverAddress: R, amountUnits: "0.00021667" });
    // Litecoin cannot re-price what was paid in BTC
    await setStandInPrices(env.ratesUrl, { "LTC-USD": "80" });
    const ltc = await choose(s, { type: "bitcoin", network: "litecoin" });
    expect(ltc.status, ltc.text).toBe(409);
    expect(envelope(ltc)).toMatchObject({ code: "quote_in_use", param: "paymentMethod.network" });

    await NODES.bitcoin.wallet.call<string>("sendtoaddress", [R, 0.00021667]);
    await NODES.bitcoin.node.call("generatetoaddress", [2, minerOf("bitcoin")]);
    const forward = await until("the forward", async () => (await db().select().from(outboundTxs).where(eq(outboundTxs.checkoutId, s.sessionId)))[0], 30_000, 200);
    expect(forward.amount + forward.feePaid!).toBe(41_667n);
    await until("the forward in the node", () => NODES.bitcoin.node.call("getrawtransaction", [forward.txHash, true]).catch(() => null), 10_000);
    await NODES.bitcoin.node.call("generatetoaddress", [2, minerOf("bitcoin")]);
    const done = await until("succeeded", async () => {
      const v = await view(m, s);
      return v.status === "succeeded" ? v : null;
    }, 30_000, 200);
    expect(done).toMatchObject({ exception: null, paidUnits: "25", remainingUnits: "0" });
    expect(done.overpaidUnits).toBeUndefined();
    expect(await negativeInstanceAccounts()).toEqual([]);
  }, 90_000);
});

describe("choosing Bitcoin with bad input", () => {
  it("answers 400/422/503 in the contract's shape and writes nothing", async () => {
    await setStandInPrices(env.ratesUrl, { "BTC-USD": "60000" });
    const { m, s } = await session();
    const cases: Array<[Record<string, unknown>, number, string, string]> = [
      [{ type: "bitcoin", network: "dogecoin" }, 400, "paymentMethod.network", "network_not_supported"],
      [{ type: "bitcoin", network: "ethereum" }, 400, "paymentMethod.network", "network_not_supported"],
      [{ type: "bitcoin", network: "bitcoin:test" }, 400, "paymentMethod.network", "network_not_supported"],
      [{ type: "bitcoin" }, 400, "paymentMethod.network", "parameter_missing"],
      [{ type: "bitcoin", network: 1 }, 400, "paymentMethod.network", "type_invalid"],
      [{ type: "bitcoin", network: "bitcoin", amountUsd: "25" }, 400, "paymentMethod.amountUsd", "parameter_unknown"],
    ];
    for (const [pm, status, param, code] of cases) {
      const r = await choose(s, pm);
      expect(r.status, `${JSON.stringify(pm)}: ${r.text}`).toBe(status);
      const e = envelope(r);
      expect(e).toMatchObject({ type: "validation_error", param });
      if (code !== "type_invalid") expect(e.code).toBe(code);
    }
    // no settlement address on Bitcoin: 422, nothing written
    await db().delete(settlementAddresses).where(and(eq(settlementAddresses.merchantId, m.merchantId), eq(settlementAddresses.network, "bitcoin")));
    const missing = await choose(s, { type: "bitcoin", network: "bitcoin" });
    expect(missing.status, missing.text).toBe(422);
    expect(envelope(missing)).toMatchObject({ code: "settlement_address_missing", param: "paymentMethod.network" });
    // the price provider has no price: 503 with Retry-After (down) or 400 (no such pair), nothing written
    await setStandInPrices(env.ratesUrl, { "LTC-USD": "down" });
    const down = await choose(s, { type: "bitcoin", network: "litecoin" });
    expect(down.status, down.text).toBe(503);
    expect(down.headers.get("retry-after")).toBe("30");
    expect(envelope(down)).toMatchObject({ type: "api_error", code: "rate_unavailable" });
    // Bitcoin is not enabled in live mode on this stack: 400 before anything is read
    const err = await choosePaymentMethod({ merchantId: m.merchantId, livemode: true }, randomUUID(), { type: "bitcoin", network: "bitcoin" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ status: 400, type: "validation_error", code: "payment_method_not_enabled", param: "paymentMethod.type" });

    expect(await receiversOf(s.sessionId)).toEqual([]);
    const [row] = await db().select().from(checkouts).where(eq(checkouts.id, s.sessionId));
    expect(row).toMatchObject({ status: "requires_payment_method", quoteUnits: null, quoteNetwork: null, paymentMethodType: null });
    await setStandInPrices(env.ratesUrl, { "LTC-USD": "80" });
  }, 30_000);
});
