// What a TON account holds: nanotons, or the units of a jetton in its jetton wallet (the
// master's get_wallet_address(owner); none deployed = 0). toncenter answers at the latest state:
// `at` is not honoured. Also the account's state as seed 001's GET /v1/balance reports it.
import { Address } from "@ton/core";
import type { FamilyBalances } from "../family";
import { jettonWalletOf, tonApi } from "./client";
import { parseTonAddress } from "./address";

export const tonBalances: FamilyBalances = {
  async balanceOf(chain, token, owner) {
    const { client } = tonApi(chain);
    const address = parseTonAddress(owner).address;
    if (token === null) return client.getBalance(address);
    const wallet = await jettonWalletOf(chain, Address.parse(token), address);
    const state = await client.getContractState(wallet);
    if (state.state !== "active") return 0n;
    return (await client.runMethod(wallet, "get_wallet_data")).stack.readBigNumber();
  },
  head: async (chain) => BigInt((await tonApi(chain).client.getMasterchainInfo()).latestSeqno),
  async accountStatus(chain, owner) {
    const s = await tonApi(chain).client.getContractState(parseTonAddress(owner).address);
    if (s.state === "active") return "active";
    if (s.state === "frozen") return "frozen";
    // never touched: no transaction and nothing held
    return s.lastTransaction === null && s.balance === 0n ? "non_exist" : "uninit";
  },
};
