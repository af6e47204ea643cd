// Ethereum's logsBloom (yellow paper §4.3.1): a 2048-bit filter over every log's address and
// topics in a block. It has false positives, never false negatives: a block whose bloom lacks a
// token's address or the Transfer topic has no Transfer log of that token. The watcher uses it to
// doubt an eth_getLogs answer: a bloom that shows a watched token's Transfer while the logs answer
// has none for that block is an incomplete answer (a lagging node) until shown otherwise.
import { keccak_256 } from "@noble/hashes/sha3.js";
import { hexToBytes } from "@noble/hashes/utils.js";
import { TRANSFER_TOPIC, type Hex } from "./chain-reader";

const BLOOM_BYTES = 256;

function bytesOf(h: Hex): Uint8Array {
  return hexToBytes(h.slice(2));
}

/** The three bit positions an item sets (keccak's first three byte pairs, mod 2048). */
function bits(item: Uint8Array): number[] {
  const h = keccak_256(item);
  return [0, 2, 4].map((i) => ((h[i] << 8) | h[i + 1]) & 2047);
}

/** Whether the bloom may contain `item` (an address's 20 bytes or a topic's 32). */
export function bloomMayContain(bloom: Uint8Array, item: Uint8Array): boolean {
  if (bloom.length !== BLOOM_BYTES) return true; // no usable bloom: assume anything may be there
  return bits(item).every((b) => (bloom[BLOOM_BYTES - 1 - (b >> 3)] & (1 << (b & 7))) !== 0);
}

/** Adds an item to a bloom (tests build blocks' blooms with it). */
export function bloomAdd(bloom: Uint8Array, item: Uint8Array): void {
  for (const b of bits(item)) bloom[BLOOM_BYTES - 1 - (b >> 3)] |= 1 << (b & 7);
}

/** The bloom of these Transfer logs' tokens (with the Transfer topic), as a node would report it. */
export function transferBloom(tokens: readonly Hex[]): Hex {
  const bloom = new Uint8Array(BLOOM_BYTES);
  if (tokens.length) bloomAdd(bloom, bytesOf(TRANSFER_TOPIC));
  for (const t of tokens) bloomAdd(bloom, bytesOf(t));
  return `0x${Buffer.from(bloom).toString("hex")}`;
}

/**
 * The watched tokens whose Transfer the block's bloom shows (possibly a false positive). A
 * missing or malformed bloom shows nothing: some nodes (Tron's) report a zero bloom, and an
 * absent bloom cannot be used to doubt an answer.
 */
export function tokensInBloom(logsBloom: Hex | undefined, tokens: readonly Hex[]): Hex[] {
  if (!logsBloom || logsBloom.length !== 2 + BLOOM_BYTES * 2) return [];
  const bloom = bytesOf(logsBloom);
  if (!bloomMayContain(bloom, bytesOf(TRANSFER_TOPIC))) return [];
  return tokens.filter((t) => bloomMayContain(bloom, bytesOf(t)));
}
