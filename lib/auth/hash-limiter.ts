// A bound on concurrent password hashing per web process: scrypt takes ~32 MB and a libuv
// thread for ~100 ms, so a burst of sign-ins would otherwise queue without limit (memory, and
// every request waiting behind the burst). A few wait their turn; past that, callers are told
// to try again at once.

export class HashingBusyError extends Error {
  constructor() { super("Too many sign-ins at once; try again in a moment."); }
}

export function createLimiter(concurrency: number, maxWaiting: number) {
  let active = 0;
  const waiting: (() => void)[] = [];
  return async function run<T>(fn: () => Promise<T>): Promise<T> {
    if (active >= concurrency) {
      if (waiting.length >= maxWaiting) throw new HashingBusyError();
      await new Promise<void>((resolve) => waiting.push(resolve));
    } else {
      active++;
    }
    try {
      return await fn();
    } finally {
      // hand the slot straight to the next waiter (active stays the same), or free it
      const next = waiting.shift();
      if (next) next();
      else active--;
    }
  };
}

/** libuv's thread pool has 4 threads: more concurrent hashes only queue inside Node. */
export const limitHashing = createLimiter(4, 16);
