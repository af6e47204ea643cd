// Every public endpoint, in the order the reference lists them. test/unit/openapi.test.ts fails
// when an endpoint exported from app/v1/**/*.types.ts is missing here.
import type { Endpoint } from "@/lib/api/endpoint";
import { listCurrencies } from "@/app/v1/currencies/currencies.types";
import { getOpenApi } from "@/app/v1/openapi.json/openapi.types";
import { cancelSession } from "@/app/v1/sessions/[id]/cancel/cancel.types";
import { checkSession } from "@/app/v1/sessions/[id]/check/check.types";
import { choosePaymentMethod } from "@/app/v1/sessions/[id]/paymentMethods/payment-methods.types";
import { getSession } from "@/app/v1/sessions/[id]/session.types";
import { getTokenOptions } from "@/app/v1/sessions/[id]/tokenOptions/token-options.types";
import { createSession, listSessions } from "@/app/v1/sessions/sessions.types";
import { getSync } from "@/app/v1/system/sync/sync.types";
import type { NamedEndpoint } from "./generate";

/** Keyed by operationId. */
export const endpointsById = {
  createSession,
  getSession,
  listSessions,
  choosePaymentMethod,
  getTokenOptions,
  checkSession,
  cancelSession,
  listCurrencies,
  getSync,
  getOpenApi,
} satisfies Record<string, Endpoint>;

export const endpoints: NamedEndpoint[] = Object.entries(endpointsById).map(([operationId, e]) => ({ ...e, operationId }));

export const TAG_DESCRIPTIONS: Record<string, string> = {
  Sessions: "A checkout session: pay an amount of a token to an address, through the hosted page or your own UI (seed 003 dialect, compatible with the @daimo/sdk client).",
  Currencies: "The assets this instance accepts, one row per asset on a network.",
  System: "Health of the chain watcher (seed 001 dialect).",
  Meta: "This reference itself.",
};
