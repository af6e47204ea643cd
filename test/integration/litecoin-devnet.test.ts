// The Litecoin devnet across MWEB's activation (height 432 on Litecoin Core's regtest): the first
// MWEB block needs a peg-in in the mempool, without which litecoind cannot build it
// (`generatetoaddress`: bad-txns-vin-empty, forever). A fresh chain is mined past it at the first
// start (a coin for the devnet's MWEB wallet in block 431, pegged in for 432), the devnet wallet
// holding no MWEB coins; a chain an older devnet left stuck at 431 is carried past it by the
// devnet's mining (a peg-in from the devnet wallet); afterwards the wallet still pays with plain
// transactions. A litecoind of its own on a free port, state in a temporary directory.
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { utxoRpc } from "@/lib/chains/bitcoin/rpc";
import { freePort } from "@/lib/devnet/free-port";
import { MWEB_ACTIVATION_HEIGHT, startLitecoinDevnet } from "@/lib/devnet/litecoin";
import { takeUtxoTurn } from "./helpers/utxo-turn";

// the regtest chains are shared with the other files that mine them: one at a time
takeUtxoTurn();

type ChainInfo = { blocks: number; softforks: { mweb?: { active?: boolean; height?: number } } };

describe("the Litecoin devnet", () => {
  it("carries a chain an older devnet left stuck at 431 past MWEB's activation, and still pays", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-ltc-mweb-"));
    const d = await startLitecoinDevnet({ stateDir: dir, port: await freePort(), blockMs: 0, fundingBlocks: 101 });
    try {
      const node = utxoRpc(d.rpcUrl);
      const wallet = utxoRpc(d.walletRpcUrl);
      expect(await node.call<number>("getblockcount")).toBe(101);
      // what an older devnet did: mine to 431 without preparing MWEB's first block, which then cannot be built
      await node.call("generatetoaddress", [MWEB_ACTIVATION_HEIGHT - 1 - 101, d.minerAddress]);
      await expect(node.call("generatetoaddress", [1, d.minerAddress])).rejects.toThrow(/bad-txns-vin-empty/);
      // the devnet's mining (its timer, mine()) pegs in first and goes on
      await d.mine(3);
      const info = await node.call<ChainInfo>("getblockchaininfo");
      expect(info.blocks).toBe(MWEB_ACTIVATION_HEIGHT + 2);
      expect(info.softforks.mweb).toMatchObject({ active: true, height: MWEB_ACTIVATION_HEIGHT });
      // every block since carries the HogEx: plain generatetoaddress works again
      await node.call("generatetoaddress", [2, d.minerAddress]);
      // the wallet pays a native segwit address with a plain transaction, seen in the mempool, mined
      const to = await wallet.call<string>("getnewaddress", ["", "bech32"]);
      const txid = await wallet.call<string>("sendtoaddress", [to, 1.5]);
      const tx = await node.call<{ vin: { ismweb?: boolean }[]; vout: { ismweb?: boolean; value?: number }[] }>("getrawtransaction", [txid, true]);
      expect(tx.vin.every((i) => !i.ismweb) && tx.vout.every((o) => !o.ismweb)).toBe(true);
      expect(await node.call<string[]>("getrawmempool")).toContain(txid);
      await d.mine(1);
      expect(await node.call<string[]>("getrawmempool")).not.toContain(txid);
      expect((await wallet.call<{ confirmations: number }>("gettransaction", [txid])).confirmations).toBe(1);
    } finally {
      await d.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  it("starts a fresh chain past the activation (so nothing mining on it later meets MWEB's first block)", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), "tollgate-ltc-mweb-"));
    const d = await startLitecoinDevnet({ stateDir: dir, port: await freePort(), blockMs: 0 });
    try {
      const info = await utxoRpc(d.rpcUrl).call<ChainInfo>("getblockchaininfo");
      expect(info.blocks).toBeGreaterThan(MWEB_ACTIVATION_HEIGHT);
      expect(info.softforks.mweb).toMatchObject({ active: true, height: MWEB_ACTIVATION_HEIGHT });
      // the devnet wallet holds no MWEB coins (the peg-in came from a wallet of its own)
      const coins = await utxoRpc(d.walletRpcUrl).call<{ address?: string }[]>("listunspent", [0]);
      expect(coins.length).toBeGreaterThan(0);
      expect(coins.some((c) => c.address?.includes("mweb"))).toBe(false);
    } finally {
      await d.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
