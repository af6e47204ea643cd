// /docs/api – the API reference, rendered on the server from the generated OpenAPI document.
// No client JavaScript and no external assets: many deployments are offline.
import type { Metadata } from "next";
import { endpoints, TAG_DESCRIPTIONS } from "@/lib/openapi/endpoints";
import { generateOpenApi } from "@/lib/openapi/generate";
import { Intro } from "./intro";
import { groupByTag } from "./model";
import { OperationView } from "./operation";
import { Sidebar } from "./sidebar";
import { Prose } from "./ui";

export const metadata: Metadata = {
  title: "API reference",
  description: "Tollgate HTTP API: authentication, errors, idempotency and every endpoint.",
};

export default function ApiReferencePage() {
  // Relative server URL: the page is prerendered at build time and served from any origin.
  const doc = generateOpenApi(endpoints, { serverUrl: "/", tagDescriptions: TAG_DESCRIPTIONS });
  const groups = groupByTag(doc);
  return (
    <div className="flex min-h-screen bg-zinc-50">
      <Sidebar groups={groups} />
      <main className="min-w-0 flex-1 px-6 py-10 sm:px-10 lg:px-14">
        <div className="mx-auto max-w-5xl">
          <Intro doc={doc} />
          {groups.map((g) => (
            <section key={g.name} id={g.anchor} className="scroll-mt-6 border-t-2 border-zinc-300 pt-10">
              <h2 className="text-2xl font-semibold tracking-tight text-zinc-900">{g.name}</h2>
              {g.description && <p className="mt-2 max-w-3xl text-zinc-600"><Prose text={g.description} /></p>}
              {g.operations.map((o) => <OperationView key={o.anchor} doc={doc} entry={o} />)}
            </section>
          ))}
        </div>
      </main>
    </div>
  );
}
