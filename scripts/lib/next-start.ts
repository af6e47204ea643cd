// The one way every launcher (npm run web, npm start, the test stack, the benchmarks) starts the
// production web server, so they all run it with the same options.
import path from "node:path";
import { loadConfig } from "@/lib/config";

export const NEXT_BIN = path.resolve(import.meta.dirname, "../../node_modules/next/dist/bin/next");

/** `next start` arguments (after the node executable); keepAliveMs defaults to the environment's configuration. */
export function nextStartArgs(port: number, opts: { host?: string; keepAliveMs?: number } = {}): string[] {
  const keepAliveMs = opts.keepAliveMs ?? loadConfig(process.env).keepAliveMs;
  return [NEXT_BIN, "start", "-p", String(port), ...(opts.host ? ["-H", opts.host] : []), "--keepAliveTimeout", String(keepAliveMs)];
}
