// The "create your first session" example of the empty sessions list: a curl command against this
// instance's public URL, with a chain and token this instance really accepts in the mode shown,
// paying out to the merchant's settlement address when one is set.
import { config } from "@/lib/config";
import { enabledEvmChains, evmAssets } from "@/lib/checkout/evm-assets";
import { getMerchantSettings } from "@/lib/merchants/settings";
import { settlementKey } from "@/lib/merchants/settlement-networks";
import { networkLabel } from "./chain-display";

export type CreateSessionExample = {
  command: string;
  /** what the example uses, for the sentence around it */
  networkLabel: string;
  chainId: number;
  tokenSymbol: string;
  tokenAddress: string;
  /** false: the command carries a placeholder the merchant must replace */
  hasDestination: boolean;
};

const PLACEHOLDER = "0xYOUR_WALLET_ADDRESS";

/** null when no EVM network with a token is enabled in this mode. */
export async function createSessionExample(merchantId: string, livemode: boolean): Promise<CreateSessionExample | null> {
  // Prefer a USDC, then any token, on the first enabled chain that has one.
  const candidates = enabledEvmChains(livemode).flatMap((chain) => evmAssets(chain).map((asset) => ({ chain, asset })));
  const pick = candidates.find((c) => c.asset.symbol === "USDC") ?? candidates[0];
  if (!pick || pick.chain.chainId === null) return null;
  const settings = await getMerchantSettings(merchantId);
  const destination = settings?.settlement[settlementKey(pick.chain.network, livemode)];
  const body = {
    destination: {
      type: "evm",
      address: destination ?? PLACEHOLDER,
      chainId: pick.chain.chainId,
      tokenAddress: pick.asset.address,
      amountUnits: "25",
    },
    display: { title: "Order #1042" },
    metadata: { orderId: "1042" },
  };
  const command = [
    `curl -X POST ${config().publicUrl}/v1/sessions \\`,
    `  -H "Authorization: Bearer ${livemode ? "sk_live" : "sk_test"}_…" \\`,
    `  -H "Content-Type: application/json" \\`,
    `  -d '${JSON.stringify(body, null, 2).replace(/\n/g, "\n  ")}'`,
  ].join("\n");
  return {
    command,
    networkLabel: networkLabel(pick.chain.network, livemode),
    chainId: pick.chain.chainId,
    tokenSymbol: pick.asset.symbol,
    tokenAddress: pick.asset.address,
    hasDestination: destination !== undefined,
  };
}
