// GET /v1/currencies – what this instance accepts, per asset and network
import { handle, methods } from "@/lib/api/route";
import { config } from "@/lib/config";
import { listCurrencies as rows } from "@/lib/currencies/list";
import { listCurrencies } from "./currencies.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(listCurrencies, async ({ principal }) => {
    const livemode = principal.kind === "anonymous" ? config().mode === "live" : principal.livemode;
    return { body: { data: rows(livemode) } };
  }),
});
