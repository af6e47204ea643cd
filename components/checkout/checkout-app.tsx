"use client";
// The hosted checkout's client root.
import type { Locale } from "@/lib/i18n";
import { CheckoutView } from "./checkout-view";
import { PayerShell } from "./frame";
import type { CheckoutProps } from "./types";

export function CheckoutApp(props: CheckoutProps & { initialLocale: Locale }) {
  return (
    <PayerShell accentColor={props.merchant.accentColor} initialLocale={props.initialLocale}>
      <CheckoutView {...props} />
    </PayerShell>
  );
}
