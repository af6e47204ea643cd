// What a new password must be: the same rule at sign-up and at a password change.
import { z } from "zod";

export const newPasswordSchema = z.string().min(10, "Use at least 10 characters.").max(200, "Use at most 200 characters.");
