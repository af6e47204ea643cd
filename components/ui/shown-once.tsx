"use client";
// A secret shown once in a dialog (a new API key, an invitation link): the heading, what it is
// for, the warning that it won't be shown again, the value to copy, and Done.
import type { ReactNode } from "react";
import { Button } from "./button";
import { CopyButton } from "./copy-button";

export function ShownOnce({ titleId, title, description, warning, value, testId, onDone }: {
  /** the dialog's labelledBy */
  titleId: string;
  title: ReactNode;
  description?: ReactNode;
  /** what to do with it; "It won't be shown again." follows */
  warning: ReactNode;
  value: string;
  testId: string;
  onDone: () => void;
}) {
  return (
    <div>
      <h2 id={titleId} className="text-base font-semibold text-zinc-900">{title}</h2>
      {description && <p className="mt-1 text-sm text-zinc-600">{description}</p>}
      <div role="note" className="mt-4 flex gap-2 rounded-lg bg-amber-50 px-3 py-2.5 text-sm text-amber-900 ring-1 ring-amber-200 ring-inset">
        <svg className="mt-0.5 size-4 shrink-0" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path fillRule="evenodd" d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" /></svg>
        <p>{warning} <strong className="font-semibold">It won&apos;t be shown again.</strong></p>
      </div>
      <div className="mt-4 flex items-center gap-2 rounded-lg bg-zinc-950 p-3">
        <code data-testid={testId} className="min-w-0 flex-1 font-mono text-sm break-all text-zinc-100 select-all">{value}</code>
        <CopyButton value={value} />
      </div>
      <div className="mt-6 flex justify-end">
        <Button onClick={onDone} autoFocus>Done</Button>
      </div>
    </div>
  );
}
