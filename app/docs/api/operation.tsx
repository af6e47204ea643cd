// One endpoint of the reference: method and path, auth, parameters, request and response fields,
// and the errors it can return with an example envelope.
import type { OpenApiDocument } from "@/lib/openapi/types";
import { DocTable, FieldTable } from "./field-table";
import { AUTH_LABELS, parameterShape, parametersOf, responsesOf, schemaRows, type OperationEntry } from "./model";
import { CodeBlock, MethodBadge, Prose, RequiredBadge, SubHeading } from "./ui";

export function PathText({ path }: { path: string }) {
  return (
    <>
      {path.split(/(\{[^}]+\})/g).map((part, i) =>
        part.startsWith("{") ? <span key={i} className="text-indigo-600">{part}</span> : part,
      )}
    </>
  );
}

function curlExample(method: string, path: string, auth: string): string {
  const lines = [`curl${method === "GET" ? "" : ` -X ${method}`} "$TOLLGATE_URL${path}"`];
  if (auth !== "none") lines.push(`  -H "Authorization: Bearer $TOLLGATE_SECRET_KEY"`);
  if (method === "POST" || method === "PATCH") {
    lines.push(`  -H "Idempotency-Key: $(uuidgen)"`, `  -H "Content-Type: application/json"`, `  -d @body.json`);
  }
  return lines.join(" \\\n");
}

export function OperationView({ doc, entry }: { doc: OpenApiDocument; entry: OperationEntry }) {
  const { op, method, path } = entry;
  const auth = AUTH_LABELS[op["x-tollgate-auth"]] ?? { label: op["x-tollgate-auth"], detail: "" };
  const params = parametersOf(doc, op);
  const responses = responsesOf(doc, op);
  const successes = responses.filter((r) => r.status.startsWith("2"));
  const failures = responses.filter((r) => !r.status.startsWith("2"));
  const errorExample = failures.find((r) => r.status === "404") ?? failures[0];
  const body = op.requestBody?.content["application/json"]?.schema;

  return (
    <article id={entry.anchor} className="scroll-mt-6 border-t border-zinc-200 py-12 first:border-t-0">
      <div className="flex flex-wrap items-center gap-3">
        <MethodBadge method={method} />
        <code className="break-all font-mono text-[15px] font-medium text-zinc-900"><PathText path={path} /></code>
      </div>
      <h3 className="mt-3 text-xl font-semibold tracking-tight text-zinc-900">{op.summary}</h3>
      {op.description && <p className="mt-2 max-w-3xl leading-relaxed text-zinc-700"><Prose text={op.description} /></p>}

      <div className="mt-4 flex flex-wrap items-center gap-x-6 gap-y-2 text-sm">
        <span className="inline-flex items-center gap-2">
          <span className="text-zinc-500">Auth</span>
          <span className={`rounded-full px-2 py-0.5 text-xs font-medium ${op.security.length === 0 ? "bg-zinc-100 text-zinc-700" : "bg-indigo-50 text-indigo-700"}`}>{auth.label}</span>
          <span className="text-zinc-600"><Prose text={auth.detail} /></span>
        </span>
        <span className="text-zinc-500">operationId <code className="font-mono text-zinc-700">{op.operationId}</code></span>
      </div>

      {params.length > 0 && (
        <>
          <SubHeading>Parameters</SubHeading>
          <DocTable headers={["Name", "In", "Type", "Required", "Description"]}>
            {params.map((p) => {
              const sh = parameterShape(doc, p);
              return (
                <tr key={`${p.in}:${p.name}`} className="align-top">
                  <td className="whitespace-nowrap px-3 py-2 font-mono text-[13px] font-semibold text-zinc-900">{p.name}</td>
                  <td className="px-3 py-2 text-xs text-zinc-500">{p.in}</td>
                  <td className="px-3 py-2 font-mono text-[13px] text-indigo-700">{sh.type}</td>
                  <td className="px-3 py-2"><RequiredBadge required={p.required ?? false} /></td>
                  <td className="px-3 py-2 text-zinc-700">
                    <Prose text={sh.description} />
                    {sh.notes.length > 0 && <div className="mt-0.5 space-x-2 text-xs text-zinc-500">{sh.notes.map((n, i) => <Prose key={i} text={n} />)}</div>}
                  </td>
                </tr>
              );
            })}
          </DocTable>
        </>
      )}

      {body && (
        <>
          <SubHeading>Request body <span className="normal-case tracking-normal text-zinc-500">· application/json{op.requestBody?.required ? "" : " · optional"}</span></SubHeading>
          <SchemaView doc={doc} schema={body} empty="No fields: send `{}` or an empty body." />
        </>
      )}

      {successes.map(({ status, response }) => (
        <div key={status}>
          <SubHeading>
            Response <span className="ml-1 rounded bg-emerald-50 px-1.5 py-0.5 font-mono text-emerald-700">{status}</span>
            <span className="normal-case tracking-normal text-zinc-500"> · {Object.keys(response.content ?? {}).join(", ")}</span>
          </SubHeading>
          {response.content?.["application/json"] && <SchemaView doc={doc} schema={response.content["application/json"].schema} />}
        </div>
      ))}

      <SubHeading>Errors</SubHeading>
      <div className="grid gap-4 lg:grid-cols-2">
        <ul className="space-y-1.5 text-sm">
          {failures.map(({ status, response }) => (
            <li key={status} className="flex gap-3">
              <span className="w-10 shrink-0 font-mono font-medium text-rose-700">{status}</span>
              <span className="text-zinc-700"><Prose text={response.description} /></span>
            </li>
          ))}
        </ul>
        {errorExample?.response.content?.["application/json"]?.example !== undefined && (
          <CodeBlock label={`Example ${errorExample.status} response`}>
            {JSON.stringify(errorExample.response.content["application/json"].example, null, 2)}
          </CodeBlock>
        )}
      </div>

      <SubHeading>Example request</SubHeading>
      <CodeBlock>{curlExample(method, path, op["x-tollgate-auth"])}</CodeBlock>
    </article>
  );
}

function SchemaView({ doc, schema, empty }: { doc: OpenApiDocument; schema: Parameters<typeof schemaRows>[1]; empty?: string }) {
  const { type, description, rows } = schemaRows(doc, schema);
  if (rows.length === 0 && type === "object" && empty) return <p className="text-sm text-zinc-600"><Prose text={empty} /></p>;
  return (
    <>
      {(rows.length === 0 || type !== "object") && (
        <p className="mb-2 text-sm text-zinc-600">
          <code className="font-mono text-indigo-700">{type}</code>{description ? <> — <Prose text={description} /></> : null}
        </p>
      )}
      <FieldTable rows={rows} />
    </>
  );
}
