// npm run bench:utxo — what batching saves on Bitcoin (issue 18): vbytes and fee per payment of one
// transaction paying 1, 20 and 100 withdrawals (lib/chains/bitcoin/spend's builder: P2WPKH inputs,
// a P2WPKH output per payment, change back, BIP125 sequence) against one transaction per payment,
// all accepted by a bcoin regtest node (the devnet's, in a temp dir, from the test stack's funded
// template when there is one) in one run. The vbytes are the node's (getrawtransaction), the fee
// rate the devnet's fallback (BENCH_FEE_RATE sat/vB, default 2).
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { generateMnemonic } from "@scure/bip39";
import { wordlist } from "@scure/bip39/wordlists/english.js";
import { hex } from "@scure/base";

process.env.LOG_LEVEL ??= "warn";
process.env.TOLLGATE_DEVNET = "1";
process.env.TOLLGATE_MODE = "test";
const { startBitcoinDevnet } = await import("@/lib/devnet/bitcoin");
const { freePorts } = await import("@/lib/devnet/free-port");
const { build } = await import("@/lib/chains/bitcoin/spend");
const { bitcoinSignerAt } = await import("@/lib/chains/bitcoin/keys");
const { scriptOf } = await import("@/lib/chains/bitcoin/address");
const { toUnits } = await import("@/lib/chains/bitcoin/watcher");

const SIZES = [1, 20, 100];
const RATE = BigInt(process.env.BENCH_FEE_RATE ?? 2);
const PAYMENT = 5_000n;
const CHAIN = { key: "bitcoin:test" };

const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-bench-utxo-"));
const template = path.join(os.tmpdir(), "tollgate-utxo-template-v1", "bitcoin");
const [port, walletPort] = await freePorts(2);
const node = await startBitcoinDevnet({ stateDir: dir, port, walletPort, blockMs: 0, template, log: (m) => console.error(m) });
try {
  const { utxoRpc } = await import("@/lib/chains/bitcoin/rpc");
  const rpc = utxoRpc(node.rpcUrl);
  const wallet = utxoRpc(node.walletRpcUrl);
  const mnemonic = generateMnemonic(wordlist);
  // one funding output per transaction to sign: a batch of each size, and as many single payments
  const txCount = SIZES.length + SIZES.reduce((s, n) => s + n, 0);
  const keys = Array.from({ length: txCount }, (_, i) => bitcoinSignerAt(mnemonic, i + 1, CHAIN.key));
  const funding = await wallet.call<string>("sendmany", ["default", Object.fromEntries(keys.map((k) => [k.address, 0.01]))]);
  await node.mine(1);
  const funded = await rpc.call<{ vout: { n: number; value: number; scriptPubKey: { hex: string } }[] }>("getrawtransaction", [funding, true]);
  const outputOf = (i: number) => {
    const script = scriptOf(keys[i].address);
    const o = funded.vout.find((v) => v.scriptPubKey.hex === script)!;
    return { txid: funding, vout: o.n, address: keys[i].address, derivationIndex: BigInt(i + 1), amount: toUnits(o.value) };
  };
  let next = 0;
  const change = hex.decode(scriptOf(keys[0].address));
  /** one transaction paying `n` payments from one funding output; sent; its vsize as the node reports it */
  const pay = async (n: number) => {
    const input = outputOf(next++);
    const outs = Array.from({ length: n }, () => ({ script: hex.decode(scriptOf(bitcoinSignerAt(mnemonic, 100_000 + next, CHAIN.key).address)), amount: PAYMENT }));
    // the fee at RATE for the signed size: a first signature measures it
    const draft = build(mnemonic, CHAIN, [input], [...outs, { script: change, amount: input.amount - PAYMENT * BigInt(n) }]);
    const fee = BigInt(draft.vsize) * RATE;
    const tx = build(mnemonic, CHAIN, [input], [...outs, { script: change, amount: input.amount - PAYMENT * BigInt(n) - fee }]);
    await rpc.call("sendrawtransaction", [tx.signed]);
    // bcoin answers sendrawtransaction before its mempool took the transaction (and refuses silently)
    let seen: { vsize?: number; weight?: number } | null = null;
    for (let i = 0; i < 100 && !seen; i++) {
      seen = await rpc.call<{ vsize?: number; weight?: number }>("getrawtransaction", [tx.txid, true]).catch(() => null);
      if (!seen) await new Promise((r) => setTimeout(r, 50));
    }
    if (!seen) throw new Error(`the node did not take ${tx.txid}`);
    const vsize = seen.vsize ?? (seen.weight ? Math.ceil(seen.weight / 4) : tx.vsize);
    return { vsize, fee: tx.fee };
  };
  const rows: string[] = [];
  for (const n of SIZES) {
    const batch = await pay(n);
    let singleV = 0;
    let singleFee = 0n;
    for (let i = 0; i < n; i++) {
      const s = await pay(1);
      singleV += s.vsize;
      singleFee += s.fee;
    }
    await node.mine(1);
    rows.push(`| ${n} | ${batch.vsize} | ${(batch.vsize / n).toFixed(1)} | ${(Number(batch.fee) / n).toFixed(1)} | ${(singleV / n).toFixed(1)} | ${(Number(singleFee) / n).toFixed(1)} | ${(100 * (1 - batch.vsize / singleV)).toFixed(0)} % |`);
  }
  console.log(`bitcoin (bcoin regtest), ${RATE} sat/vB, P2WPKH in and out, one input per transaction`);
  console.log("| payments | batch vbytes | vB / payment (batch) | sat / payment (batch) | vB / payment (one tx each) | sat / payment (one tx each) | saved |");
  console.log("|---|---|---|---|---|---|---|");
  for (const r of rows) console.log(r);
} finally {
  await node.stop();
  rmSync(dir, { recursive: true, force: true });
}
