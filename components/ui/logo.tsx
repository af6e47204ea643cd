export function Logo({ className = "" }: { className?: string }) {
  return (
    <span className={`inline-flex items-center gap-2 font-semibold tracking-tight text-zinc-900 ${className}`}>
      <span className="flex size-7 items-center justify-center rounded-lg bg-indigo-600 text-white shadow-sm" aria-hidden="true">
        <svg className="size-4" viewBox="0 0 20 20" fill="none" stroke="currentColor" strokeWidth="2" strokeLinecap="round">
          <path d="M3 8h14M6 8v8M14 8v8M3 16h14M10 3l7 5H3l7-5Z" />
        </svg>
      </span>
      Tollgate
    </span>
  );
}
