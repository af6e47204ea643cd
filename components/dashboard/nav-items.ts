import type { icons } from "./nav-icons";

/** operatorOnly: shown to the instance's operator only (its pages answer 404 to everyone else) */
export type NavItem = { href: string; label: string; icon: keyof typeof icons; operatorOnly?: boolean };
export type NavGroup = { label: string | null; items: NavItem[] };

export const NAV: NavGroup[] = [
  { label: null, items: [{ href: "/dashboard", label: "Overview", icon: "overview" }] },
  {
    label: "Checkout",
    items: [
      { href: "/dashboard/sessions", label: "Sessions", icon: "sessions" },
      { href: "/dashboard/payments", label: "Payments", icon: "payments" },
      { href: "/dashboard/payment-links", label: "Payment links", icon: "paymentLinks" },
    ],
  },
  {
    label: "Wallets",
    items: [
      { href: "/dashboard/deposit-addresses", label: "Deposit addresses", icon: "depositAddresses" },
      { href: "/dashboard/deposits", label: "Deposits", icon: "deposits" },
      { href: "/dashboard/withdrawals", label: "Withdrawals", icon: "withdrawals" },
      { href: "/dashboard/balances", label: "Balances", icon: "balances" },
    ],
  },
  {
    label: "Developers",
    items: [
      { href: "/dashboard/webhooks", label: "Webhooks", icon: "webhooks" },
      { href: "/dashboard/api-keys", label: "API keys", icon: "apiKeys" },
    ],
  },
  {
    label: "Account",
    items: [
      { href: "/dashboard/settings", label: "Settings", icon: "settings" },
      { href: "/dashboard/team", label: "Team", icon: "team" },
      { href: "/dashboard/invitations", label: "Invitations", icon: "invitations", operatorOnly: true },
    ],
  },
];

export function isActive(pathname: string, href: string): boolean {
  if (href === "/dashboard") return pathname === "/dashboard";
  return pathname === href || pathname.startsWith(`${href}/`);
}
