// Small presentational pieces shared by the API reference.
import type { ReactNode } from "react";

const METHOD_STYLES: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-800 ring-emerald-600/20",
  POST: "bg-sky-100 text-sky-800 ring-sky-600/20",
  PUT: "bg-violet-100 text-violet-800 ring-violet-600/20",
  PATCH: "bg-amber-100 text-amber-800 ring-amber-600/20",
  DELETE: "bg-rose-100 text-rose-800 ring-rose-600/20",
};

export function MethodBadge({ method, small = false }: { method: string; small?: boolean }) {
  const size = small ? "w-12 text-[10px] py-0.5" : "px-2 py-1 text-xs";
  return (
    <span className={`inline-flex shrink-0 justify-center rounded font-mono font-semibold ring-1 ring-inset ${size} ${METHOD_STYLES[method] ?? "bg-zinc-100 text-zinc-700 ring-zinc-500/20"}`}>
      {method}
    </span>
  );
}

/** Text with `backtick` spans rendered as inline code (the descriptions in the schemas use them). */
export function Prose({ text, className = "" }: { text?: string; className?: string }) {
  if (!text) return null;
  const parts = text.split(/(`[^`]+`)/g);
  return (
    <span className={className}>
      {parts.map((p, i) =>
        p.startsWith("`") && p.endsWith("`") && p.length > 1
          ? <code key={i} className="rounded bg-zinc-100 px-1 py-0.5 font-mono text-[0.85em] text-zinc-800">{p.slice(1, -1)}</code>
          : p,
      )}
    </span>
  );
}

export function CodeBlock({ children, label }: { children: string; label?: string }) {
  return (
    <div className="overflow-hidden rounded-lg border border-zinc-800 bg-zinc-950">
      {label && <div className="border-b border-zinc-800 px-4 py-1.5 text-xs font-medium text-zinc-400">{label}</div>}
      <pre tabIndex={0} className="overflow-x-auto p-4 focus-visible:outline-2 focus-visible:outline-indigo-400 font-mono text-[13px] leading-relaxed text-zinc-100">{children}</pre>
    </div>
  );
}

export function SubHeading({ children }: { children: ReactNode }) {
  return <h4 className="mb-2 mt-6 text-xs font-semibold uppercase tracking-wider text-zinc-500">{children}</h4>;
}

export function RequiredBadge({ required }: { required: boolean }) {
  return required
    ? <span className="text-[11px] font-medium text-rose-700">required</span>
    : <span className="text-[11px] text-zinc-500">optional</span>;
}
