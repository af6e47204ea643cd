// What the log keeps of a failed request: method, path, request id and the NAMES of the query
// parameters — never their values or the body. The error is cut down the same way: a failed
// query's message lists its bound parameters (secrets generated for the row among them), and a
// PostgreSQL error's detail quotes values; both are dropped.
type Loggable = { type: string; message: string; code?: string; stack?: string; cause?: Loggable };

function withoutValues(text: string): string {
  return text.split(/\nparams:/)[0];
}

export function redactedError(e: unknown, depth = 0): Loggable {
  if (!(e instanceof Error)) return { type: typeof e, message: "non-Error thrown" };
  const code = (e as { code?: unknown }).code;
  const out: Loggable = {
    type: e.name,
    message: withoutValues(e.message),
    ...(typeof code === "string" ? { code } : {}),
    ...(e.stack ? { stack: withoutValues(e.stack) } : {}),
  };
  if (e.cause !== undefined && depth < 3) out.cause = redactedError(e.cause, depth + 1);
  return out;
}

export function failedRequestFields(req: Request, url: URL, e: unknown) {
  return {
    method: req.method,
    path: url.pathname,
    queryParams: [...new Set(url.searchParams.keys())],
    err: redactedError(e),
  };
}
