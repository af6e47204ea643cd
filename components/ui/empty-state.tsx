import type { ReactNode } from "react";

type Props = { title?: string; description: ReactNode; icon?: ReactNode; action?: ReactNode };

export function EmptyState({ title = "Nothing here yet", description, icon, action }: Props) {
  return (
    <div className="rounded-xl border border-dashed border-zinc-300 bg-white px-6 py-14 text-center">
      {icon && <div className="mx-auto mb-3 flex size-10 items-center justify-center rounded-full bg-zinc-100 text-zinc-500">{icon}</div>}
      <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
      <p className="mx-auto mt-1 max-w-md text-sm text-zinc-500">{description}</p>
      {action && <div className="mt-5">{action}</div>}
    </div>
  );
}
