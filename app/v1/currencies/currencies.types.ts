import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const currencyRow = z.object({
  code: z.string().meta({ example: "eUSDC" }),
  asset: z.string().meta({ example: "USDC" }),
  network: z.string().meta({ example: "ethereum" }),
  chainId: z.number().int().nullable(),
  standard: z.enum(["native", "erc20", "bep20", "trc20", "spl", "jetton"]),
  contract: z.string().nullable(),
  mint: z.string().nullable(),
  decimals: z.number().int(),
  minAmount: z.string().meta({ example: "0.01" }),
  enabled: z.boolean(),
}).meta({ id: "Currency" });

export const listCurrencies = defineEndpoint({
  method: "GET",
  path: "/v1/currencies",
  tag: "Currencies",
  summary: "List currencies",
  description: "Every asset-on-network this instance knows, in the mode of the API key (the instance's mode without one), with `enabled` telling whether it can be used now.",
  auth: "optional-key",
  query: z.strictObject({}),
  response: z.object({ data: z.array(currencyRow) }),
});
