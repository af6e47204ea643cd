// GET /v1/openapi.json – the OpenAPI 3.1 document of this API, generated from the endpoint schemas
import { handle, methods } from "@/lib/api/route";
import { endpoints, TAG_DESCRIPTIONS } from "@/lib/openapi/endpoints";
import { generateOpenApi } from "@/lib/openapi/generate";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { getOpenApi } from "./openapi.types";

const HOST_RE = /^[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/;

/** The origin the client used: Next's req.url names the bound address, not the Host (or proxy) the caller saw. */
function clientOrigin(req: Request, url: URL): string {
  const first = (h: string) => req.headers.get(h)?.split(",")[0].trim();
  const host = first("x-forwarded-host") ?? first("host");
  const proto = first("x-forwarded-proto") ?? url.protocol.slice(0, -1);
  if (!host || !HOST_RE.test(host) || (proto !== "http" && proto !== "https")) return url.origin;
  return `${proto}://${host}`;
}

// One document per origin the instance is reached at (normally one or two).
const byOrigin = new Map<string, OpenApiDocument>();

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  GET: handle(getOpenApi, async ({ req, url }) => {
    const origin = clientOrigin(req, url);
    let doc = byOrigin.get(origin);
    if (!doc) {
      doc = generateOpenApi(endpoints, { serverUrl: origin, tagDescriptions: TAG_DESCRIPTIONS });
      if (byOrigin.size < 16) byOrigin.set(origin, doc);
    }
    return { body: doc };
  }),
});
