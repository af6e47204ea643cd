"use client";
// Network and currency: two native selects (the most usable control on phones and with keyboards).
import type { ReactNode } from "react";
import { useI18n } from "@/lib/i18n/react";
import { choiceKey, type TokenChoice } from "./types";
import { useHydrated } from "./use-hydrated";

export const selectClass =
  "block w-full appearance-none rounded-lg bg-white py-2 pr-8 pl-3 text-sm font-medium text-zinc-900 shadow-xs ring-1 ring-zinc-300 ring-inset " +
  "hover:ring-zinc-400 focus-visible:outline-2 focus-visible:outline-offset-1 focus-visible:outline-[var(--accent)] disabled:opacity-60";

export function Chevron() {
  return (
    <svg className="pointer-events-none absolute top-1/2 right-2.5 size-4 -translate-y-1/2 text-zinc-400" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true">
      <path fillRule="evenodd" d="M5.22 8.22a.75.75 0 0 1 1.06 0L10 11.94l3.72-3.72a.75.75 0 1 1 1.06 1.06l-4.25 4.25a.75.75 0 0 1-1.06 0L5.22 9.28a.75.75 0 0 1 0-1.06Z" clipRule="evenodd" />
    </svg>
  );
}

/** A labelled native select with the chevron, as the checkout's pickers use it. */
export function SelectField({ id, label, value, disabled, onChange, children }: {
  id: string; label: string; value: string | number; disabled?: boolean; onChange: (value: string) => void; children: ReactNode;
}) {
  return (
    <div className="min-w-0">
      <label htmlFor={id} className="mb-1 block text-xs font-medium text-zinc-600">{label}</label>
      <div className="relative">
        <select id={id} className={selectClass} value={value} disabled={disabled} onChange={(e) => onChange(e.target.value)}>
          {children}
        </select>
        <Chevron />
      </div>
    </div>
  );
}

type Props = { choices: TokenChoice[]; selected: TokenChoice; onSelect: (key: string) => void; disabled?: boolean };

export function TokenPicker({ choices, selected, onSelect, disabled }: Props) {
  const { t } = useI18n();
  const hydrated = useHydrated();
  const off = disabled || !hydrated;
  const chains = [...new Map(choices.map((c) => [c.chainId, c])).values()];
  const tokens = choices.filter((c) => c.chainId === selected.chainId);

  function pickChain(chainId: number) {
    const onChain = choices.filter((c) => c.chainId === chainId);
    // keep the currency when the new network has it
    const next = onChain.find((c) => c.label === selected.label) ?? onChain.find((c) => c.symbol === selected.symbol) ?? onChain[0];
    if (next) onSelect(choiceKey(next));
  }

  return (
    <fieldset>
      <legend className="sr-only">{t("checkout.payWith")}</legend>
      <div className="grid grid-cols-2 gap-3">
        <SelectField id="checkout-network" label={t("checkout.network")} value={selected.chainId} disabled={off} onChange={(v) => pickChain(Number(v))}>
          {chains.map((c) => <option key={c.chainId} value={c.chainId}>{c.networkName}</option>)}
        </SelectField>
        <SelectField id="checkout-currency" label={t("checkout.currency")} value={choiceKey(selected)} disabled={off} onChange={onSelect}>
          {tokens.map((c) => <option key={choiceKey(c)} value={choiceKey(c)}>{c.label}</option>)}
        </SelectField>
      </div>
    </fieldset>
  );
}
