// Signing secrets: whsec_ + base64 of 32 random bytes (Standard Webhooks allows 24–64).
import { randomBytes } from "node:crypto";

export function newSecret(): string {
  return `whsec_${randomBytes(32).toString("base64")}`;
}

/** What lists and later views show: enough to tell secrets apart, not enough to sign. */
export function maskSecret(secret: string): string {
  return `whsec_••••••••${secret.slice(-4)}`;
}

/** The key bytes: the base64 after the prefix. */
export function secretBytes(secret: string): Buffer {
  return Buffer.from(secret.startsWith("whsec_") ? secret.slice(6) : secret, "base64");
}
