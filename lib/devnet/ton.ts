// Local TON devnet for `npm start` and the tests: the toncenter-compatible API of ./ton-api over
// @ton/sandbox, with a genesis written as accounts (no transactions), like the Solana devnet's:
// funded wallet v4r2 test wallets (./ton-constants' public mnemonics), a TEP-74 jetton (USDT
// stand-in, 6 decimals: the standard minter and wallet from ton-blockchain/token-contract, admin
// test wallet 0) with every test wallet holding some, and a DNS resolver answering `wallet.ton`
// (its wallet record is test wallet 1).
import { createHash } from "node:crypto";
import {
  Address, Cell, Dictionary, beginCell, contractAddress, type StateInit,
} from "@ton/core";
import { WalletContractV4 } from "@ton/ton";
import { createShardAccount, internal } from "@ton/sandbox";
import artifact from "./contracts/ton-contracts.json" with { type: "json" };
import {
  DEVNET_TON_DNS_NAME, DEVNET_TON_DNS_ROOT, DEVNET_TON_INITIAL_JETTON, DEVNET_TON_JETTON_MASTER, DEVNET_TON_INITIAL_NANOTON, DEVNET_TON_JETTON_DECIMALS,
  DEVNET_TON_JETTON_SYMBOL, DEVNET_TON_WALLETS,
} from "./ton-constants";
import { startTonApi, type TonApiOptions, type TonDevnetApi } from "./ton-api";

export {
  DEVNET_TON_DEFAULT_PORT, DEVNET_TON_DNS_NAME, DEVNET_TON_DNS_ROOT, DEVNET_TON_JETTON_MASTER, DEVNET_TON_WALLETS,
} from "./ton-constants";

export const tonContracts = {
  jettonMinter: Cell.fromBase64(artifact.jettonMinter),
  jettonWallet: Cell.fromBase64(artifact.jettonWallet),
  dnsResolver: Cell.fromBase64(artifact.dnsResolver),
};

/** Test wallet i (wallet v4r2, workchain 0, default wallet_id). */
export function devnetTonWallet(i: number): WalletContractV4 {
  return WalletContractV4.create({ workchain: 0, publicKey: Buffer.from(DEVNET_TON_WALLETS[i].publicKey, "hex") });
}

/** TEP-64 on-chain metadata: a dictionary sha256(key) → snake string (prefix 0x00). */
function onchainContent(fields: Record<string, string>): Cell {
  const dict = Dictionary.empty(Dictionary.Keys.Buffer(32), Dictionary.Values.Cell());
  for (const [k, v] of Object.entries(fields)) {
    dict.set(createHash("sha256").update(k).digest(), beginCell().storeUint(0, 8).storeStringTail(v).endCell());
  }
  return beginCell().storeUint(0, 8).storeDict(dict).endCell();
}

function minterData(totalSupply: bigint, admin: Address, content: Cell): Cell {
  return beginCell().storeCoins(totalSupply).storeAddress(admin).storeRef(content).storeRef(tonContracts.jettonWallet).endCell();
}

/** A TEP-74 jetton wallet's data: balance, owner, master, wallet code. */
export function jettonWalletData(balance: bigint, owner: Address, master: Address): Cell {
  return beginCell().storeCoins(balance).storeAddress(owner).storeAddress(master).storeRef(tonContracts.jettonWallet).endCell();
}

/** The jetton master of a minter deployed with this admin and content (its address: the state init with a zero supply). */
export function jettonMasterInit(admin: Address, content: Cell): StateInit {
  return { code: tonContracts.jettonMinter, data: minterData(0n, admin, content) };
}

/** The jetton wallet of `owner` under `master`: what the minter's get_wallet_address computes. */
export function jettonWalletAddress(owner: Address, master: Address): Address {
  return contractAddress(0, { code: tonContracts.jettonWallet, data: jettonWalletData(0n, owner, master) });
}

export const DEVNET_TON_JETTON_CONTENT = () => onchainContent({
  name: "Tether USD (devnet)", symbol: DEVNET_TON_JETTON_SYMBOL, decimals: String(DEVNET_TON_JETTON_DECIMALS),
  description: "A USDT stand-in on the local TON devnet",
});

/** "wallet.ton" → "ton\0wallet\0": how a TEP-81 resolver is asked for a name. */
export function dnsInternalName(domain: string): Buffer {
  return Buffer.from(domain.split(".").reverse().map((p) => `${p}\0`).join(""), "utf8");
}

/** dns_smc_address#9fd3 smc_addr:MsgAddressInt flags:(## 8) = DNSRecord */
function smcAddressRecord(a: Address): Cell {
  return beginCell().storeUint(0x9fd3, 16).storeAddress(a).storeUint(0, 8).endCell();
}

function resolverData(names: Record<string, Address>): Cell {
  const dict = Dictionary.empty(Dictionary.Keys.BigUint(256), Dictionary.Values.Cell());
  for (const [name, wallet] of Object.entries(names)) {
    const records = Dictionary.empty(Dictionary.Keys.BigUint(256), Dictionary.Values.Cell());
    records.set(BigInt("0x" + createHash("sha256").update("wallet").digest("hex")), smcAddressRecord(wallet));
    dict.set(BigInt("0x" + createHash("sha256").update(dnsInternalName(name)).digest("hex")), beginCell().storeDict(records).endCell());
  }
  return beginCell().storeDict(dict).endCell();
}

export type TonDevnet = TonDevnetApi & {
  wallets: { address: string; mnemonic: string }[];
  jettonMaster: string;
  dnsRoot: string;
  dnsName: string;
  /** credits `amount` nanoton to `address` from outside (a faucet: an internal message from nowhere of ours) */
  fund(address: string, amount: bigint): Promise<void>;
};

export type StartTonDevnetOptions = TonApiOptions;

/** A user-friendly testnet form (the devnet is a test network). */
export const devnetFriendly = (a: Address, bounceable: boolean) => a.toString({ urlSafe: true, bounceable, testOnly: true });

export async function startTonDevnet(opts: StartTonDevnetOptions): Promise<TonDevnet> {
  const api = await startTonApi(opts);
  const bc = api.blockchain;
  const wallets = DEVNET_TON_WALLETS.map((_, i) => devnetTonWallet(i));
  const admin = wallets[0].address;
  const master = contractAddress(0, jettonMasterInit(admin, DEVNET_TON_JETTON_CONTENT()));
  const resolverInit = { code: tonContracts.dnsResolver, data: resolverData({}) };
  const resolver = contractAddress(0, resolverInit);
  // ./ton-constants names them for config without loading @ton/*: they must agree
  if (devnetFriendly(master, true) !== DEVNET_TON_JETTON_MASTER || devnetFriendly(resolver, true) !== DEVNET_TON_DNS_ROOT) {
    throw new Error(`TON devnet: ton-constants.ts is stale (jetton master ${devnetFriendly(master, true)}, DNS resolver ${devnetFriendly(resolver, true)})`);
  }
  if (!api.loaded) {
    for (const w of wallets) {
      await bc.setShardAccount(w.address, createShardAccount({
        address: w.address, code: w.init.code, data: w.init.data, balance: DEVNET_TON_INITIAL_NANOTON,
      }));
      const jw = jettonWalletAddress(w.address, master);
      await bc.setShardAccount(jw, createShardAccount({
        address: jw, code: tonContracts.jettonWallet, data: jettonWalletData(DEVNET_TON_INITIAL_JETTON, w.address, master), balance: 100_000_000n,
      }));
    }
    await bc.setShardAccount(master, createShardAccount({
      address: master, code: tonContracts.jettonMinter, balance: 1_000_000_000n,
      data: minterData(DEVNET_TON_INITIAL_JETTON * BigInt(wallets.length), admin, DEVNET_TON_JETTON_CONTENT()),
    }));
    await bc.setShardAccount(resolver, createShardAccount({
      address: resolver, code: tonContracts.dnsResolver, balance: 1_000_000_000n,
      data: resolverData({ [DEVNET_TON_DNS_NAME]: wallets[1].address }),
    }));
  }
  opts.log?.(`ton (sandbox) on ${api.endpoint}: ${api.loaded ? "found" : "created"} ${DEVNET_TON_JETTON_SYMBOL} ${devnetFriendly(master, true)}, ${DEVNET_TON_DNS_NAME} at ${devnetFriendly(resolver, true)}`);
  return {
    ...api,
    wallets: wallets.map((w, i) => ({ address: devnetFriendly(w.address, false), mnemonic: DEVNET_TON_WALLETS[i].mnemonic })),
    jettonMaster: devnetFriendly(master, true),
    dnsRoot: devnetFriendly(resolver, true),
    dnsName: DEVNET_TON_DNS_NAME,
    fund: async (address, amount) => {
      await api.send(internal({ from: new Address(0, Buffer.alloc(32, 0xfa)), to: Address.parse(address), value: amount, bounce: false }));
    },
  };
}
