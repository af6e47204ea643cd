import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const resolveDomain = defineEndpoint({
  method: "GET",
  path: "/v1/resolve",
  tag: "Withdrawals",
  summary: "Resolve a domain name",
  description: "The address an ENS name points at, read from the ENS registry of the mode's Ethereum network, or a TON DNS name's " +
    "(`.ton`) wallet record (dns_smc_address), as a bounceable user-friendly address, where TON is enabled; 404 when the name has no address.",
  auth: "key",
  query: z.strictObject({ domain: z.string().trim().min(1).max(255).meta({ example: "alice.eth" }) }),
  response: z.object({ address: z.string() }),
});
