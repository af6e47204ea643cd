// GET /v1/system/sync – is the worker keeping up with the chains (seed 001)
import { handle, methods } from "@/lib/api/route";
import { config } from "@/lib/config";
import { syncReport } from "@/lib/sync/status";
import { getSync } from "./sync.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getSync, async ({ query }) => {
    const livemode = query.livemode ? query.livemode === "true" : config().mode === "live";
    return { body: await syncReport(livemode) };
  }),
});
