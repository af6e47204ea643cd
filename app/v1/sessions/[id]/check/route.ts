// PUT /v1/sessions/{id}/check – look at the payer's transaction (or the deposits seen) now
import { errors } from "@/lib/api/errors";
import { SolanaWatcher } from "@/lib/chains/solana/watcher";
import { chainFor } from "@/lib/config";
import { handle, methods } from "@/lib/api/route";
import { checkCheckout } from "@/lib/deposits/check-transaction";
import { resolveSessionClientSecret } from "@/lib/sessions/client-secret";
import { findSession } from "@/lib/sessions/get-session";
import { sessionView } from "@/lib/sessions/serialize";
import { db } from "@/lib/db/client";
import { checkSession } from "./check.types";

export const { GET, POST, PUT, PATCH, DELETE } = methods({
  PUT: handle(checkSession, async ({ principal, params, body, log }) => {
    const row = await findSession(db(), principal, params.id);
    if (!row) throw errors.notFound("session", "id");
    const solana = chainFor("solana", row.livemode);
    if (solana?.enabled) {
      // the session's Solana references, if it has any (a signature in txHash is one of theirs, or nothing of ours)
      await new SolanaWatcher(solana).checkCheckout(row.id)
        .catch((err: unknown) => log.warn({ sessionId: row.id, err: err instanceof Error ? err.message : String(err) }, "check: Solana did not answer"));
    }
    const evmHash = body.txHash?.startsWith("0x") ? (body.txHash.toLowerCase() as `0x${string}`) : undefined;
    const after = await checkCheckout(row, evmHash);
    if (after.status !== row.status) log.info({ sessionId: row.id, from: row.status, to: after.status }, "session checked");
    // with its deposits, like every other session response (paidUnits, remainingUnits, paymentMethod.source)
    return { body: { session: await sessionView(db(), after, principal.kind === "key" ? "full" : "public") } };
  }, { resolveClientSecret: resolveSessionClientSecret }),
});
