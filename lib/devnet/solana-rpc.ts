// The local Solana devnet: LiteSVM (a real SVM, in-process) behind the subset of Solana's JSON-RPC
// that the product's watcher, the checkout page's wallet flow and the tests use. LiteSVM keeps no
// per-address history and no balances of past transactions, so this server keeps them:
// pre/post lamport and token balances are read around each transaction, every account key
// of a transaction indexes its signature (getSignaturesForAddress).
//
// Slots advance on a timer (slotMs); a transaction is `confirmed` in the slot it landed in and
// `finalized` `finalizeAfterSlots` slots later. Every slot gets a new blockhash; a transaction
// must name one of the last 150 (like mainnet), else it is refused as "Blockhash not found".
// CORS is open: the checkout page in the browser calls it.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { createHash } from "node:crypto";
import { AccountLayout, MintLayout, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";
import { isFailed, litesvm, type LiteSvmInstance, type SvmTxMeta } from "./litesvm";

export type SolanaRpcOptions = {
  port: number;
  host?: string;
  /** slot time (default 400 ms) */
  slotMs?: number;
  /** slots after which a transaction is finalized (default 4) */
  finalizeAfterSlots?: number;
  /** persist the ledger here (on an interval and at stop); omitted = ephemeral */
  stateFile?: string;
  log?: (m: string) => void;
};

type TokenBalance = {
  accountIndex: number;
  mint: string;
  owner: string;
  programId: string;
  uiTokenAmount: { amount: string; decimals: number; uiAmount: number | null; uiAmountString: string };
};

type TxRecord = {
  signature: string;
  slot: number;
  blockTime: number;
  /** base64 wire bytes; null for an airdrop (no transaction of ours) */
  wire: string | null;
  err: unknown;
  fee: number;
  preBalances: number[];
  postBalances: number[];
  preTokenBalances: TokenBalance[];
  postTokenBalances: TokenBalance[];
  logMessages: string[];
  computeUnitsConsumed: number;
};

type Ledger = {
  slot: number;
  /** the last 150 slots: their blockhash and time (unix s) */
  blockhashes: { slot: number; hash: string; time: number }[];
  txs: TxRecord[];
};

export type SolanaDevnetRpc = {
  url: string;
  port: number;
  svm: LiteSvmInstance;
  slot(): number;
  /** runs a raw transaction as sendTransaction does (tests, setup); returns the signature */
  send(wire: Uint8Array): string;
  stop(): Promise<void>;
};

class RpcError extends Error {
  constructor(readonly code: number, message: string, readonly data?: unknown) { super(message); }
}

const BLOCKHASH_QUEUE = 150;
const LAMPORTS_PER_SIGNATURE = 5000;

function uiAmount(amount: bigint, decimals: number): TokenBalance["uiTokenAmount"] {
  const s = amount.toString().padStart(decimals + 1, "0");
  const whole = s.slice(0, s.length - decimals);
  const frac = s.slice(s.length - decimals).replace(/0+$/, "");
  const str = frac ? `${whole}.${frac}` : whole;
  return { amount: amount.toString(), decimals, uiAmount: Number(str), uiAmountString: str };
}

export async function startSolanaRpc(opts: SolanaRpcOptions): Promise<SolanaDevnetRpc> {
  const { LiteSvm, Clock } = litesvm();
  const log = opts.log ?? (() => {});
  const slotMs = opts.slotMs ?? 400;
  const finalizeAfter = opts.finalizeAfterSlots ?? 4;

  let svm: LiteSvmInstance;
  let ledger: Ledger;
  const svmFile = opts.stateFile ? `${opts.stateFile}.svm` : undefined;
  if (opts.stateFile && svmFile && existsSync(opts.stateFile) && existsSync(svmFile)) {
    svm = LiteSvm.fromBytes(readFileSync(svmFile));
    ledger = JSON.parse(readFileSync(opts.stateFile, "utf8")) as Ledger;
    log(`Solana devnet state loaded from ${opts.stateFile} (slot ${ledger.slot}, ${ledger.txs.length} transactions)`);
  } else {
    svm = new LiteSvm();
    const slot = Number(svm.getClock().slot);
    ledger = { slot, blockhashes: [{ slot, hash: svm.latestBlockhash(), time: Math.floor(Date.now() / 1000) }], txs: [] };
  }
  // our own blockhash queue decides validity; LiteSVM would accept only its latest one
  svm.setBlockhashCheck(false);

  const bySignature = new Map<string, TxRecord>();
  const byAddress = new Map<string, string[]>();
  const bySlot = new Map<number, TxRecord[]>();
  const index = (rec: TxRecord, keys: readonly string[]) => {
    bySignature.set(rec.signature, rec);
    const inSlot = bySlot.get(rec.slot);
    if (inSlot) inSlot.push(rec);
    else bySlot.set(rec.slot, [rec]);
    for (const k of new Set(keys)) {
      const list = byAddress.get(k);
      if (list) list.push(rec.signature);
      else byAddress.set(k, [rec.signature]);
    }
  };
  for (const rec of ledger.txs) index(rec, rec.wire ? accountKeys(VersionedTransaction.deserialize(Buffer.from(rec.wire, "base64"))) : []);

  const now = () => Math.floor(Date.now() / 1000);
  const setClock = () => {
    const c = svm.getClock();
    svm.setClock(new Clock(BigInt(ledger.slot), c.epochStartTimestamp, c.epoch, c.leaderScheduleEpoch, BigInt(now())));
  };
  setClock();
  const advance = () => {
    ledger.slot += 1;
    svm.expireBlockhash();
    setClock();
    ledger.blockhashes.push({ slot: ledger.slot, hash: svm.latestBlockhash(), time: now() });
    if (ledger.blockhashes.length > BLOCKHASH_QUEUE) ledger.blockhashes.splice(0, ledger.blockhashes.length - BLOCKHASH_QUEUE);
  };
  const latest = () => ledger.blockhashes[ledger.blockhashes.length - 1];
  const finalizedSlot = () => Math.max(0, ledger.slot - finalizeAfter);
  const slotFor = (commitment: unknown) => (commitment === "finalized" ? finalizedSlot() : ledger.slot);
  const statusOf = (rec: TxRecord) => {
    const finalized = rec.slot <= finalizedSlot();
    return { finalized, confirmationStatus: finalized ? "finalized" : "confirmed", confirmations: finalized ? null : ledger.slot - rec.slot };
  };
  const visible = (rec: TxRecord, commitment: unknown) => commitment !== "finalized" || statusOf(rec).finalized;

  function decimalsOf(mint: Uint8Array): number {
    const acc = svm.getAccount(mint);
    return acc ? MintLayout.decode(Buffer.from(acc.data())).decimals : 0;
  }

  function tokenBalances(keys: readonly string[]): TokenBalance[] {
    const out: TokenBalance[] = [];
    keys.forEach((k, i) => {
      const acc = svm.getAccount(new PublicKey(k).toBytes());
      if (!acc || !new PublicKey(acc.owner()).equals(TOKEN_PROGRAM_ID) || acc.data().length !== AccountLayout.span) return;
      const t = AccountLayout.decode(Buffer.from(acc.data()));
      out.push({
        accountIndex: i, mint: t.mint.toBase58(), owner: t.owner.toBase58(), programId: TOKEN_PROGRAM_ID.toBase58(),
        uiTokenAmount: uiAmount(t.amount, decimalsOf(t.mint.toBytes())),
      });
    });
    return out;
  }

  const lamportsOf = (keys: readonly string[]) => keys.map((k) => Number(svm.getBalance(new PublicKey(k).toBytes()) ?? 0n));

  function send(wire: Uint8Array): string {
    let tx: VersionedTransaction;
    try {
      tx = VersionedTransaction.deserialize(wire);
    } catch (e) {
      throw new RpcError(-32602, `failed to deserialize transaction: ${(e as Error).message}`);
    }
    if (tx.message.addressTableLookups.length > 0) throw new RpcError(-32602, "address lookup tables are not supported by this devnet");
    const signature = bs58.encode(tx.signatures[0]);
    if (bySignature.has(signature)) throw new RpcError(-32002, "Transaction simulation failed: This transaction has already been processed", { err: "AlreadyProcessed", logs: [] });
    if (!ledger.blockhashes.some((b) => b.hash === tx.message.recentBlockhash)) {
      throw new RpcError(-32002, "Transaction simulation failed: Blockhash not found", { err: "BlockhashNotFound", logs: [] });
    }
    const keys = accountKeys(tx);
    const preBalances = lamportsOf(keys);
    const preTokenBalances = tokenBalances(keys);
    const result = tx.version === "legacy" ? svm.sendLegacyTransaction(wire) : svm.sendVersionedTransaction(wire);
    if (isFailed(result)) {
      const logs = result.meta().logs();
      throw new RpcError(-32002, `Transaction simulation failed: ${String(result.err())}`, { err: String(result.err()), logs });
    }
    const meta: SvmTxMeta = result;
    const rec: TxRecord = {
      signature, slot: ledger.slot, blockTime: now(), wire: Buffer.from(wire).toString("base64"), err: null,
      fee: LAMPORTS_PER_SIGNATURE * tx.signatures.length,
      preBalances, postBalances: lamportsOf(keys), preTokenBalances, postTokenBalances: tokenBalances(keys),
      logMessages: meta.logs(), computeUnitsConsumed: Number(meta.computeUnitsConsumed()),
    };
    ledger.txs.push(rec);
    index(rec, keys);
    return signature;
  }

  function airdrop(address: string, lamports: number): string {
    const key = new PublicKey(address);
    const pre = Number(svm.getBalance(key.toBytes()) ?? 0n);
    const r = svm.airdrop(key.toBytes(), BigInt(lamports));
    if (!r || isFailed(r)) throw new RpcError(-32603, "airdrop failed");
    const signature = bs58.encode(r.signature());
    const rec: TxRecord = {
      signature, slot: ledger.slot, blockTime: now(), wire: null, err: null, fee: 0,
      preBalances: [pre], postBalances: [pre + lamports], preTokenBalances: [], postTokenBalances: [], logMessages: [], computeUnitsConsumed: 0,
    };
    ledger.txs.push(rec);
    index(rec, [address]);
    return signature;
  }

  function accountInfo(address: string) {
    const acc = svm.getAccount(new PublicKey(address).toBytes());
    if (!acc) return null;
    const data = acc.data();
    return {
      data: [Buffer.from(data).toString("base64"), "base64"], executable: acc.executable(), lamports: Number(acc.lamports()),
      owner: new PublicKey(acc.owner()).toBase58(), rentEpoch: 0, space: data.length,
    };
  }

  function jsonTransaction(rec: TxRecord, encoding: unknown) {
    if (!rec.wire) return null;
    if (encoding === "base64") return [rec.wire, "base64"];
    const tx = VersionedTransaction.deserialize(Buffer.from(rec.wire, "base64"));
    const m = tx.message;
    return {
      signatures: tx.signatures.map((s) => bs58.encode(s)),
      message: {
        accountKeys: m.staticAccountKeys.map((k) => k.toBase58()),
        header: m.header,
        recentBlockhash: m.recentBlockhash,
        instructions: m.compiledInstructions.map((ix) => ({
          programIdIndex: ix.programIdIndex, accounts: [...ix.accountKeyIndexes], data: bs58.encode(ix.data), stackHeight: null,
        })),
        ...(tx.version === "legacy" ? {} : { addressTableLookups: [] }),
      },
    };
  }

  const ctx = (commitment?: unknown) => ({ context: { slot: slotFor(commitment), apiVersion: "2.2.0" } });
  const cfgOf = (p: unknown[], i: number): Record<string, unknown> => (p[i] && typeof p[i] === "object" ? p[i] as Record<string, unknown> : {});
  const str = (v: unknown, what: string): string => {
    if (typeof v !== "string") throw new RpcError(-32602, `invalid params: ${what} must be a string`);
    return v;
  };
  const pubkey = (v: unknown, what: string): string => {
    try { return new PublicKey(str(v, what)).toBase58(); } catch { throw new RpcError(-32602, `Invalid param: ${what} is not a valid public key`); }
  };

  const methods: Record<string, (params: unknown[]) => unknown> = {
    getHealth: () => "ok",
    getVersion: () => ({ "solana-core": "2.2.0-litesvm", "feature-set": 0 }),
    getGenesisHash: () => "TollgateDevnet1111111111111111111111111111111",
    getSlot: (p) => slotFor(cfgOf(p, 0).commitment),
    getBlockHeight: (p) => slotFor(cfgOf(p, 0).commitment),
    getEpochInfo: () => ({ absoluteSlot: ledger.slot, blockHeight: ledger.slot, epoch: 0, slotIndex: ledger.slot, slotsInEpoch: 432000, transactionCount: ledger.txs.length }),
    getLatestBlockhash: (p) => ({ ...ctx(cfgOf(p, 0).commitment), value: { blockhash: latest().hash, lastValidBlockHeight: latest().slot + BLOCKHASH_QUEUE } }),
    isBlockhashValid: (p) => ({ ...ctx(), value: ledger.blockhashes.some((b) => b.hash === p[0]) }),
    getFeeForMessage: () => ({ ...ctx(), value: LAMPORTS_PER_SIGNATURE }),
    getRecentPrioritizationFees: () => [],
    getMinimumBalanceForRentExemption: (p) => Number(svm.minimumBalanceForRentExemption(BigInt(Number(p[0] ?? 0)))),
    getBalance: (p) => ({ ...ctx(), value: Number(svm.getBalance(new PublicKey(pubkey(p[0], "address")).toBytes()) ?? 0n) }),
    getAccountInfo: (p) => ({ ...ctx(), value: accountInfo(pubkey(p[0], "address")) }),
    getMultipleAccounts: (p) => ({ ...ctx(), value: (Array.isArray(p[0]) ? p[0] : []).map((a: unknown) => accountInfo(pubkey(a, "address"))) }),
    getTokenAccountBalance: (p) => {
      const acc = svm.getAccount(new PublicKey(pubkey(p[0], "address")).toBytes());
      if (!acc || acc.data().length !== AccountLayout.span) throw new RpcError(-32602, "Invalid param: not a Token account");
      const t = AccountLayout.decode(Buffer.from(acc.data()));
      return { ...ctx(), value: uiAmount(t.amount, decimalsOf(t.mint.toBytes())) };
    },
    getTokenAccountsByOwner: (p) => {
      const owner = new PublicKey(pubkey(p[0], "owner"));
      const filter = cfgOf(p, 1);
      const mint = typeof filter.mint === "string" ? new PublicKey(filter.mint) : null;
      const value = svm.getProgramAccounts(TOKEN_PROGRAM_ID.toBytes()).flatMap((item) => {
        // napi getters and methods: called on the item (a detached method loses its receiver)
        const address = item.address;
        const account = item.account();
        if (account.data().length !== AccountLayout.span) return [];
        const t = AccountLayout.decode(Buffer.from(account.data()));
        if (!t.owner.equals(owner) || (mint && !t.mint.equals(mint))) return [];
        const a = new PublicKey(address).toBase58();
        return [{ pubkey: a, account: accountInfo(a) }];
      });
      return { ...ctx(), value };
    },
    requestAirdrop: (p) => airdrop(pubkey(p[0], "address"), Number(p[1])),
    sendTransaction: (p) => {
      const encoding = cfgOf(p, 1).encoding ?? "base58";
      const raw = str(p[0], "transaction");
      return send(encoding === "base64" ? Buffer.from(raw, "base64") : bs58.decode(raw));
    },
    getSignatureStatuses: (p) => ({
      ...ctx(),
      value: (Array.isArray(p[0]) ? p[0] : []).map((s: unknown) => {
        const rec = typeof s === "string" ? bySignature.get(s) : undefined;
        if (!rec) return null;
        const st = statusOf(rec);
        return { slot: rec.slot, confirmations: st.confirmations, err: rec.err, status: { Ok: null }, confirmationStatus: st.confirmationStatus };
      }),
    }),
    getSignaturesForAddress: (p) => {
      const address = pubkey(p[0], "address");
      const c = cfgOf(p, 1);
      const limit = Math.min(Math.max(Number(c.limit ?? 1000), 1), 1000);
      const list = [...(byAddress.get(address) ?? [])].reverse(); // newest first
      let start = 0;
      if (typeof c.before === "string") { const i = list.indexOf(c.before); start = i < 0 ? list.length : i + 1; }
      const out = [];
      for (let i = start; i < list.length && out.length < limit; i++) {
        if (list[i] === c.until) break;
        const rec = bySignature.get(list[i])!;
        if (!visible(rec, c.commitment)) continue;
        out.push({ signature: rec.signature, slot: rec.slot, err: rec.err, memo: null, blockTime: rec.blockTime, confirmationStatus: statusOf(rec).confirmationStatus });
      }
      return out;
    },
    getTransaction: (p) => {
      const rec = bySignature.get(str(p[0], "signature"));
      const c = cfgOf(p, 1);
      if (!rec || !rec.wire || !visible(rec, c.commitment)) return null;
      const tx = VersionedTransaction.deserialize(Buffer.from(rec.wire, "base64"));
      if (tx.version !== "legacy" && c.maxSupportedTransactionVersion === undefined) {
        throw new RpcError(-32015, "Transaction version (0) is not supported by the requesting client. Please try the request again with the following configuration parameter: \"maxSupportedTransactionVersion\": 0");
      }
      return {
        slot: rec.slot, blockTime: rec.blockTime, version: tx.version,
        transaction: jsonTransaction(rec, c.encoding),
        meta: {
          err: rec.err, status: { Ok: null }, fee: rec.fee, preBalances: rec.preBalances, postBalances: rec.postBalances,
          preTokenBalances: rec.preTokenBalances, postTokenBalances: rec.postTokenBalances, logMessages: rec.logMessages,
          innerInstructions: [], rewards: [], loadedAddresses: { writable: [], readonly: [] }, computeUnitsConsumed: rec.computeUnitsConsumed,
        },
      };
    },
    getBlockTime: (p) => {
      const b = ledger.blockhashes.find((x) => x.slot === Number(p[0]));
      if (!b) throw new RpcError(-32004, `Block not available for slot ${String(p[0])}`);
      return b.time;
    },
    // every slot produces a block here; `transactionDetails` "accounts" and "signatures" list its
    // transactions. The current slot still takes transactions: getBlocks lists only closed slots
    // (a confirmed block on a real cluster is complete), so a reader of blocks misses nothing.
    getBlocks: (p) => {
      const start = Number(p[0]);
      const c = typeof p[1] === "object" ? cfgOf(p, 1) : cfgOf(p, 2);
      const top = Math.min(slotFor(c.commitment), ledger.slot - 1);
      const end = Math.min(typeof p[1] === "number" ? p[1] : top, top);
      if (!Number.isInteger(start) || start < 0) throw new RpcError(-32602, "Invalid param: start slot");
      if (end - start > 500_000) throw new RpcError(-32602, "Slot range too large; max 500000");
      return Array.from({ length: Math.max(0, end - start + 1) }, (_, i) => start + i);
    },
    getBlock: (p) => {
      const slot = Number(p[0]);
      const c = cfgOf(p, 1);
      if (!Number.isInteger(slot) || slot < 0 || slot > slotFor(c.commitment)) throw new RpcError(-32004, `Block not available for slot ${slot}`);
      const hashOf = (n: number) => ledger.blockhashes.find((b) => b.slot === n)?.hash ?? syntheticHash(n);
      const recs = (bySlot.get(slot) ?? []).filter((r) => r.wire);
      const time = ledger.blockhashes.find((b) => b.slot === slot)?.time ?? recs[0]?.blockTime ?? now();
      const details = c.transactionDetails ?? "full";
      const meta = (rec: TxRecord) => ({
        err: rec.err, status: { Ok: null }, fee: rec.fee, preBalances: rec.preBalances, postBalances: rec.postBalances,
        preTokenBalances: rec.preTokenBalances, postTokenBalances: rec.postTokenBalances, logMessages: rec.logMessages,
        innerInstructions: [], rewards: [], loadedAddresses: { writable: [], readonly: [] }, computeUnitsConsumed: rec.computeUnitsConsumed,
      });
      const base = { blockhash: hashOf(slot), previousBlockhash: hashOf(slot - 1), parentSlot: slot - 1, blockHeight: slot, blockTime: time };
      if (details === "none") return { ...base, rewards: [] };
      if (details === "signatures") return { ...base, signatures: recs.map((r) => r.signature), rewards: [] };
      const transactions = recs.map((rec) => {
        const tx = VersionedTransaction.deserialize(Buffer.from(rec.wire!, "base64"));
        const m = tx.message;
        const transaction = details === "accounts"
          ? {
            signatures: tx.signatures.map((sig) => bs58.encode(sig)),
            accountKeys: m.staticAccountKeys.map((k, i) => ({ pubkey: k.toBase58(), signer: m.isAccountSigner(i), writable: m.isAccountWritable(i), source: "transaction" })),
          }
          : jsonTransaction(rec, c.encoding);
        return { transaction, meta: meta(rec), version: tx.version };
      });
      return { ...base, transactions, rewards: [] };
    },
  };

  const handleOne = (req: unknown): unknown => {
    const r = (req && typeof req === "object" ? req : {}) as { id?: unknown; method?: unknown; params?: unknown };
    const id = r.id ?? null;
    const fn = typeof r.method === "string" && Object.hasOwn(methods, r.method) ? methods[r.method] : undefined;
    if (!fn) return { jsonrpc: "2.0", id, error: { code: -32601, message: `Method not found: ${String(r.method)}` } };
    try {
      return { jsonrpc: "2.0", id, result: fn(Array.isArray(r.params) ? r.params : []) };
    } catch (e) {
      if (e instanceof RpcError) return { jsonrpc: "2.0", id, error: { code: e.code, message: e.message, ...(e.data ? { data: e.data } : {}) } };
      return { jsonrpc: "2.0", id, error: { code: -32603, message: `Internal error: ${(e as Error).message}` } };
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Methods", "POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "content-type, solana-client");
    if (req.method === "OPTIONS") { res.writeHead(204).end(); return; }
    if (req.method !== "POST") { res.writeHead(405, { "content-type": "text/plain" }).end("POST JSON-RPC requests"); return; }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: unknown;
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify({ jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } }));
        return;
      }
      const out = Array.isArray(body) ? body.map(handleOne) : handleOne(body);
      res.writeHead(200, { "content-type": "application/json" }).end(JSON.stringify(out));
    });
  };

  const save = () => {
    if (!opts.stateFile || !svmFile) return;
    mkdirSync(dirname(opts.stateFile), { recursive: true });
    writeFileSync(`${svmFile}.tmp`, svm.toBytes());
    writeFileSync(`${opts.stateFile}.tmp`, JSON.stringify(ledger));
    renameSync(`${svmFile}.tmp`, svmFile);
    renameSync(`${opts.stateFile}.tmp`, opts.stateFile);
  };

  const server: Server = createServer(onRequest);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  const ticker = setInterval(advance, slotMs);
  const saver = opts.stateFile ? setInterval(() => { try { save(); } catch (e) { log(`Solana devnet: saving state failed: ${String(e)}`); } }, 5000) : undefined;

  let stopping: Promise<void> | undefined;
  return {
    url: `http://${host}:${port}`,
    port,
    svm,
    slot: () => ledger.slot,
    send,
    stop: () => (stopping ??= (async () => {
      clearInterval(ticker);
      clearInterval(saver);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      save();
    })()),
  };
}

/** A stable stand-in blockhash for a slot older than the blockhash queue (the ledger keeps only the last 150). */
function syntheticHash(slot: number): string {
  return bs58.encode(createHash("sha256").update(`tollgate/devnet/solana/slot/${slot}`).digest());
}

function accountKeys(tx: VersionedTransaction): string[] {
  return tx.message.staticAccountKeys.map((k) => k.toBase58());
}
