// GET /v1/resolve – ENS or TON DNS name → address (seed 001)
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { resolveEnsName } from "@/lib/ens/resolve";
import { chainFamilies } from "@/lib/chains/registry";
import { config } from "@/lib/config";
import { resolveDomain } from "./resolve.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(resolveDomain, async ({ principal, query }) => {
    const { livemode } = ownerOf(principal);
    // a family's own name service (TON DNS) for its names; ENS for the rest
    const service = chainFamilies().find((f) => f.names?.owns(query.domain));
    const chain = service && config().networks.find((c) => c.enabled && c.livemode === livemode && c.family === service.id);
    if (service && !chain) {
      throw errors.validation(`Name resolution for '${query.domain}' is not available in ${livemode ? "live" : "test"} mode: ${service.displayName} is not enabled.`, "domain", "resolution_unavailable");
    }
    const address = service && chain ? await service.names!.resolve(chain, query.domain) : await resolveEnsName(query.domain, livemode);
    if (!address) throw errors.notFound("name", "domain");
    return { body: { address } };
  }),
});
