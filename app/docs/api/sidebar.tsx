// The left-hand navigation: the introduction's sections, then every tag and its operations.
import type { TagGroup } from "./model";
import { MethodBadge } from "./ui";

export const INTRO_SECTIONS = [
  { id: "authentication", title: "Authentication" },
  { id: "errors", title: "Errors" },
  { id: "idempotency", title: "Idempotency" },
  { id: "amounts", title: "Amounts and times" },
  { id: "pagination", title: "Pagination" },
  { id: "request-ids", title: "Request IDs" },
];

export function Sidebar({ groups }: { groups: TagGroup[] }) {
  return (
    <nav aria-label="API reference" className="sticky top-0 hidden h-screen w-72 shrink-0 overflow-y-auto border-r border-zinc-200 bg-white px-5 py-8 lg:block">
      <a href="#top" className="block text-lg font-semibold tracking-tight text-zinc-900">Tollgate API</a>
      <a href="/v1/openapi.json" className="mt-1 inline-block text-xs font-medium text-indigo-600 hover:text-indigo-800">openapi.json ↗</a>

      <p className="mb-2 mt-8 text-xs font-semibold uppercase tracking-wider text-zinc-500">Introduction</p>
      <ul className="space-y-1 text-sm">
        {INTRO_SECTIONS.map((s) => (
          <li key={s.id}><a href={`#${s.id}`} className="block rounded px-2 py-1 text-zinc-600 hover:bg-zinc-100 hover:text-zinc-900">{s.title}</a></li>
        ))}
      </ul>

      {groups.map((g) => (
        <div key={g.name} className="mt-6">
          <a href={`#${g.anchor}`} className="mb-2 block text-xs font-semibold uppercase tracking-wider text-zinc-500 hover:text-zinc-700">{g.name}</a>
          <ul className="space-y-0.5 text-sm">
            {g.operations.map((o) => (
              <li key={o.anchor}>
                <a href={`#${o.anchor}`} className="flex items-center gap-2 rounded px-2 py-1 text-zinc-700 hover:bg-zinc-100 hover:text-zinc-900">
                  <MethodBadge method={o.method} small />
                  <span className="truncate">{o.op.summary}</span>
                </a>
              </li>
            ))}
          </ul>
        </div>
      ))}
    </nav>
  );
}
