// A loaded payment as seed 004's paymentInfo (API.md §2): status by DOMAIN.md's mapping from the
// checkout's status, amounts exact from the deposits and quotes (lib/rates/decimal).
import { isNativeToken } from "@/lib/checkout/native-token";
import { summarizePayment } from "@/lib/checkout/payment-summary";
import { config } from "@/lib/config";
import { assetSpec } from "@/lib/deposits/assets";
import { formatUnits, formatUnitsFixed } from "@/lib/money/units";
import { DISPLAY_DECIMALS, displayCentsFor } from "@/lib/rates/decimal";
import type { DepositRow, LoadedPayment, QuoteRow } from "./load";
import { paymentNetworkOf } from "./currencies";
import type { PaymentInfo, PaymentStatus } from "./schemas";

const unix = (d: Date) => Math.floor(d.getTime() / 1000);
const cents = (v: bigint) => formatUnitsFixed(v, DISPLAY_DECIMALS, DISPLAY_DECIMALS);

export function paymentUrl(id: string): string {
  return `${config().publicUrl}/checkout/${id}`;
}

/** The quote a deposit is valued with: FLOATING uses the one taken at deposit time once there is one. */
export function quoteFor(l: Pick<LoadedPayment, "payment" | "quotes">): QuoteRow | undefined {
  const submit = l.quotes.find((q) => q.id === l.payment.submitQuoteId);
  if (l.payment.rateType === "FLOATING") return l.quotes.find((q) => q.id === l.payment.depositQuoteId) ?? submit;
  return submit;
}

export type PaymentFigures = {
  status: PaymentStatus;
  /** deposits credited to the payment (a reusable payment's follow-ups included), in the asset's base units */
  creditedUnits: bigint;
  overpaidUnits: bigint;
  credited: DepositRow[];
  followUps: DepositRow[];
};

export function paymentFigures(l: LoadedPayment): PaymentFigures {
  const { payment, checkout } = l;
  if (!checkout) {
    const status = payment.stage === "expired" ? "EXPIRED" : payment.stage === "blocked" ? "BLOCKED" : "NEW";
    return { status, creditedUnits: 0n, overpaidUnits: 0n, credited: [], followUps: [] };
  }
  const s = summarizePayment(checkout, 0, l.deposits);
  const inAsset = (d: DepositRow) => d.network === checkout.network
    && (d.tokenAddress === null ? isNativeToken(checkout.tokenAddress) : d.tokenAddress.toLowerCase() === checkout.tokenAddress.toLowerCase());
  const followUps = s.late.filter(inAsset);
  const credited = payment.type === "REUSABLE" ? [...s.counted, ...followUps] : s.counted;
  const creditedUnits = credited.reduce((sum, d) => sum + d.amount, 0n);
  let status: PaymentStatus;
  switch (checkout.status) {
    case "requires_payment_method": status = "NEW"; break;
    case "waiting_payment": status = "PENDING"; break;
    case "processing": status = "AWAITING"; break;
    case "succeeded": status = s.overpaidUnits > 0n ? "OVERPAID" : "DEPOSITED"; break;
    case "bounced": status = "BLOCKED"; break;
    case "expired": status = "EXPIRED"; break;
  }
  return { status, creditedUnits, overpaidUnits: s.overpaidUnits, credited, followUps };
}

export function serializePayment(l: LoadedPayment): PaymentInfo {
  const { payment: p, checkout: c } = l;
  const f = paymentFigures(l);
  const quote = quoteFor(l);
  const decimals = c?.tokenDecimals ?? 0;
  const worth = (units: bigint) => (quote && c ? displayCentsFor(units, quote.rate, decimals) : 0n);
  const actualCents = f.credited.reduce((sum, d) => sum + worth(d.amount), 0n);
  const expectedDisplay = p.displayAmountCents !== null ? cents(p.displayAmountCents) : undefined;
  const followUp = new Set(f.followUps.map((d) => d.id));
  const excess = [...l.refunds].reverse().find((o) => o.purpose === "excess_refund");
  return {
    paymentId: p.id,
    clientPaymentId: p.clientPaymentId,
    businessId: p.merchantId,
    locale: p.locale,
    status: f.status,
    rateType: p.rateType,
    type: p.type,
    url: paymentUrl(p.id),
    overpaymentPolicy: p.overpaymentPolicy,
    refundFollowUpDepositsForOneTimePayments: p.refundFollowUpDeposits,
    processorType: "BLOCKCHAIN",
    ...(c?.paymentMethodReceiverAddress ? { walletAddress: c.paymentMethodReceiverAddress } : {}),
    ...(p.displayCurrency ? { displayCurrency: p.displayCurrency } : {}),
    ...(expectedDisplay !== undefined ? { expectedDisplayAmount: expectedDisplay, expectedDisplayDistributedUserServiceFee: "0.00" } : {}),
    actualDisplayAmount: cents(actualCents),
    actualDisplayDistributedUserServiceFee: "0.00",
    ...(p.depositCurrency ? { depositCurrency: p.depositCurrency } : {}),
    ...(p.expectedNetwork ? { expectedNetwork: p.expectedNetwork } : {}),
    ...(c ? {
      expectedDepositAmount: formatUnits(c.amountUnits, decimals),
      expectedDepositDistributedUserServiceFee: formatUnitsFixed(0n, 0, decimals),
    } : {}),
    actualDepositAmount: formatUnits(f.creditedUnits, decimals),
    actualDepositDistributedUserServiceFee: "0",
    // no fees and one display currency per payment: the uniform amounts are the display amounts
    ...(expectedDisplay !== undefined ? { expectedUniformAmount: expectedDisplay } : {}),
    actualUniformAmount: cents(actualCents),
    userServiceFeeDistributionPercentage: "0.00",
    ...(p.redirectUrl ? { redirectUrl: p.redirectUrl } : {}),
    expirationMinutes: p.expirationMinutes,
    paymentInitiatedAt: unix(p.createdAt),
    ...(p.requestedAt ? { paymentRequestedAt: unix(p.requestedAt) } : {}),
    deposits: l.deposits.filter((d) => f.credited.includes(d) || followUp.has(d.id)).map((d) => {
      const spec = assetSpec(d.network, d.assetCode);
      const dec = spec?.decimals ?? decimals;
      return {
        depositId: d.id,
        txHash: d.txHash,
        // seed 004's network enum (ETH, BSC, TRX, SOL, …), as expectedNetwork
        network: paymentNetworkOf(d.network) ?? d.network,
        depositCurrency: spec?.asset ?? d.assetCode,
        fromAddress: d.fromAddress,
        amount: formatUnits(d.amount, dec),
        displayAmount: cents(worth(d.amount)),
        status: d.status === "confirmed" ? "CONFIRMED" as const : "PENDING" as const,
        followUp: followUp.has(d.id),
        createdAt: unix(d.createdAt),
        confirmedAt: d.confirmedAt ? unix(d.confirmedAt) : null,
      };
    }),
    quotes: l.quotes.map((q) => ({
      purpose: q.purpose, base: q.base, quote: q.quote, rate: q.rate, source: q.source, fetchedAt: unix(q.fetchedAt), expiresAt: unix(q.expiresAt),
    })),
    ...(excess ? { excessRefund: { txHash: excess.txHash, amount: formatUnits(excess.amount, decimals), status: excess.status } } : {}),
  };
}
