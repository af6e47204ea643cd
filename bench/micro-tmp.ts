import { randomUUID } from "node:crypto";
import { startBenchStack } from "./lib/stack";
import { descendantsCpuSplit } from "./lib/cpu";
// in-process: the POST handler without Next
const stack = await startBenchStack({ log: () => {} });
process.env.LOG_LEVEL = "warn";
const { POST } = await import("@/app/v1/sessions/route");
const { authenticateKey } = await import("@/lib/api-keys/keys");
const body = JSON.stringify({
  destination: { type: "evm", address: "0xd8dA6BF26964aF9D7eEd9e03E53415D37aA96045", chainId: 31337, tokenAddress: "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553", amountUnits: "25" },
  metadata: { orderId: "bench" },
});
async function loop(name: string, n: number, conc: number, fn: () => Promise<unknown>) {
  for (let i = 0; i < 300; i++) await fn();
  const c0 = process.cpuUsage(); const t0 = performance.now(); const d0 = descendantsCpuSplit()!;
  let left = n;
  await Promise.all(Array.from({ length: conc }, async () => { while (left-- > 0) await fn(); }));
  const c = process.cpuUsage(c0); const ms = performance.now() - t0; const d1 = descendantsCpuSplit()!;
  console.log(`${name}: ${(n / ms * 1000).toFixed(0)}/s, node CPU ${((c.user + c.system) / 1000 / n).toFixed(3)} ms/req, pg CPU ${((d1.database - d0.database) * 1000 / n).toFixed(3)} ms/req`);
}
const ctx = { params: Promise.resolve({}) };
await loop("POST handler", Number(process.env.N ?? 5000), 50, async () => {
  const res = await POST(new Request("http://127.0.0.1/v1/sessions", { method: "POST", headers: { authorization: `Bearer ${stack.apiKey}`, "content-type": "application/json", "idempotency-key": randomUUID() }, body }), ctx);
  if (res.status !== 201) throw new Error(String(res.status));
  await res.text();
});
await loop("authenticateKey", 5000, 50, () => authenticateKey(stack.apiKey));
await loop("new Request+text", 5000, 50, async () => { const r = new Request("http://127.0.0.1/v1/sessions", { method: "POST", headers: { authorization: `Bearer x`, "content-type": "application/json" }, body }); await r.text(); });
await stack.stop();
process.exit(0);
