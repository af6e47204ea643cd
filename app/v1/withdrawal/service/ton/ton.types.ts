import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const serviceWithdrawalTon = defineEndpoint({
  method: "POST",
  path: "/v1/withdrawal/service/ton",
  tag: "Withdrawals",
  summary: "Sweep a TON deposit wallet's TON",
  description: "Moves all the TON one of your TON deposit addresses holds to the hot wallet (deploying the wallet on the way if it is uninit). " +
    "Returns the `memo` sent as the transfer's comment.",
  auth: "key",
  lenientJson: true,
  body: z.strictObject({
    from: z.string().trim().min(1).max(200).meta({ description: "one of your TON deposit addresses (any form)", example: "0QAUuul9LdYcyJuBHernHo3JkbWTduH_FuEb2H8jCDdGesOP" }),
  }),
  response: z.object({ memo: z.string() }),
});
