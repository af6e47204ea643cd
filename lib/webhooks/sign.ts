// Standard Webhooks signatures: v1,<base64 HMAC-SHA256(key, "{id}.{timestamp}.{body}")>, one per
// valid secret, space-separated (during a rotation both the new and the old secret sign).
import { createHmac } from "node:crypto";
import { secretBytes } from "./secret";

export type SignedHeaders = {
  "webhook-id": string;
  "webhook-timestamp": string;
  "webhook-signature": string;
};

export function signature(secret: string, id: string, timestamp: number, body: string): string {
  const mac = createHmac("sha256", secretBytes(secret)).update(`${id}.${timestamp}.${body}`).digest("base64");
  return `v1,${mac}`;
}

export function signHeaders(secrets: readonly string[], id: string, timestamp: number, body: string): SignedHeaders {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(timestamp),
    "webhook-signature": secrets.map((s) => signature(s, id, timestamp, body)).join(" "),
  };
}
