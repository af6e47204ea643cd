import type { ReactNode } from "react";

export const inputClass =
  "block w-full rounded-lg border-0 bg-white px-3 py-2 text-sm text-zinc-900 shadow-sm ring-1 ring-zinc-300 ring-inset " +
  "placeholder:text-zinc-400 focus:ring-2 focus:ring-indigo-600 focus:outline-none " +
  "aria-[invalid=true]:ring-red-500 aria-[invalid=true]:focus:ring-red-600 disabled:bg-zinc-50 disabled:text-zinc-500";

type Props = {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string;
  /** rendered next to the label, e.g. a "Forgot?" link */
  aside?: ReactNode;
  children: ReactNode;
};

/**
 * Label, control, hint and error for one form field. The control should carry
 * `id={id}`, `aria-invalid` and `aria-describedby={describedBy(id, hint, error)}`.
 */
export function Field({ id, label, hint, error, aside, children }: Props) {
  return (
    <div>
      <div className="flex items-baseline justify-between gap-2">
        <label htmlFor={id} className="block text-sm font-medium text-zinc-800">{label}</label>
        {aside}
      </div>
      <div className="mt-1.5">{children}</div>
      {hint && !error && <p id={`${id}-hint`} className="mt-1.5 text-xs text-zinc-500">{hint}</p>}
      {error && <p id={`${id}-error`} role="alert" className="mt-1.5 text-xs font-medium text-red-600">{error}</p>}
    </div>
  );
}

export function describedBy(id: string, hint: unknown, error: unknown): string | undefined {
  if (error) return `${id}-error`;
  if (hint) return `${id}-hint`;
  return undefined;
}
