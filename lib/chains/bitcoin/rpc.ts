// bitcoind-style JSON-RPC (Bitcoin Core, Litecoin Core, bcoin's node and wallet servers). The URL
// may carry credentials (http://user:pass@host:port/): fetch refuses such URLs, so they are sent as
// a Basic Authorization header and never appear in errors.
export class UtxoRpcError extends Error {
  constructor(readonly method: string, readonly code: number | null, message: string) {
    super(`${method}: ${message}`);
  }
}

export type UtxoRpc = {
  call<T = unknown>(method: string, params?: unknown[]): Promise<T>;
  /** the URL without its credentials (for logs) */
  display: string;
};

export function utxoRpc(url: string, opts: { timeoutMs?: number } = {}): UtxoRpc {
  const u = new URL(url);
  const auth = u.username || u.password
    ? `Basic ${Buffer.from(`${decodeURIComponent(u.username)}:${decodeURIComponent(u.password)}`).toString("base64")}`
    : undefined;
  u.username = "";
  u.password = "";
  const target = u.toString();
  let id = 0;
  return {
    display: target,
    async call<T>(method: string, params: unknown[] = []): Promise<T> {
      let res: Response;
      try {
        res = await fetch(target, {
          method: "POST",
          headers: { "content-type": "application/json", ...(auth ? { authorization: auth } : {}) },
          body: JSON.stringify({ jsonrpc: "1.0", id: ++id, method, params }),
          signal: AbortSignal.timeout(opts.timeoutMs ?? 10_000),
        });
      } catch (e) {
        throw new UtxoRpcError(method, null, `${target} unreachable (${e instanceof Error ? e.message : String(e)})`);
      }
      const text = await res.text();
      let body: { result?: T; error?: { code?: number; message?: string } | null };
      try {
        body = JSON.parse(text) as typeof body;
      } catch {
        throw new UtxoRpcError(method, null, `HTTP ${res.status} from ${target}: ${text.slice(0, 200)}`);
      }
      if (body.error) throw new UtxoRpcError(method, body.error.code ?? null, body.error.message ?? "error");
      return body.result as T;
    },
  };
}
