// Which (depositCurrency, network) pairs of seed 004 this instance accepts for payments in a mode:
// every pair of the seed's vocabulary that resolveDeposit accepts, so the list can never offer a
// pair that PATCH /v1/payments/{id} would refuse (or miss one it takes) whatever networks and
// families resolveDeposit learns.
import { and, eq } from "drizzle-orm";
import { settlementAddresses } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { networkSpec } from "@/lib/config/networks";
import { db } from "@/lib/db/client";
import { PEGS } from "@/lib/rates";
import { DEPOSIT_CURRENCIES, PAYMENT_NETWORKS, resolveDeposit, type DepositCurrency, type PaymentNetwork } from "./currencies";

export type AcceptedDeposit = {
  currency: DepositCurrency;
  /** seed 004's network name (ETH, POLYGON, TRX, …) */
  network: PaymentNetwork;
  /** this instance's network name ("ethereum", …): where the settlement address must be */
  chainNetwork: string;
  /** "Ethereum", "Polygon", … */
  networkName: string;
  decimals: number;
};

/**
 * Every pair resolveDeposit accepts in this mode, in seed 004's network order, stablecoins first
 * on each network (what most payers pay with), then the seed's currency order.
 */
export function acceptedDeposits(livemode: boolean): AcceptedDeposit[] {
  const currencies = [...DEPOSIT_CURRENCIES].sort((a, b) => Number(b in PEGS) - Number(a in PEGS));
  const out: AcceptedDeposit[] = [];
  for (const network of PAYMENT_NETWORKS) {
    for (const currency of currencies) {
      let r: ReturnType<typeof resolveDeposit>;
      try {
        r = resolveDeposit(livemode, currency, network);
      } catch (e) {
        if (e instanceof ApiError) continue; // not accepted: resolveDeposit says why to the API's callers
        throw e;
      }
      // resolveDeposit may answer another spelling of the pair (e.g. a default network): only exact pairs are listed
      if (r.network !== network || r.asset.symbol !== currency) continue;
      out.push({ currency, network, chainNetwork: r.chain.network, networkName: networkSpec(r.chain.network)?.displayName ?? r.chain.network, decimals: r.asset.decimals });
    }
  }
  return out;
}

/** The accepted pairs the merchant can be paid with: those on networks where it has a settlement address in the mode (submitPayment needs one). */
export async function payableDeposits(merchantId: string, livemode: boolean): Promise<AcceptedDeposit[]> {
  const rows = await db().select({ network: settlementAddresses.network }).from(settlementAddresses)
    .where(and(eq(settlementAddresses.merchantId, merchantId), eq(settlementAddresses.livemode, livemode)));
  const networks = new Set(rows.map((r) => r.network));
  return acceptedDeposits(livemode).filter((d) => networks.has(d.chainNetwork));
}
