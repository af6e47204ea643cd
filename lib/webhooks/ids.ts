import { randomInt, randomUUID } from "node:crypto";

const ALPHABET = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

/** we_ + 24 base62 characters (~143 bits). */
export function newEndpointId(): string {
  let s = "we_";
  for (let i = 0; i < 24; i++) s += ALPHABET[randomInt(ALPHABET.length)];
  return s;
}

/** msg_ + 32 hex: the same form SQL makes in enqueue.ts (`replace(gen_random_uuid()::text, '-', '')`). */
export function newDeliveryId(): string {
  return `msg_${randomUUID().replaceAll("-", "")}`;
}
