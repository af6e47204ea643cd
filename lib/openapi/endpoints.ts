// Every public endpoint, in the order the reference lists them. test/unit/openapi.test.ts fails
// when an endpoint exported from app/v1/**/*.types.ts is missing here.
import type { Endpoint } from "@/lib/api/endpoint";
import { listCurrencies } from "@/app/v1/currencies/currencies.types";
import { getOpenApi } from "@/app/v1/openapi.json/openapi.types";
import { cancelSession } from "@/app/v1/sessions/[id]/cancel/cancel.types";
import { acceptSession } from "@/app/v1/sessions/[id]/accept/accept.types";
import { refundSession } from "@/app/v1/sessions/[id]/refund/refund.types";
import { retrySession } from "@/app/v1/sessions/[id]/retry/retry.types";
import { checkSession } from "@/app/v1/sessions/[id]/check/check.types";
import { choosePaymentMethod } from "@/app/v1/sessions/[id]/paymentMethods/payment-methods.types";
import { getSession } from "@/app/v1/sessions/[id]/session.types";
import { getTokenOptions } from "@/app/v1/sessions/[id]/tokenOptions/token-options.types";
import { createSession, listSessions } from "@/app/v1/sessions/sessions.types";
import { getSync } from "@/app/v1/system/sync/sync.types";
import { createPayment } from "@/app/v1/payments/payments.types";
import { getPayment, submitPayment, submitPaymentSeed } from "@/app/v1/payments/[paymentId]/payment.types";
import { blockPayment } from "@/app/v1/payments/[paymentId]/block/block.types";
import { acceptPayment } from "@/app/v1/payments/[paymentId]/accept/accept.types";
import { refundPayment } from "@/app/v1/payments/[paymentId]/refund/refund.types";
import { retryPayment } from "@/app/v1/payments/[paymentId]/retry/retry.types";
import { createWebhookEndpoint, listWebhookEndpoints } from "@/app/v1/webhook-endpoints/webhook-endpoints.types";
import { deleteWebhookEndpoint, getWebhookEndpoint, updateWebhookEndpoint } from "@/app/v1/webhook-endpoints/[id]/webhook-endpoint.types";
import { testWebhookEndpoint } from "@/app/v1/webhook-endpoints/[id]/test/test.types";
import { rotateWebhookSecret } from "@/app/v1/webhook-endpoints/[id]/rotate/rotate.types";
import { listEvents } from "@/app/v1/events/events.types";
import { getEvent } from "@/app/v1/events/[id]/event.types";
import { listEventDeliveries } from "@/app/v1/events/[id]/deliveries/deliveries.types";
import { redeliverEvent } from "@/app/v1/events/[id]/redeliver/redeliver.types";
import { newAddress } from "@/app/v1/address/new/new.types";
import { allAddresses } from "@/app/v1/address/all/all.types";
import { getIncome } from "@/app/v1/income/income.types";
import { depositHistory } from "@/app/v1/deposit/history/history.types";
import { depositIncome } from "@/app/v1/deposit/income/income.types";
import { sendWithdrawal } from "@/app/v1/withdrawal/send/send.types";
import { withdrawalStatus } from "@/app/v1/withdrawal/status/status.types";
import { serviceWithdrawal } from "@/app/v1/withdrawal/service/service.types";
import { serviceWithdrawalTon } from "@/app/v1/withdrawal/service/ton/ton.types";
import { serviceWithdrawalJetton } from "@/app/v1/withdrawal/service/jetton/jetton.types";
import { getBalance } from "@/app/v1/balance/balance.types";
import { listBalances } from "@/app/v1/balances/balances.types";
import { resolveDomain } from "@/app/v1/resolve/resolve.types";
import { walletAddress } from "@/app/wallet/address/address.types";
import { createChannel } from "@/app/channels/channels.types";
import { createDepositAddressV2 } from "@/app/v2/deposit_address/create/create.types";
import { listDepositAddressesV2 } from "@/app/v2/deposit_address/list/list.types";
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
  refundSession,
  acceptSession,
  retrySession,
  createPayment,
  submitPayment,
  submitPaymentSeed,
  getPayment,
  blockPayment,
  refundPayment,
  acceptPayment,
  retryPayment,
  createWebhookEndpoint,
  listWebhookEndpoints,
  getWebhookEndpoint,
  updateWebhookEndpoint,
  deleteWebhookEndpoint,
  testWebhookEndpoint,
  rotateWebhookSecret,
  listEvents,
  getEvent,
  listEventDeliveries,
  redeliverEvent,
  newAddress,
  allAddresses,
  getIncome,
  depositHistory,
  depositIncome,
  walletAddress,
  createChannel,
  createDepositAddressV2,
  listDepositAddressesV2,
  sendWithdrawal,
  withdrawalStatus,
  serviceWithdrawal,
  serviceWithdrawalTon,
  serviceWithdrawalJetton,
  getBalance,
  listBalances,
  resolveDomain,
  listCurrencies,
  getSync,
  getOpenApi,
} satisfies Record<string, Endpoint>;

export const endpoints: NamedEndpoint[] = Object.entries(endpointsById).map(([operationId, e]) => ({ ...e, operationId }));

export const TAG_DESCRIPTIONS: Record<string, string> = {
  Sessions: "A checkout session: pay an amount of a token to an address, through the hosted page or your own UI (seed 003 dialect, compatible with the @daimo/sdk client).",
  Payments: "A payment priced in a display (fiat) currency, paid in crypto at a stored rate quote (seed 004 dialect); same engine and hosted page as sessions.",
  Webhooks: "Endpoints that receive events, signed per the Standard Webhooks specification, with retries for 3 days.",
  Events: "Everything that happened to your objects, in order, and where each event was delivered.",
  "Deposit addresses": "Permanent deposit addresses per customer, their deposits and income (seed 001 dialect, with the seed 000 and 002 dialects over the same records).",
  Withdrawals: "Payouts from the hot wallet, sweeps of deposit addresses, balances and ENS resolution (seed 001 dialect).",
  Currencies: "The assets this instance accepts, one row per asset on a network.",
  System: "Health of the chain watcher (seed 001 dialect).",
  Meta: "This reference itself.",
};
