// Shown on a page whose actions the signed-in user's role may not take (lib/team/roles.ts): the
// reason, once, above the page; the page's disabled buttons point at it (aria-describedby).
export const ROLE_NOTICE_ID = "role-notice";

export function RoleNotice({ reason }: { reason: string | null }) {
  if (!reason) return null;
  return (
    <div id={ROLE_NOTICE_ID} role="note" data-testid="role-notice" className="mb-6 flex gap-2 rounded-lg bg-zinc-100 px-3 py-2.5 text-sm text-zinc-800 ring-1 ring-zinc-300 ring-inset">
      <svg className="mt-0.5 size-4 shrink-0" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path fillRule="evenodd" d="M10 1a4.5 4.5 0 0 0-4.5 4.5V9H5a2 2 0 0 0-2 2v6a2 2 0 0 0 2 2h10a2 2 0 0 0 2-2v-6a2 2 0 0 0-2-2h-.5V5.5A4.5 4.5 0 0 0 10 1Zm3 8V5.5a3 3 0 1 0-6 0V9h6Z" clipRule="evenodd" /></svg>
      <p className="min-w-0">{reason}</p>
    </div>
  );
}
