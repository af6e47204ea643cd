// Auth.js (next-auth v5) for the dashboard: email + password, JWT sessions carrying the user and
// its merchant. API clients never use this; they authenticate with secret keys (lib/api/auth.ts).
import NextAuth, { CredentialsSignin } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { z } from "zod";
import { clientIp } from "@/lib/api/client-ip";
import { HashingBusyError } from "@/lib/auth/hash-limiter";
import { SignInThrottledError } from "@/lib/auth/throttle";
import { verifyCredentials } from "@/lib/auth/verify-credentials";
import { logger } from "@/lib/log/logger";

declare module "next-auth" {
  interface User { merchantId?: string; sessionEpoch?: string }
  interface Session { merchantId?: string; sessionEpoch?: string }
}

/** Too many attempts from this IP or on this account: wait (lib/auth/throttle.ts). */
export class ThrottledSignin extends CredentialsSignin { code = "throttled"; }
/** Too many password hashes running at once in this process: try again now. */
export class BusySignin extends CredentialsSignin { code = "busy"; }
/** The password was right; the user's second factor (a TOTP code) is needed, or the one sent is wrong. */
export class CodeRequiredSignin extends CredentialsSignin { code = "code_required"; }
export class CodeInvalidSignin extends CredentialsSignin { code = "code_invalid"; }

const credentialsSchema = z.object({
  email: z.string().trim().min(1).max(320),
  password: z.string().min(1).max(1024),
  code: z.string().max(20).optional(),
});

export const { handlers, auth, signIn, signOut } = NextAuth({
  // Self-hosted behind whatever host name or proxy the operator uses; AUTH_SECRET comes from the environment.
  trustHost: true,
  session: { strategy: "jwt", maxAge: 7 * 24 * 3600, updateAge: 24 * 3600 },
  pages: { signIn: "/sign-in", error: "/sign-in" },
  providers: [
    Credentials({
      credentials: { email: { type: "email" }, password: { type: "password" }, code: { type: "text" } },
      async authorize(raw, request) {
        const parsed = credentialsSchema.safeParse(raw);
        if (!parsed.success) return null;
        const user = await verifyCredentials(parsed.data.email, parsed.data.password, clientIp(request.headers), parsed.data.code || undefined).catch((e: unknown) => {
          if (e instanceof SignInThrottledError) throw new ThrottledSignin();
          if (e instanceof HashingBusyError) throw new BusySignin();
          throw e;
        });
        if (!user) return null;
        if ("secondFactor" in user) throw user.secondFactor === "required" ? new CodeRequiredSignin() : new CodeInvalidSignin();
        return { id: user.userId, email: user.email, merchantId: user.merchantId, sessionEpoch: user.sessionEpoch };
      },
    }),
  ],
  callbacks: {
    jwt({ token, user, trigger, session }) {
      if (user?.id) {
        token.userId = user.id;
        token.merchantId = user.merchantId;
        token.sessionEpoch = user.sessionEpoch;
      }
      // the password change hands its own session the new epoch (lib/auth/change-password). Anyone
      // may ask for an update, but only the new random epoch keeps a session working, and only the
      // session that changed the password was told it.
      const epoch = (session as { sessionEpoch?: unknown } | undefined)?.sessionEpoch;
      if (trigger === "update" && typeof epoch === "string") token.sessionEpoch = epoch;
      return token;
    },
    session({ session, token }) {
      if (session.user) session.user.id = typeof token.userId === "string" ? token.userId : "";
      session.merchantId = typeof token.merchantId === "string" ? token.merchantId : undefined;
      // a session from before epochs existed is of the first one
      session.sessionEpoch = typeof token.sessionEpoch === "string" ? token.sessionEpoch : "0";
      return session;
    },
  },
  logger: {
    // A wrong password is an expected outcome, not an error worth a stack trace in the logs.
    error(error) {
      if (error instanceof CredentialsSignin || (error as { type?: string }).type === "CredentialsSignin") return;
      logger.error({ err: error }, "auth error");
    },
    warn(code) { logger.warn({ code }, "auth warning"); },
  },
});
