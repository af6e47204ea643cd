import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const serviceWithdrawalJetton = defineEndpoint({
  method: "POST",
  path: "/v1/withdrawal/service/jetton",
  tag: "Withdrawals",
  summary: "Sweep a TON deposit wallet's jettons",
  description: "Moves all of a jetton that one of your TON deposit addresses (`owner`) holds — its jetton wallet under `jetton_master` — to the hot wallet. " +
    "The hot wallet first sends the deposit wallet the TON the transfer's gas needs when it holds too little. Returns the `memo` sent as the transfer's comment.",
  auth: "key",
  lenientJson: true,
  body: z.strictObject({
    owner: z.string().trim().min(1).max(200).meta({ description: "one of your TON deposit addresses (any form)", example: "0QAUuul9LdYcyJuBHernHo3JkbWTduH_FuEb2H8jCDdGesOP" }),
    jetton_master: z.string().trim().min(1).max(200).meta({ description: "the jetton's master contract", example: "kQCKt2WPGX-fh0cIAz38Ljd_OKQjoZE_cqk7QrYGsNP6wfP0" }),
  }),
  response: z.object({ memo: z.string() }),
});
