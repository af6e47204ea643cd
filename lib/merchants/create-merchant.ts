// A merchant account with its first dashboard user, in one transaction.
import { sql } from "drizzle-orm";
import { merchants, users } from "@/db/schema";
import { hashPassword } from "@/lib/auth/password";
import { db } from "@/lib/db/client";
import { pgError, UNIQUE_VIOLATION } from "@/lib/db/errors";

export class EmailTakenError extends Error {
  constructor() { super("An account with this email already exists."); }
}

export type NewMerchant = { merchantId: string; userId: string };

export async function createMerchant(input: { name: string; email: string; password: string }): Promise<NewMerchant> {
  const passwordHash = await hashPassword(input.password);
  return db().transaction(async (tx) => {
    const taken = await tx.select({ id: users.id }).from(users).where(sql`lower(${users.email}) = lower(${input.email})`).limit(1);
    if (taken.length) throw new EmailTakenError();
    const [m] = await tx.insert(merchants).values({ name: input.name.trim() }).returning({ id: merchants.id });
    try {
      const [u] = await tx.insert(users).values({ merchantId: m.id, email: input.email.trim(), passwordHash }).returning({ id: users.id });
      return { merchantId: m.id, userId: u.id };
    } catch (e) {
      // a concurrent sign-up with the same email lost the race on the unique index
      if (pgError(e)?.code === UNIQUE_VIOLATION) throw new EmailTakenError();
      throw e;
    }
  });
}
