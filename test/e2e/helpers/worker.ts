// The stack's worker from a test's side. holdForwarding takes a network's forwarding lease, as a
// second worker in the middle of a pass would: the stack's worker skips its forwarding passes
// there until release, so a paid session stays in `processing` long enough to be looked at.
import type { ChainConfig } from "@/lib/config";
import { forwardingLease } from "@/lib/forwarding/tick";
import { Leases } from "@/lib/worker/leases";
import type { DevnetName } from "./stack";

export async function holdForwarding(network: DevnetName): Promise<{ release: () => Promise<void> }> {
  const name = forwardingLease({ key: `${network}:test` } as ChainConfig); // test-mode networks are "<name>:test"
  const leases = new Leases();
  const deadline = Date.now() + 20_000;
  // the worker may be in a pass right now: its lease ends with it
  while (!(await leases.tryAcquire(name))) {
    if (Date.now() > deadline) {
      await leases.close();
      throw new Error(`could not take ${name}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { release: () => leases.close() };
}
