// GET /checkout/{id}/events – server-sent events for the payer's page: `change` whenever the checkout
// may have changed (its status, a payment seen, confirmed or reverted), so the page refetches the
// session at once instead of on its next poll. The unguessable checkout id is the capability, as
// for the page itself; the stream carries no data beyond the id. A comment every 15 s keeps
// proxies from closing an idle stream.
import { isTerminal } from "@/lib/checkout/state-machine";
import { watchCheckout } from "@/lib/live/checkout-changes";
import { findCheckoutById } from "@/lib/sessions/get-session";

export const dynamic = "force-dynamic";

const HEARTBEAT_MS = 15_000;

export async function GET(request: Request, { params }: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await params;
  const row = await findCheckoutById(id);
  if (!row) return new Response("Not found\n", { status: 404, headers: { "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" } });
  const encoder = new TextEncoder();
  const terminal = isTerminal(row.status);
  // listening before the response goes out: the page's "open" means every later change is pushed
  // (what changed before, the page fetches once when the stream opens)
  let push: (() => void) | null = null;
  let missed = false;
  const watch = terminal ? null : watchCheckout(id, () => (push ? push() : (missed = true)));
  await watch?.ready.catch(() => {});
  let beat: ReturnType<typeof setInterval> | undefined;
  const stop = () => {
    clearInterval(beat);
    watch?.stop();
    push = null;
  };
  request.signal.addEventListener("abort", stop);
  const stream = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (text: string) => {
        try {
          controller.enqueue(encoder.encode(text));
        } catch {
          stop(); // the client went away between two events
        }
      };
      const change = () => send(`event: change\ndata: ${id}\n\n`);
      // the page retries after 2 s when the stream breaks (EventSource reconnects by itself)
      send(`retry: 2000\n: watching ${id}\n\n`);
      if (terminal) {
        // nothing more will change what the page shows: say so once and end
        change();
        controller.close();
        return;
      }
      push = change;
      if (missed) change();
      beat = setInterval(() => send(": ping\n\n"), HEARTBEAT_MS);
      request.signal.addEventListener("abort", () => {
        try {
          controller.close();
        } catch {
          // already closed
        }
      });
    },
    cancel() {
      stop();
    },
  });
  return new Response(stream, {
    headers: {
      "content-type": "text/event-stream; charset=utf-8",
      "cache-control": "no-store, no-transform",
      // nginx and similar proxies would otherwise buffer the stream
      "x-accel-buffering": "no",
    },
  });
}
