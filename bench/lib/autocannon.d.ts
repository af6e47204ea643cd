// Minimal types for the parts of autocannon@8's programmatic API the benches use (it ships none).
declare module "autocannon" {
  type Histogram = {
    average: number; mean: number; stddev: number; min: number; max: number; total: number; sent?: number;
    p50: number; p90: number; p97_5: number; p99: number; p99_9: number;
  };
  type RawRequest = { method?: string; path?: string; headers?: Record<string, string>; body?: string | Buffer };
  type RequestSpec = RawRequest & { setupRequest?: (req: RawRequest, context: Record<string, unknown>) => RawRequest };
  type Options = {
    url: string;
    connections?: number;
    duration?: number;
    timeout?: number;
    method?: string;
    headers?: Record<string, string>;
    body?: string;
    requests?: RequestSpec[];
    title?: string;
  };
  export type Result = {
    title?: string;
    requests: Histogram;
    latency: Histogram;
    throughput: Histogram;
    duration: number;
    errors: number;
    timeouts: number;
    non2xx: number;
    statusCodeStats: Record<string, { count: number }>;
  };
  type Instance = Promise<Result> & { stop: () => void };
  function autocannon(opts: Options): Instance;
  export default autocannon;
}
