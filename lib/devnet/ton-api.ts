// The local TON devnet: @ton/sandbox (the TON emulator, a real TVM, in-process) behind the subset
// of toncenter's v2 HTTP API that @ton/ton's TonClient, the product's watcher and the tests use:
// JSON-RPC at POST /jsonRPC (also /api/v2/jsonRPC) and GET /api/v2/<method>?<params>.
//
// The sandbox has no blocks; this server makes them. A block is sealed every `blockMs` (default
// 1 s): seqno N, gen_utime from a fixed schedule, the transactions executed since the previous
// one. A block is one masterchain block with one basechain shard block of the same seqno (no
// shard splits). Messages (sendBoc) run at once through the whole chain of transactions they
// cause, with the sandbox's `now` set to the open block's gen_utime; their transactions become
// visible (getTransactions, getBlockTransactions) when the block is sealed. Account state
// (getAddressInformation, runGetMethod) is always the latest.
//
// State (the sandbox snapshot, blocks' times, every transaction) is saved to `stateFile` on an
// interval and at stop, and loaded at start. CORS is open (a browser wallet may call it).
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import {
  Address, Cell, beginCell, loadMessage, loadTransaction, type Message, type Transaction, type TupleItem,
} from "@ton/core";
import { Blockchain, snapshotFromSerializable, snapshotToSerializable } from "@ton/sandbox";

type SerializableSnapshot = ReturnType<typeof snapshotToSerializable>;

export type TonApiOptions = {
  port: number;
  host?: string;
  /** block time (default 1000 ms) */
  blockMs?: number;
  /** persist here (on an interval and at stop); omitted = ephemeral */
  stateFile?: string;
  log?: (m: string) => void;
};

type TxRec = { seqno: number; boc: string; tx: Transaction; account: string; hash: string };

/** Blocks come from a schedule: block `seqno` of a segment seals at `ms + (seqno - from) * blockMs`. */
type Segment = { from: number; ms: number };

type Saved = {
  version: 1;
  head: number;
  blockMs: number;
  segments: Segment[];
  /** sealed transactions, in order: [block seqno, base64 BOC] */
  txs: [number, string][];
  snapshot: SerializableSnapshot;
};

export type TonDevnetApi = {
  /** the server's base URL; TonClient's endpoint is `${url}/jsonRPC` */
  url: string;
  /** TonClient's endpoint (toncenter's form) */
  endpoint: string;
  port: number;
  blockchain: Blockchain;
  /** whether the state came from the state file */
  loaded: boolean;
  /** the last sealed block */
  head(): number;
  /** runs a message (an external BOC, or an internal one a test injects) in the open block */
  send(message: Message | Cell): Promise<Transaction[]>;
  /** seals the open block now (tests that do not want to wait) and returns its seqno */
  seal(): Promise<number>;
  stop(): Promise<void>;
};

class ApiError extends Error {
  constructor(readonly code: number, message: string) { super(message); }
}

const SHARD = "-9223372036854775808"; // 0x8000000000000000: the whole workchain
const ZERO_HASH = Buffer.alloc(32).toString("base64");

const b64 = (c: Cell) => c.toBoc().toString("base64");

function parseAddress(v: unknown): Address {
  if (typeof v !== "string" || !v) throw new ApiError(416, "address: a TON address is required");
  try {
    return Address.parse(v);
  } catch {
    throw new ApiError(416, `address: ${v} is not a TON address`);
  }
}

function blockId(workchain: number, seqno: number) {
  // stand-in hashes: stable per block, not the hashes of real block cells (there are none)
  const h = beginCell().storeInt(workchain, 8).storeUint(seqno, 32).endCell().hash().toString("base64");
  return { "@type": "ton.blockIdExt", workchain, shard: SHARD, seqno, root_hash: h, file_hash: h };
}

/** A comment (op 0 + snake text) as toncenter shows it, or null. */
function textComment(body: Cell): string | null {
  try {
    const s = body.beginParse();
    if (s.remainingBits < 32 || s.loadUint(32) !== 0) return null;
    return s.loadStringTail();
  } catch {
    return null;
  }
}

function messageJson(m: Message | undefined | null, friendly: (a: Address) => string) {
  if (!m) return undefined;
  const info = m.info;
  const text = textComment(m.body);
  return {
    "@type": "raw.message",
    source: info.type === "internal" ? friendly(info.src) : "",
    destination: info.type === "external-out" ? "" : friendly(info.dest),
    value: info.type === "internal" ? info.value.coins.toString() : "0",
    fwd_fee: info.type === "internal" ? info.forwardFee.toString() : "0",
    ihr_fee: info.type === "internal" ? info.ihrFee.toString() : "0",
    created_lt: info.type === "external-in" ? "0" : info.createdLt.toString(),
    body_hash: m.body.hash().toString("base64"),
    msg_data: text !== null
      ? { "@type": "msg.dataText", text: Buffer.from(text, "utf8").toString("base64") }
      : { "@type": "msg.dataRaw", body: b64(m.body), init_state: m.init ? b64(beginCell().storeRef(m.init.code ?? Cell.EMPTY).endCell()) : "" },
    message: text ?? "",
  };
}

/** toncenter's stack item from a TVM one */
function stackOut(item: TupleItem): unknown {
  switch (item.type) {
    case "int": return ["num", (item.value < 0n ? "-0x" + (-item.value).toString(16) : "0x" + item.value.toString(16))];
    case "null": return ["null", null];
    case "nan": return ["num", "NaN"];
    case "cell": return ["cell", { bytes: b64(item.cell), object: {} }];
    case "slice": return ["cell", { bytes: b64(item.cell), object: {} }];
    case "builder": return ["cell", { bytes: b64(item.cell), object: {} }];
    case "tuple": return ["tuple", { "@type": "tvm.tuple", elements: item.items.map(stackEntry) }];
  }
}

function stackEntry(item: TupleItem): unknown {
  switch (item.type) {
    case "int": return { "@type": "tvm.stackEntryNumber", number: { "@type": "tvm.numberDecimal", number: item.value.toString() } };
    case "cell": return { "@type": "tvm.stackEntryCell", cell: { "@type": "tvm.cell", bytes: b64(item.cell) } };
    case "slice": case "builder": return { "@type": "tvm.stackEntrySlice", slice: { "@type": "tvm.slice", bytes: b64(item.cell) } };
    case "tuple": return { "@type": "tvm.stackEntryTuple", tuple: { "@type": "tvm.tuple", elements: item.items.map(stackEntry) } };
    default: return { "@type": "tvm.stackEntryTuple", tuple: { "@type": "tvm.tuple", elements: [] } };
  }
}

/** a TVM stack item from toncenter's request form: ["num", "123"|"0x7b"], ["tvm.Slice"|"tvm.Cell"|"tvm.Builder", base64] */
function stackIn(v: unknown): TupleItem {
  if (!Array.isArray(v) || v.length !== 2) throw new ApiError(400, "stack: items are [type, value] pairs");
  const [t, x] = v as [unknown, unknown];
  if (t === "num" || t === "number" || t === "int") {
    const s = String(x);
    return { type: "int", value: s.startsWith("-") ? -BigInt(s.slice(1)) : BigInt(s) };
  }
  if (typeof x !== "string") throw new ApiError(400, `stack: ${String(t)} needs a base64 BOC`);
  const cell = Cell.fromBase64(x);
  if (t === "tvm.Slice" || t === "slice") return { type: "slice", cell };
  if (t === "tvm.Cell" || t === "cell") return { type: "cell", cell };
  if (t === "tvm.Builder" || t === "builder") return { type: "builder", cell };
  throw new ApiError(400, `stack: unsupported item type ${String(t)}`);
}

export async function startTonApi(opts: TonApiOptions): Promise<TonDevnetApi> {
  const log = opts.log ?? (() => {});
  const blockMs = opts.blockMs ?? 1000;
  const blockchain = await Blockchain.create();
  blockchain.verbosity = { print: false, blockchainLogs: false, vmLogs: "none", debugLogs: false };

  let head = 0;
  let segments: Segment[] = [];
  const txs: TxRec[] = [];
  const byAccount = new Map<string, TxRec[]>();
  const byBlock = new Map<number, TxRec[]>();
  const byHash = new Map<string, TxRec>();
  let pending: TxRec[] = [];

  const index = (rec: TxRec) => {
    txs.push(rec);
    byHash.set(rec.hash, rec);
    const a = byAccount.get(rec.account);
    if (a) a.push(rec);
    else byAccount.set(rec.account, [rec]);
    const b = byBlock.get(rec.seqno);
    if (b) b.push(rec);
    else byBlock.set(rec.seqno, [rec]);
  };
  const record = (tx: Transaction, seqno: number): TxRec => {
    const boc = b64(tx.raw);
    const account = new Address(0, Buffer.from(tx.address.toString(16).padStart(64, "0"), "hex"));
    return { seqno, boc, tx, account: account.toRawString(), hash: tx.hash().toString("base64") };
  };

  let loaded = false;
  if (opts.stateFile && existsSync(opts.stateFile)) {
    const saved = JSON.parse(readFileSync(opts.stateFile, "utf8")) as Saved;
    await blockchain.loadFrom(snapshotFromSerializable(saved.snapshot));
    head = saved.head;
    segments = saved.segments;
    for (const [seqno, boc] of saved.txs) {
      const tx = loadTransaction(Cell.fromBase64(boc).beginParse());
      index(record(tx, seqno));
    }
    loaded = true;
    log(`TON devnet state loaded from ${opts.stateFile} (block ${head}, ${txs.length} transactions)`);
  }
  // a new segment of the schedule: the first block of this run seals one block time from now
  const lastMs = segments.length ? sealMs(head) : 0;
  segments.push({ from: head + 1, ms: Math.max(Date.now() + blockMs, lastMs + blockMs) });

  function segmentOf(seqno: number): Segment | undefined {
    for (let i = segments.length - 1; i >= 0; i--) if (segments[i].from <= seqno) return segments[i];
    return undefined;
  }
  function sealMs(seqno: number): number {
    const s = segmentOf(seqno) ?? segments[0];
    return s.ms + (seqno - s.from) * blockMs;
  }
  const utimeOf = (seqno: number) => Math.floor(sealMs(seqno) / 1000);
  blockchain.now = utimeOf(head + 1);

  // one thing at a time: messages and seals never interleave
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<T>): Promise<T> => {
    const p = queue.then(fn, fn);
    queue = p.catch(() => {});
    return p;
  };

  const sealNow = (): number => {
    head += 1;
    for (const rec of pending) index({ ...rec, seqno: head });
    pending = [];
    blockchain.now = utimeOf(head + 1);
    return head;
  };

  const send = (message: Message | Cell) => serial(async () => {
    const r = await blockchain.sendMessage(message);
    for (const tx of r.transactions) pending.push(record(tx, head + 1));
    return r.transactions as Transaction[];
  });

  const friendly = (a: Address) => a.toString({ urlSafe: true, bounceable: true, testOnly: true });

  const txJson = (rec: TxRec) => {
    const d = rec.tx.description;
    const storageFee = d.type === "generic" && d.storagePhase ? d.storagePhase.storageFeesCollected : 0n;
    return {
      "@type": "raw.transaction",
      address: { "@type": "accountAddress", account_address: friendly(Address.parseRaw(rec.account)) },
      utime: rec.tx.now,
      data: rec.boc,
      transaction_id: { "@type": "internal.transactionId", lt: rec.tx.lt.toString(), hash: rec.hash },
      fee: rec.tx.totalFees.coins.toString(),
      storage_fee: storageFee.toString(),
      other_fee: (rec.tx.totalFees.coins - storageFee).toString(),
      in_msg: messageJson(rec.tx.inMessage, friendly),
      out_msgs: [...rec.tx.outMessages.values()].map((m) => messageJson(m, friendly)),
    };
  };

  const accountInfo = async (address: Address) => {
    const c = await blockchain.getContract(address);
    const st = c.accountState;
    const state = st?.type === "active" ? "active" : st?.type === "frozen" ? "frozen" : "uninitialized";
    const lt = c.lastTransactionLt;
    return {
      "@type": "raw.fullAccountState",
      balance: c.balance.toString(),
      extra_currencies: [],
      code: st?.type === "active" && st.state.code ? b64(st.state.code) : "",
      data: st?.type === "active" && st.state.data ? b64(st.state.data) : "",
      last_transaction_id: {
        "@type": "internal.transactionId",
        lt: lt.toString(),
        hash: lt === 0n ? ZERO_HASH : Buffer.from(c.lastTransactionHash.toString(16).padStart(64, "0"), "hex").toString("base64"),
      },
      block_id: blockId(0, head),
      frozen_hash: st?.type === "frozen" ? Buffer.from(st.stateHash.toString(16).padStart(64, "0"), "hex").toString("base64") : "",
      sync_utime: utimeOf(head),
      state,
    };
  };

  const seqnoParam = (v: unknown): number => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 0) throw new ApiError(400, "seqno: a block number is required");
    if (n > head) throw new ApiError(404, `block ${n} is not sealed yet (head ${head})`);
    return n;
  };

  const transactionsOf = (p: Record<string, unknown>) => {
    const address = parseAddress(p.address).toRawString();
    const limit = Math.min(Math.max(Number(p.limit ?? 10) || 10, 1), 1000);
    let list = [...(byAccount.get(address) ?? [])].reverse(); // newest first
    if (p.lt !== undefined && p.lt !== null && p.lt !== "") {
      const lt = BigInt(String(p.lt));
      list = list.filter((r) => r.tx.lt <= lt);
    }
    if (p.to_lt !== undefined && p.to_lt !== null && p.to_lt !== "" && String(p.to_lt) !== "0") {
      const to = BigInt(String(p.to_lt));
      list = list.filter((r) => r.tx.lt > to);
    }
    return list.slice(0, limit).map(txJson);
  };

  const blockTxs = (p: Record<string, unknown>, full: boolean) => {
    const workchain = Number(p.workchain ?? 0);
    const seqno = seqnoParam(p.seqno);
    const list = workchain === 0 ? (byBlock.get(seqno) ?? []) : [];
    return {
      "@type": full ? "blocks.transactionsExt" : "blocks.transactions",
      id: blockId(workchain, seqno),
      req_count: Number(p.count ?? 1024),
      incomplete: false,
      transactions: full
        ? list.map(txJson)
        : list.map((r) => ({ "@type": "blocks.shortTxId", mode: 135, account: r.account, lt: r.tx.lt.toString(), hash: r.hash })),
    };
  };

  const methods: Record<string, (p: Record<string, unknown>) => unknown> = {
    getMasterchainInfo: () => ({
      "@type": "blocks.masterchainInfo",
      last: blockId(-1, head),
      state_root_hash: blockId(-1, head).root_hash,
      init: blockId(-1, 0),
    }),
    shards: (p) => ({ "@type": "blocks.shards", shards: [blockId(0, seqnoParam(p.seqno))] }),
    lookupBlock: (p) => blockId(Number(p.workchain ?? -1), seqnoParam(p.seqno)),
    getBlockHeader: (p) => {
      const seqno = seqnoParam(p.seqno);
      const list = byBlock.get(seqno) ?? [];
      return {
        "@type": "blocks.header",
        id: blockId(Number(p.workchain ?? -1), seqno),
        global_id: -239, version: 0, flags: 0, after_merge: false, after_split: false, before_split: false,
        want_merge: false, want_split: false, validator_list_hash_short: 0, catchain_seqno: 0, min_ref_mc_seqno: seqno,
        is_key_block: seqno === 0, prev_key_block_seqno: 0,
        start_lt: (list[0]?.tx.lt ?? 0n).toString(), end_lt: (list.at(-1)?.tx.lt ?? 0n).toString(),
        gen_utime: utimeOf(seqno), vert_seqno: 0, prev_blocks: seqno > 0 ? [blockId(Number(p.workchain ?? -1), seqno - 1)] : [],
      };
    },
    getBlockTransactions: (p) => blockTxs(p, false),
    getBlockTransactionsExt: (p) => blockTxs(p, true),
    getAddressInformation: (p) => accountInfo(parseAddress(p.address)),
    getAddressBalance: async (p) => (await accountInfo(parseAddress(p.address))).balance,
    getAddressState: async (p) => (await accountInfo(parseAddress(p.address))).state,
    getWalletInformation: async (p) => {
      const address = parseAddress(p.address);
      const info = await accountInfo(address);
      let seqno: number | undefined;
      let walletId: number | undefined;
      if (info.state === "active") {
        try {
          const r = await blockchain.runGetMethod(address, "seqno");
          seqno = Number(r.stackReader.readBigNumber());
          const w = await blockchain.runGetMethod(address, "get_subwallet_id");
          walletId = Number(w.stackReader.readBigNumber());
        } catch { /* not a wallet */ }
      }
      return {
        "@type": "ton.walletInformation",
        wallet: seqno !== undefined,
        balance: info.balance,
        account_state: info.state,
        ...(seqno !== undefined ? { wallet_type: "wallet v4 r2", seqno, wallet_id: walletId } : {}),
        last_transaction_id: info.last_transaction_id,
      };
    },
    getTransactions: (p) => transactionsOf(p),
    runGetMethod: async (p) => {
      const address = parseAddress(p.address);
      const method = typeof p.method === "string" || typeof p.method === "number" ? p.method : undefined;
      if (method === undefined) throw new ApiError(400, "method: a get-method name or id is required");
      const stack = Array.isArray(p.stack) ? p.stack.map(stackIn) : [];
      const c = await blockchain.getContract(address);
      if (c.accountState?.type !== "active") return { "@type": "smc.runResult", gas_used: 0, stack: [], exit_code: -13 };
      try {
        const r = await blockchain.runGetMethod(address, method, stack);
        return { "@type": "smc.runResult", gas_used: Number(r.gasUsed), stack: r.stack.map(stackOut), exit_code: r.exitCode };
      } catch (e) {
        const exitCode = (e as { exitCode?: number }).exitCode;
        if (typeof exitCode === "number") return { "@type": "smc.runResult", gas_used: 0, stack: [], exit_code: exitCode };
        throw e;
      }
    },
    sendBoc: async (p) => {
      await sendBoc(p.boc);
      return { "@type": "ok" };
    },
    sendBocReturnHash: async (p) => {
      const cell = await sendBoc(p.boc);
      return { "@type": "raw.extMessageInfo", hash: cell.hash().toString("base64") };
    },
    estimateFee: (p) => serial(async () => {
      // run the message on a copy of the state and put everything back
      const address = parseAddress(p.address);
      const body = typeof p.body === "string" && p.body ? Cell.fromBase64(p.body) : Cell.EMPTY;
      const code = typeof p.init_code === "string" && p.init_code ? Cell.fromBase64(p.init_code) : undefined;
      const data = typeof p.init_data === "string" && p.init_data ? Cell.fromBase64(p.init_data) : undefined;
      const snap = blockchain.snapshot();
      try {
        const r = await blockchain.sendMessage({
          info: { type: "external-in", dest: address, importFee: 0n },
          init: code && data ? { code, data } : undefined,
          body,
        }, { ignoreChksig: p.ignore_chksig !== false });
        const first = r.transactions[0];
        const d = first?.description;
        const gas = d?.type === "generic" && d.computePhase.type === "vm" ? d.computePhase.gasFees : 0n;
        const storage = d?.type === "generic" && d.storagePhase ? d.storagePhase.storageFeesCollected : 0n;
        const fwd = d?.type === "generic" && d.actionPhase ? d.actionPhase.totalFwdFees ?? 0n : 0n;
        const total = first?.totalFees.coins ?? 0n;
        const inFwd = total - gas - storage - fwd > 0n ? total - gas - storage - fwd : 0n;
        return {
          "@type": "query.fees",
          source_fees: { "@type": "fees", in_fwd_fee: Number(inFwd), storage_fee: Number(storage), gas_fee: Number(gas), fwd_fee: Number(fwd) },
          destination_fees: [],
        };
      } finally {
        await blockchain.loadFrom(snap);
      }
    }),
  };

  const sendBoc = async (boc: unknown): Promise<Cell> => {
    if (typeof boc !== "string" || !boc) throw new ApiError(400, "boc: a base64 BOC is required");
    let cell: Cell;
    let msg: Message;
    try {
      cell = Cell.fromBase64(boc);
      msg = loadMessage(cell.beginParse());
    } catch {
      throw new ApiError(400, "boc: not a message BOC");
    }
    if (msg.info.type !== "external-in") throw new ApiError(400, "boc: only external messages can be sent");
    try {
      await send(msg);
    } catch (e) {
      throw new ApiError(500, `LITE_SERVER_UNKNOWN: cannot apply external message to current state : ${(e as Error).message}`);
    }
    return cell;
  };

  const call = async (method: string, params: Record<string, unknown>) => {
    const fn = Object.hasOwn(methods, method) ? methods[method] : undefined;
    if (!fn) return { status: 404, body: { ok: false, error: `Method not found: ${method}`, code: 404 } };
    try {
      return { status: 200, body: { ok: true, result: await fn(params) } };
    } catch (e) {
      const code = e instanceof ApiError ? e.code : 500;
      return { status: code >= 400 && code < 600 ? code : 500, body: { ok: false, error: (e as Error).message, code } };
    }
  };

  const onRequest = (req: IncomingMessage, res: ServerResponse) => {
    res.setHeader("Access-Control-Allow-Origin", "*");
    res.setHeader("Access-Control-Allow-Methods", "GET, POST, OPTIONS");
    res.setHeader("Access-Control-Allow-Headers", "content-type, x-api-key, x-ton-client-version");
    if (req.method === "OPTIONS") { res.writeHead(204).end(); return; }
    const url = new URL(req.url ?? "/", "http://localhost");
    const reply = (status: number, body: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    const path = url.pathname.replace(/\/+$/, "");
    if (req.method === "GET" && path.startsWith("/api/v2/") && path !== "/api/v2/jsonRPC") {
      const params: Record<string, unknown> = Object.fromEntries(url.searchParams.entries());
      if (url.searchParams.has("stack")) {
        try { params.stack = JSON.parse(url.searchParams.get("stack")!); } catch { /* left as text */ }
      }
      void call(path.slice("/api/v2/".length), params).then((r) => reply(r.status, r.body), (e) => reply(500, { ok: false, error: String(e) }));
      return;
    }
    if (req.method !== "POST" || (path !== "/jsonRPC" && path !== "/api/v2/jsonRPC")) {
      reply(404, { ok: false, error: "POST /jsonRPC or GET /api/v2/<method>", code: 404 });
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      let body: { id?: unknown; method?: unknown; params?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
      } catch {
        reply(200, { ok: false, error: "Parse error", code: 400, jsonrpc: "2.0", id: null });
        return;
      }
      const params = body.params && typeof body.params === "object" ? body.params as Record<string, unknown> : {};
      void call(String(body.method), params).then(
        (r) => reply(200, { ...r.body, jsonrpc: "2.0", id: body.id ?? null }),
        (e) => reply(200, { ok: false, error: String(e), code: 500, jsonrpc: "2.0", id: body.id ?? null }),
      );
    });
  };

  const save = async () => {
    if (!opts.stateFile) return;
    const snapshot = snapshotToSerializable({ ...blockchain.snapshot(), transactions: [] });
    // a transaction executed but not yet sealed is saved as part of the next block
    const saved: Saved = {
      version: 1, head, blockMs, segments,
      txs: [...txs.map((r) => [r.seqno, r.boc] as [number, string]), ...pending.map((r) => [head + 1, r.boc] as [number, string])],
      snapshot,
    };
    mkdirSync(dirname(opts.stateFile), { recursive: true });
    writeFileSync(`${opts.stateFile}.tmp`, JSON.stringify(saved));
    renameSync(`${opts.stateFile}.tmp`, opts.stateFile);
  };

  // the sandbox keeps every transaction it ran (for its own getTransactions); this server has its own index
  const dropSandboxHistory = () => { (blockchain as unknown as { transactions: unknown[] }).transactions = []; };

  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  const schedule = () => {
    if (stopped) return;
    timer = setTimeout(() => {
      void serial(async () => { sealNow(); dropSandboxHistory(); }).finally(schedule);
    }, Math.max(0, sealMs(head + 1) - Date.now()));
  };

  const server: Server = createServer(onRequest);
  const host = opts.host ?? "127.0.0.1";
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : opts.port;
  schedule();
  const saver = opts.stateFile
    ? setInterval(() => { void serial(save).catch((e) => log(`TON devnet: saving state failed: ${String(e)}`)); }, 5000)
    : undefined;

  let stopping: Promise<void> | undefined;
  const url = `http://${host}:${port}`;
  return {
    url,
    endpoint: `${url}/jsonRPC`,
    port,
    blockchain,
    loaded,
    head: () => head,
    send,
    seal: () => serial(async () => {
      // keep the schedule: the sealed block's time is its scheduled one, the following blocks shift
      const n = sealNow();
      segments.push({ from: head + 1, ms: Math.max(Date.now() + blockMs, sealMs(head) + 1000) });
      blockchain.now = utimeOf(head + 1);
      if (timer) clearTimeout(timer);
      schedule();
      return n;
    }),
    stop: () => (stopping ??= (async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      clearInterval(saver);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      await serial(save);
    })()),
  };
}
