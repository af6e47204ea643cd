// Small outline icons for the dashboard navigation (24×24, stroke = currentColor).
import type { ReactNode } from "react";

function Icon({ children }: { children: ReactNode }) {
  return (
    <svg className="size-[18px] shrink-0" viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.7" strokeLinecap="round" strokeLinejoin="round" aria-hidden="true">
      {children}
    </svg>
  );
}

export const icons = {
  overview: <Icon><path d="M3 10.5 12 3l9 7.5" /><path d="M5 9v11h5v-6h4v6h5V9" /></Icon>,
  sessions: <Icon><rect x="3" y="5" width="18" height="14" rx="2" /><path d="M3 10h18M7 15h4" /></Icon>,
  payments: <Icon><circle cx="12" cy="12" r="9" /><path d="M14.5 9.5c-.4-.9-1.4-1.5-2.5-1.5-1.4 0-2.5.8-2.5 2s1.1 1.6 2.5 2 2.5.8 2.5 2-1.1 2-2.5 2c-1.1 0-2.1-.6-2.5-1.5M12 6.5V8M12 16v1.5" /></Icon>,
  paymentLinks: <Icon><path d="M10 14a4 4 0 0 0 5.7 0l3-3a4 4 0 0 0-5.7-5.7l-1 1" /><path d="M14 10a4 4 0 0 0-5.7 0l-3 3a4 4 0 0 0 5.7 5.7l1-1" /></Icon>,
  depositAddresses: <Icon><path d="M4 7V5a1 1 0 0 1 1-1h2M17 4h2a1 1 0 0 1 1 1v2M20 17v2a1 1 0 0 1-1 1h-2M7 20H5a1 1 0 0 1-1-1v-2" /><rect x="8" y="8" width="8" height="8" rx="1" /></Icon>,
  deposits: <Icon><path d="M12 4v11M7.5 10.5 12 15l4.5-4.5" /><path d="M4 19h16" /></Icon>,
  withdrawals: <Icon><path d="M12 15V4M7.5 8.5 12 4l4.5 4.5" /><path d="M4 19h16" /></Icon>,
  balances: <Icon><path d="M4 7h14a2 2 0 0 1 2 2v9a2 2 0 0 1-2 2H6a2 2 0 0 1-2-2V7Z" /><path d="M4 7V6a2 2 0 0 1 2-2h10v3" /><circle cx="16" cy="13.5" r="1.2" /></Icon>,
  webhooks: <Icon><path d="M9 8.5a3 3 0 1 1 4.5 2.6L16 15.5" /><circle cx="17.5" cy="17" r="2.5" /><path d="M8 14.5 5.5 19" /><circle cx="6.5" cy="17" r="2.5" /><path d="M15 17H9" /></Icon>,
  apiKeys: <Icon><circle cx="8" cy="15" r="4" /><path d="m10.8 12.2 8.2-8.2M16 7l2.5 2.5M14 9l1.5 1.5" /></Icon>,
  team: <Icon><circle cx="9" cy="8" r="3" /><path d="M3 19a6 6 0 0 1 12 0" /><path d="M16 5.5a3 3 0 0 1 0 5" /><path d="M18 14a5 5 0 0 1 3 5" /></Icon>,
  invitations: <Icon><path d="M4 6h16v12H4z" /><path d="m4 7 8 6 8-6" /></Icon>,
  settings: <Icon><circle cx="12" cy="12" r="3" /><path d="M12 2.8v2.4M12 18.8v2.4M4.6 4.6l1.7 1.7M17.7 17.7l1.7 1.7M2.8 12h2.4M18.8 12h2.4M4.6 19.4l1.7-1.7M17.7 6.3l1.7-1.7" /></Icon>,
  docs: <Icon><path d="M6 3h9l4 4v14H6z" /><path d="M14 3v5h5M9 12h7M9 16h7" /></Icon>,
  signOut: <Icon><path d="M15 4h3a1 1 0 0 1 1 1v14a1 1 0 0 1-1 1h-3" /><path d="M10 8l-4 4 4 4M6 12h10" /></Icon>,
} as const;
