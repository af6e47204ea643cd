// The server side of the permission table (lib/team/roles.ts): every dashboard server action that
// changes something starts with authorize(permission). The role is the user's row as of this
// request (lib/auth/session.ts), so a role changed a moment ago already counts.
import "server-only";
import { requireMerchant, type MerchantSession } from "@/lib/auth/session";
import { logger } from "@/lib/log/logger";
import { refusal, type Permission } from "@/lib/team/roles";

export type Authorized = { ok: true; me: MerchantSession } | { ok: false; error: string; me: MerchantSession };

/** The signed-in user when its role allows `permission`; else the message to show (nothing is done). */
export async function authorize(permission: Permission): Promise<Authorized> {
  const me = await requireMerchant();
  const error = refusal(me.role, permission);
  if (error) {
    logger.info({ userId: me.userId, merchantId: me.merchantId, role: me.role, permission }, "dashboard action refused by role");
    return { ok: false, error, me };
  }
  return { ok: true, me };
}
