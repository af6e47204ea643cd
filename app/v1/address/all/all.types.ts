import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";
import { userId } from "@/lib/deposit-addresses/schemas";

export const allAddresses = defineEndpoint({
  method: "GET",
  path: "/v1/address/all",
  tag: "Deposit addresses",
  summary: "All addresses of a user",
  description: "Every deposit address created for `user_id` (by any dialect), oldest first.",
  auth: "key",
  query: z.strictObject({ user_id: userId }),
  response: z.object({ addresses: z.array(z.object({ address: z.string(), currency: z.string() })) }),
});
