// Seed 001's TON service withdrawals: POST /v1/withdrawal/service/ton {from} sweeps a deposit
// wallet's TON, /service/jetton {owner, jetton_master} its jetton (the jetton wallet computed from
// the owner and the master) into the hot wallet. Both are the generic sweep (lib/withdrawals/request,
// paid by ./withdrawals) once the TON forms are read: any form of the address (raw, bounceable or
// not) names the deposit address as it is stored, and the master names one of the network's
// accepted jettons.
import { NETWORKS } from "@/lib/config/networks";
import { chainFor } from "@/lib/config";
import { errors } from "@/lib/api/errors";
import { requestSweep } from "@/lib/withdrawals/request";
import type { WithdrawalRow } from "@/lib/withdrawals/serialize";
import { tonAddressProblem, tonFriendly, tonKey } from "./address";

type Owner = { merchantId: string; livemode: boolean };

/** A TON address as deposit addresses are stored (non-bounceable, test-only in test mode); 400 when it is not one. */
function storedForm(input: string, field: string, livemode: boolean): string {
  const s = input.trim();
  const problem = tonAddressProblem(s);
  if (problem) throw errors.validation(problem, field, "invalid_address");
  return tonFriendly(s, { testOnly: !livemode });
}

export function requestTonSweep(owner: Owner, from: string): Promise<WithdrawalRow> {
  const stored = storedForm(from, "from", owner.livemode);
  const network = NETWORKS.find((n) => n.family === "ton")!;
  const native = network.assets.find((a) => a.contract === null)!;
  return requestSweep(owner, stored, native.code);
}

export function requestJettonSweep(owner: Owner, ownerAddress: string, jettonMaster: string): Promise<WithdrawalRow> {
  const stored = storedForm(ownerAddress, "owner", owner.livemode);
  const problem = tonAddressProblem(jettonMaster.trim());
  if (problem) throw errors.validation(problem, "jetton_master", "invalid_address");
  const master = tonKey(jettonMaster.trim());
  for (const network of NETWORKS.filter((n) => n.family === "ton")) {
    const chain = chainFor(network.name, owner.livemode);
    if (!chain?.enabled) continue;
    for (const [code, contract] of Object.entries(chain.assets)) {
      if (contract && tonAddressProblem(contract) === null && tonKey(contract) === master) return requestSweep(owner, stored, code);
    }
  }
  throw errors.validation(`${jettonMaster.trim()} is not the master of a jetton enabled in ${owner.livemode ? "live" : "test"} mode on this instance; see GET /v1/currencies.`,
    "jetton_master", "currency_not_enabled");
}
