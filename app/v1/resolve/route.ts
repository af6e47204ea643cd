// GET /v1/resolve – ENS name → address (seed 001)
import { errors } from "@/lib/api/errors";
import { handle, methods } from "@/lib/api/route";
import { ownerOf } from "@/lib/deposit-addresses/schemas";
import { resolveEnsName } from "@/lib/ens/resolve";
import { resolveDomain } from "./resolve.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(resolveDomain, async ({ principal, query }) => {
    const address = await resolveEnsName(query.domain, ownerOf(principal).livemode);
    if (!address) throw errors.notFound("name", "domain");
    return { body: { address } };
  }),
});
