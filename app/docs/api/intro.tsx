// The conventions every endpoint shares (API.md "Conventions"), ahead of the endpoint reference.
import type { ReactNode } from "react";
import type { OpenApiDocument } from "@/lib/openapi/types";
import { CodeBlock } from "./ui";

function Section({ id, title, children }: { id: string; title: string; children: ReactNode }) {
  return (
    <section id={id} className="scroll-mt-6 border-t border-zinc-200 py-8">
      <h2 className="text-lg font-semibold tracking-tight text-zinc-900">{title}</h2>
      <div className="mt-3 max-w-3xl space-y-3 leading-relaxed text-zinc-700">{children}</div>
    </section>
  );
}

const C = ({ children }: { children: ReactNode }) => (
  <code className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800">{children}</code>
);

const ERROR_TYPES: Array<[string, string, string]> = [
  ["validation_error", "400", "a missing, unknown or invalid parameter; a body that is not JSON"],
  ["authentication_error", "401", "no key where one is required, or an invalid or revoked key"],
  ["invalid_request_error", "404 · 409 · 422", "not found (also another merchant's or mode's objects), a conflict, or a request that cannot be processed"],
  ["rate_limit_error", "429", "too many requests for this key; honour Retry-After"],
  ["api_error", "500", "a server-side failure, logged under the Request-Id"],
];

export function Intro({ doc }: { doc: OpenApiDocument }) {
  const example = doc.components.responses.BadRequest?.content?.["application/json"]?.example;
  return (
    <>
      <header id="top" className="pb-8">
        <p className="text-sm font-medium text-indigo-600">API reference · {doc.info.version}</p>
        <h1 className="mt-2 text-3xl font-semibold tracking-tight text-zinc-900">{doc.info.title}</h1>
        <p className="mt-3 max-w-3xl text-lg leading-relaxed text-zinc-600">Self-hosted crypto checkout. JSON in and out, one error envelope, idempotent writes and amounts as exact decimal strings.</p>
        <div className="mt-5 flex flex-wrap gap-3 text-sm">
          <a href="/v1/openapi.json" className="rounded-md bg-zinc-900 px-3 py-1.5 font-medium text-white hover:bg-zinc-700">Download OpenAPI 3.1 (JSON)</a>
          <span className="self-center text-zinc-500">Generated from the same zod schemas that validate every request.</span>
        </div>
      </header>

      <Section id="authentication" title="Authentication">
        <p>
          Authenticate with a secret API key: <C>Authorization: Bearer sk_test_…</C>. For existing integrations the same key is also
          accepted in the <C>x-api-key</C>, <C>FRX-API</C> and <C>Api-key</C> headers. Keys look like <C>sk_test_…</C> or <C>sk_live_…</C>;
          only a hash is stored, so a key is shown once, when it is created in the dashboard.
        </p>
        <p>
          Every object belongs to one merchant and one mode. A key sees only its merchant&apos;s objects in its own mode; anything else is a
          404, never a 403. The hosted checkout uses a per-session <C>clientSecret</C> instead (in the body or query), which can only read that
          session&apos;s public view, choose a payment method and ask for a check.
        </p>
        <CodeBlock>{`curl "$TOLLGATE_URL/v1/currencies" \\\n  -H "Authorization: Bearer $TOLLGATE_SECRET_KEY"`}</CodeBlock>
      </Section>

      <Section id="errors" title="Errors">
        <p>Errors are an HTTP status plus one JSON envelope — never a stack trace, never an HTML page. Match on <C>type</C> and <C>code</C>; <C>param</C> names the offending field.</p>
        <p>The seed dialects answer in their documents&apos; shapes, with the same status and <C>code</C>: seed 001 paths (<C>/v1/address</C>, <C>/v1/income</C>, <C>/v1/deposit</C>, <C>/v1/withdrawal</C>, <C>/v1/balance</C>, <C>/v1/system/sync</C>, <C>/v1/resolve</C>) as <C>{`{"error": "<message>", "code": "…", "param": …}`}</C>, seed 002 paths (<C>/v2/…</C>) as <C>{`{"status": "error", "message": "<message>", "code": "…"}`}</C>.</p>
        {example !== undefined && <CodeBlock label="400 Bad Request">{JSON.stringify(example, null, 2)}</CodeBlock>}
        <div tabIndex={0} className="overflow-x-auto rounded-lg border border-zinc-200 bg-white focus-visible:outline-2 focus-visible:outline-indigo-600">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-zinc-200 bg-zinc-50 text-xs text-zinc-500">
              <tr><th className="px-3 py-2 font-medium">type</th><th className="px-3 py-2 font-medium">Status</th><th className="px-3 py-2 font-medium">When</th></tr>
            </thead>
            <tbody className="divide-y divide-zinc-100">
              {ERROR_TYPES.map(([type, status, when]) => (
                <tr key={type}>
                  <td className="px-3 py-2 font-mono text-[13px] text-zinc-900">{type}</td>
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-[13px] text-rose-700">{status}</td>
                  <td className="px-3 py-2">{when}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </Section>

      <Section id="idempotency" title="Idempotency">
        <p>
          Every <C>POST</C> and <C>PATCH</C> accepts an <C>Idempotency-Key</C> header (1–255 characters; a UUID is a good choice). Retrying with the
          same key and the same body within 24 hours replays the first response byte-for-byte, status included, with
          <C>Idempotent-Replayed: true</C>. The same key with a different body is a 409 with code <C>idempotency_error</C>. Concurrent
          duplicates never both execute.
        </p>
      </Section>

      <Section id="amounts" title="Amounts and times">
        <p>
          Amounts are exact decimal strings in whole units of the asset — <C>&quot;12.5&quot;</C>, <C>&quot;0.000001&quot;</C> — never JSON numbers.
          More fractional digits than the asset has is a 400. The deposit, withdrawal and balance endpoints (seed 001 dialect) use integer
          base-unit strings instead (wei, sun, lamports…).
        </p>
        <p>Times are unix seconds (integers) unless an endpoint&apos;s dialect documents otherwise.</p>
      </Section>

      <Section id="pagination" title="Pagination">
        <p>
          Lists take <C>limit</C> (1–100, default 20) and a cursor <C>startingAfter=&lt;id&gt;</C>, the id of the last object you received, and
          answer <C>{"{ data: [...], hasMore }"}</C>. Endpoints in a seed dialect keep that dialect&apos;s own <C>limit</C>/<C>offset</C> or
          <C>limit</C>/<C>page</C> parameters.
        </p>
      </Section>

      <Section id="request-ids" title="Request IDs">
        <p>Every response carries a <C>Request-Id</C> header (<C>req_…</C>); the server&apos;s logs carry the same id. Quote it when reporting a problem.</p>
      </Section>
    </>
  );
}
