import { z } from "zod";
import { defineEndpoint } from "@/lib/api/endpoint";

export const getOpenApi = defineEndpoint({
  method: "GET",
  path: "/v1/openapi.json",
  tag: "Meta",
  summary: "OpenAPI document",
  description: "This reference as an OpenAPI 3.1 document, generated from the same zod schemas that validate requests. The server URL is the origin the request was made to. A rendered version is at `/docs/api`.",
  auth: "none",
  query: z.strictObject({}),
  response: z.looseObject({
    openapi: z.string().meta({ example: "3.1.1" }),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  }),
});
