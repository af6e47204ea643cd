// Typed access to LiteSVM's native binding (the `litesvm` wrapper package cannot be installed
// here: the registry lacks its other platform packages). Only what the devnet uses is declared.
import { createRequire } from "node:module";

export interface SvmAccount {
  lamports(): bigint;
  data(): Uint8Array;
  owner(): Uint8Array;
  executable(): boolean;
  rentEpoch(): bigint;
}

export interface SvmTxMeta {
  signature(): Uint8Array;
  logs(): string[];
  computeUnitsConsumed(): bigint;
}

export interface SvmFailedTx {
  err(): { toString(): string } | number;
  meta(): SvmTxMeta;
}

export interface SvmClock {
  slot: bigint;
  epochStartTimestamp: bigint;
  epoch: bigint;
  leaderScheduleEpoch: bigint;
  unixTimestamp: bigint;
}

export interface LiteSvmInstance {
  airdrop(pubkey: Uint8Array, lamports: bigint): SvmTxMeta | SvmFailedTx | null;
  getAccount(pubkey: Uint8Array): SvmAccount | null;
  setAccount(pubkey: Uint8Array, account: SvmAccount): void;
  getBalance(pubkey: Uint8Array): bigint | null;
  latestBlockhash(): string;
  expireBlockhash(): void;
  setBlockhashCheck(check: boolean): void;
  getClock(): SvmClock;
  setClock(clock: SvmClock): void;
  warpToSlot(slot: bigint): void;
  minimumBalanceForRentExemption(dataLen: bigint): bigint;
  sendLegacyTransaction(bytes: Uint8Array): SvmTxMeta | SvmFailedTx;
  sendVersionedTransaction(bytes: Uint8Array): SvmTxMeta | SvmFailedTx;
  getProgramAccounts(programId: Uint8Array): { address: Uint8Array; account(): SvmAccount }[];
  toBytes(): Uint8Array;
}

type Binding = {
  LiteSvm: { new (): LiteSvmInstance; fromBytes(bytes: Uint8Array): LiteSvmInstance };
  Account: new (lamports: bigint, data: Uint8Array, owner: Uint8Array, executable: boolean, rentEpoch: bigint) => SvmAccount;
  Clock: new (slot: bigint, epochStartTimestamp: bigint, epoch: bigint, leaderScheduleEpoch: bigint, unixTimestamp: bigint) => SvmClock;
};

let binding: Binding | undefined;
export function litesvm(): Binding {
  binding ??= createRequire(import.meta.url)("litesvm-linux-x64-gnu") as Binding;
  return binding;
}

export function isFailed(r: SvmTxMeta | SvmFailedTx): r is SvmFailedTx {
  return typeof (r as SvmFailedTx).err === "function";
}
