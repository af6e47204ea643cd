// An injected Wallet Standard test wallet for Solana: the page registers a wallet object
// (standard:connect, standard:events, solana:signTransaction, solana:signAndSendTransaction)
// whose signing requests cross a Playwright binding to this process, which signs with a test
// keypair (a real ed25519 signature) and, for signAndSendTransaction, sends the signed bytes to
// the devnet's JSON-RPC like a wallet's own node connection would.
import type { Page } from "@playwright/test";
import { Keypair, VersionedTransaction } from "@solana/web3.js";
import bs58 from "bs58";

export type SolanaTestWallet = {
  /** features the page used, in order */
  calls: string[];
  /** signatures of the transactions it sent itself */
  sent: string[];
};

const BINDING = "__tollgateSolanaTestWallet";
export const SOLANA_TEST_WALLET_NAME = "Tollgate Test Wallet";

export async function installSolanaTestWallet(page: Page, keypair: Keypair, rpcUrl: string): Promise<SolanaTestWallet> {
  const calls: string[] = [];
  const sent: string[] = [];

  function sign(hex: string): Uint8Array {
    const tx = VersionedTransaction.deserialize(Buffer.from(hex, "hex"));
    tx.sign([keypair]);
    return tx.serialize();
  }

  await page.exposeFunction(BINDING, async (feature: string, hex: string) => {
    calls.push(feature);
    try {
      if (feature === "signTransaction") return { result: Buffer.from(sign(hex)).toString("hex") };
      if (feature === "signAndSendTransaction") {
        const signed = sign(hex);
        const res = await fetch(rpcUrl, {
          method: "POST", headers: { "content-type": "application/json" },
          body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "sendTransaction", params: [Buffer.from(signed).toString("base64"), { encoding: "base64" }] }),
        });
        const body = (await res.json()) as { result?: string; error?: { message: string } };
        if (body.error) return { error: body.error.message };
        sent.push(body.result!);
        return { result: Buffer.from(bs58.decode(body.result!)).toString("hex") };
      }
      return { error: `unknown feature ${feature}` };
    } catch (e) {
      return { error: e instanceof Error ? e.message : String(e) };
    }
  });

  const address = keypair.publicKey.toBase58();
  const publicKey = Array.from(keypair.publicKey.toBytes());
  await page.addInitScript({ content: `
    (() => {
      const hex = (b) => Array.from(b, (x) => x.toString(16).padStart(2, "0")).join("");
      const bytes = (h) => new Uint8Array(h.match(/../g).map((x) => parseInt(x, 16)));
      const call = async (feature, tx) => {
        const r = await window.${BINDING}(feature, hex(tx));
        if (r.error) throw new Error(r.error);
        return bytes(r.result);
      };
      const chains = ["solana:localnet", "solana:devnet", "solana:mainnet"];
      const features = ["solana:signTransaction", "solana:signAndSendTransaction"];
      const account = Object.freeze({ address: ${JSON.stringify(address)}, publicKey: new Uint8Array(${JSON.stringify(publicKey)}), chains, features });
      const listeners = new Set();
      const wallet = {
        version: "1.0.0",
        name: ${JSON.stringify(SOLANA_TEST_WALLET_NAME)},
        icon: "data:image/svg+xml;base64,PHN2ZyB4bWxucz0iaHR0cDovL3d3dy53My5vcmcvMjAwMC9zdmciIHZpZXdCb3g9IjAgMCAxIDEiLz4=",
        chains,
        accounts: [],
        features: {
          "standard:connect": { version: "1.0.0", connect: async () => {
            wallet.accounts = [account];
            for (const l of listeners) l({ accounts: wallet.accounts });
            return { accounts: wallet.accounts };
          } },
          "standard:events": { version: "1.0.0", on: (event, l) => { if (event === "change") listeners.add(l); return () => listeners.delete(l); } },
          "solana:signTransaction": { version: "1.0.0", supportedTransactionVersions: ["legacy", 0],
            signTransaction: async (...inputs) => Promise.all(inputs.map(async (i) => ({ signedTransaction: await call("signTransaction", i.transaction) }))) },
          "solana:signAndSendTransaction": { version: "1.0.0", supportedTransactionVersions: ["legacy", 0],
            signAndSendTransaction: async (...inputs) => Promise.all(inputs.map(async (i) => ({ signature: await call("signAndSendTransaction", i.transaction) }))) },
        },
      };
      const register = ({ register }) => register(wallet);
      try { window.dispatchEvent(new CustomEvent("wallet-standard:register-wallet", { detail: register })); } catch {}
      try { (window.navigator.wallets ||= []).push(register); } catch {}
      window.addEventListener("wallet-standard:app-ready", (e) => { try { register(e.detail); } catch {} });
    })();` });
  return { calls, sent };
}
