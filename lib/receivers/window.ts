/** How long a checkout's receiver stays watched after the checkout expires (DOMAIN.md "Late payment"). */
export const MONITORING_WINDOW_MS = 24 * 60 * 60 * 1000;

/** The end of a checkout's monitoring window. */
export function watchUntilFor(expiresAt: Date): Date {
  return new Date(expiresAt.getTime() + MONITORING_WINDOW_MS);
}
