// The settlement policy's shape and bounds (pure: the settings form validates with them).
export type BatchPolicy = { minCents: number; maxWaitMinutes: number };

export const MAX_BATCH_WAIT_MINUTES = 43_200; // 30 days
export const MAX_BATCH_MIN_CENTS = 10_000_000_000; // $100,000,000
