// BIP84 keys (native segwit, P2WPKH): accounts m/84'/0'/0' (Bitcoin), m/84'/2'/0' (Litecoin) and
// m/84'/1'/0' (every test network: testnet, regtest). One key_roots row holds the family's root:
// the three account xpubs, so the web process derives any receiver from public keys alone. A
// receiver at index i is the account's external chain m/…/0/i (BIP84); index 0 is the hot wallet.
import { ripemd160 } from "@noble/hashes/legacy.js";
import { sha256 } from "@noble/hashes/sha2.js";
import { HDKey } from "@scure/bip32";
import { hdMaster } from "@/lib/keys/derive";
import { chainFor } from "@/lib/config";
import { p2wpkhAddress } from "./address";

const COIN_TYPE = { bitcoin: 0, litecoin: 2, test: 1 } as const;
type Account = keyof typeof COIN_TYPE;

export const BIP84_ACCOUNT_PATH = "m/84'/{0: bitcoin, 2: litecoin, 1: test networks}'/0'";

const accountPath = (a: Account) => `m/84'/${COIN_TYPE[a]}'/0'`;

/** The family's public root: `bitcoin=<xpub>;litecoin=<xpub>;test=<xpub>` (BIP84 accounts). */
export function bitcoinPublicRoot(mnemonic: string): string {
  const master = hdMaster(mnemonic);
  return (Object.keys(COIN_TYPE) as Account[]).map((a) => `${a}=${master.derive(accountPath(a)).publicExtendedKey}`).join(";");
}

/** Which account a chain key ("bitcoin", "litecoin:test") derives from, and its address prefix. */
function accountOf(chainKey: string): { account: Account; hrp: string } {
  const [network, mode] = chainKey.split(":");
  const livemode = mode !== "test";
  const chain = chainFor(network, livemode);
  if (!chain?.bech32Hrp) throw new Error(`"${chainKey}" is not a configured Bitcoin-family chain`);
  const account: Account = !livemode ? "test" : network === "litecoin" ? "litecoin" : "bitcoin";
  return { account, hrp: chain.bech32Hrp };
}

const roots = new Map<string, HDKey>();
function accountKey(root: string, account: Account): HDKey {
  const k = `${account}:${root}`;
  let key = roots.get(k);
  if (!key) {
    const xpub = root.split(";").find((p) => p.startsWith(`${account}=`))?.slice(account.length + 1);
    if (!xpub) throw new Error(`the Bitcoin key root has no ${account} account`);
    key = HDKey.fromExtendedKey(xpub);
    roots.set(k, key);
  }
  return key;
}

/** The P2WPKH receiver at `index` on a chain ("bitcoin", "bitcoin:test", "litecoin", …), from the public root alone. */
export function bitcoinAddressAt(root: string, index: number | bigint, chainKey: string): string {
  const { account, hrp } = accountOf(chainKey);
  const child = accountKey(root, account).deriveChild(0).deriveChild(Number(index));
  return p2wpkhAddress(ripemd160(sha256(child.publicKey!)), hrp);
}

/** The key of the receiver at `index` on a chain (worker only: from the mnemonic): what signs its outputs. */
export function bitcoinSignerAt(mnemonic: string, index: number | bigint, chainKey: string): { privateKey: Uint8Array; publicKey: Uint8Array; address: string } {
  const { account, hrp } = accountOf(chainKey);
  const child = hdMaster(mnemonic).derive(`${accountPath(account)}/0/${Number(index)}`);
  return { privateKey: child.privateKey!, publicKey: child.publicKey!, address: p2wpkhAddress(ripemd160(sha256(child.publicKey!)), hrp) };
}
