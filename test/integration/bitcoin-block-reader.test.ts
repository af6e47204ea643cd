// getblock's form on each UTXO node (issue 19: the simulation found a Litecoin watcher stuck for
// minutes). Bitcoin/Litecoin Core take `getblock hash 2`, bcoin `getblock hash true true`; the
// watcher learns which from the node. It used to decide on any failure of the first call, so one
// 5xx from a faulty proxy on that call left a Litecoin Core watcher asking in bcoin's form, and
// every later block read failed until the worker restarted. Against the stack's real nodes, the
// Litecoin one behind a fault proxy that fails the first getblock once.
import { afterAll, expect, inject, it } from "vitest";
import { blockReader } from "@/lib/chains/bitcoin/watcher";
import { utxoRpc } from "@/lib/chains/bitcoin/rpc";
import { startFaultProxy, type FaultProxy } from "@/test/helpers/fault-proxy";

const env = inject("testEnv");
let proxy: FaultProxy | undefined;
afterAll(() => proxy?.stop());

it("a transient failure of the first getblock decides nothing: the next read gets the block (Litecoin Core)", async () => {
  proxy = await startFaultProxy({ upstream: env.rpcLitecoin });
  const node = utxoRpc(env.rpcLitecoin);
  const hash = await node.call<string>("getbestblockhash");
  const read = blockReader(utxoRpc(proxy.url));
  proxy.rule({ kind: "http5xx", status: 503, methods: ["getblock"], times: 1 });
  await expect(read(hash)).rejects.toThrow(/getblock/);
  const b = await read(hash);
  expect(b.hash).toBe(hash);
  expect(b.tx.length).toBeGreaterThan(0);
  // and again, in the form it learnt
  expect((await read(hash)).hash).toBe(hash);
});

it("learns bcoin's form from bcoin's answer", async () => {
  const node = utxoRpc(env.rpcBitcoin);
  const hash = await node.call<string>("getbestblockhash");
  const read = blockReader(node);
  const b = await read(hash);
  expect(b.hash).toBe(hash);
  expect(b.tx[0].vout.length).toBeGreaterThan(0);
});
