// What a Solana account holds: lamports, or the units of a mint in every token account it owns
// (its associated one and any other). Solana nodes answer at the latest state only: `at` is not
// honoured (solvency reads at one moment instead of one height).
import { ACCOUNT_SIZE, AccountLayout, TOKEN_PROGRAM_ID } from "@solana/spl-token";
import { PublicKey } from "@solana/web3.js";
import type { FamilyBalances } from "../family";
import { solanaConnection } from "./connection";

export const solanaBalances: FamilyBalances = {
  async balanceOf(chain, token, owner) {
    const conn = solanaConnection(chain);
    const key = new PublicKey(owner);
    if (token === null) return BigInt(await conn.getBalance(key, "confirmed"));
    const { value } = await conn.getTokenAccountsByOwner(key, { mint: new PublicKey(token) }, "confirmed");
    return value.reduce((sum, a) => (a.account.owner.equals(TOKEN_PROGRAM_ID) && a.account.data.length === ACCOUNT_SIZE
      ? sum + AccountLayout.decode(a.account.data).amount : sum), 0n);
  },
  head: async (chain) => BigInt(await solanaConnection(chain).getSlot("confirmed")),
};
