// Which outbound targets (webhook endpoints, seed 002 callback_url) may be private, loopback or
// link-local: only a test-mode object on an instance running in test mode (TOLLGATE_MODE=test),
// so local development works. On a live instance never, whatever the key: every merchant can
// make test keys, and a test key must not reach the operator's network. Checked when a target is
// set and again at every delivery, on the addresses actually connected to (send.ts).
import { config } from "@/lib/config";

export type InstanceMode = "test" | "live";

export function privateTargetsAllowed(livemode: boolean, instanceMode: InstanceMode = config().mode): boolean {
  return instanceMode === "test" && !livemode;
}
