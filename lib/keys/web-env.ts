// The web process never holds spending keys (DOMAIN.md "Keys"): it derives receiving addresses
// from the public roots in key_roots. Launchers build the web child's environment here.

/** Environment variables that carry spending keys; only the worker receives them. */
export const SPENDING_KEY_VARIABLES = ["TOLLGATE_MNEMONIC"] as const;

/** A copy of env without the spending-key variables, for the web child process. */
export function webProcessEnv(env: Record<string, string | undefined>): Record<string, string | undefined> {
  const out = { ...env };
  for (const name of SPENDING_KEY_VARIABLES) delete out[name];
  return out;
}

/** The spending-key variables set (non-empty) in env. */
export function spendingKeyVariablesIn(env: Record<string, string | undefined>): string[] {
  return SPENDING_KEY_VARIABLES.filter((name) => !!env[name]?.trim());
}
