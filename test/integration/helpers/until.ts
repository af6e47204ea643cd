// Polls `read` until `ok` holds, then returns what it read; fails with the last value after `timeoutMs`.
export async function until<T>(what: string, read: () => Promise<T>, ok: (v: T) => boolean, timeoutMs = 90_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await read();
    if (ok(v)) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(v, (_k, x) => typeof x === "bigint" ? x.toString() : x)}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
