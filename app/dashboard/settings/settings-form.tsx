"use client";
import { useState } from "react";
import { ModeBadge } from "@/components/ui/badge";
import { Button } from "@/components/ui/button";
import { describedBy, Field, inputClass } from "@/components/ui/field";
import { FormError } from "@/components/ui/alert";
import { Toast } from "@/components/ui/toast";
import { useActionForm } from "@/components/ui/use-action-form";
import { saveSettingsAction, type SettingsState } from "./actions";

type Values = {
  name: string;
  logoUrl: string;
  accentColor: string;
  expiryMinutes: string;
  tolerancePercent: string;
  embedOrigins: string;
  settlement: Record<string, string>;
  /** networks settled in batches: threshold in dollars, longest wait in minutes */
  batch: Record<string, { min: string; wait: string }>;
  reuseAddresses: boolean;
  /** days after a checkout's expiry its address may be taken over (lib/receivers/reuse) */
  reuseAfterDays: number;
};
/** One settlement field; `placeholder` comes from the network family (lib/chains/registry), on the server. */
type Target = { key: string; displayName: string; livemode: boolean; enabled: boolean; placeholder: string; batchable: boolean };

/** How a network's payments are settled: each at once, or in batches (lib/settlement/policy). */
function BatchPolicyFields({ t, initial, errors }: { t: Target; initial?: { min: string; wait: string }; errors: Record<string, string> }) {
  const [mode, setMode] = useState(initial ? "batch" : "instant");
  const id = `batch.${t.key}`;
  const minError = errors[`batch.${t.key}.min`], waitError = errors[`batch.${t.key}.wait`];
  return (
    <div className="mt-2 flex flex-wrap items-end gap-3 text-sm" data-testid={`batch-${t.key}`}>
      <label className="flex flex-col gap-1">
        <span className="text-xs text-zinc-600">Settle</span>
        <select name={`${id}.mode`} value={mode} onChange={(e) => setMode(e.target.value)} className={`${inputClass} w-auto`}
          aria-label={`${t.displayName} ${t.livemode ? "live" : "test"}: settle each payment at once or in batches`}>
          <option value="instant">each payment at once</option>
          <option value="batch">in batches</option>
        </select>
      </label>
      {mode === "batch" && (
        <>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-zinc-600">when waiting reaches ($)</span>
            <input name={`${id}.min`} defaultValue={initial?.min ?? "100"} inputMode="decimal" className={`${inputClass} w-28`} aria-invalid={!!minError} />
          </label>
          <label className="flex flex-col gap-1">
            <span className="text-xs text-zinc-600">or after (minutes)</span>
            <input name={`${id}.wait`} defaultValue={initial?.wait ?? "1440"} inputMode="numeric" className={`${inputClass} w-28`} aria-invalid={!!waitError} />
          </label>
        </>
      )}
      {(minError || waitError) && <p className="w-full text-sm text-red-700" role="alert">{minError ?? waitError}</p>}
    </div>
  );
}

const HEX = /^#[0-9a-f]{6}$/i;

function describeMinutes(v: string): string | null {
  if (!/^\d+$/.test(v)) return null;
  const n = Number(v);
  const h = Math.floor(n / 60), m = n % 60;
  const parts = [h && `${h} hour${h === 1 ? "" : "s"}`, m && `${m} minute${m === 1 ? "" : "s"}`].filter(Boolean);
  return parts.length ? parts.join(" ") : null;
}

function Section({ title, description, children }: { title: string; description: string; children: React.ReactNode }) {
  return (
    <section className="grid gap-x-8 gap-y-5 border-b border-zinc-200 py-8 first:pt-0 md:grid-cols-3">
      <div>
        <h2 className="text-sm font-semibold text-zinc-900">{title}</h2>
        <p className="mt-1 text-sm text-zinc-500">{description}</p>
      </div>
      <div className="space-y-5 md:col-span-2">{children}</div>
    </section>
  );
}

function Fields({ initial, targets, errors }: { initial: Values; targets: Target[]; errors: Record<string, string> }) {
  const [name, setName] = useState(initial.name);
  const [color, setColor] = useState(initial.accentColor);
  const [expiry, setExpiry] = useState(initial.expiryMinutes);
  const swatch = HEX.test(color) ? color.toLowerCase() : initial.accentColor;
  const expiryText = describeMinutes(expiry);
  const expiryHint = `Between 5 minutes and 24 hours${expiryText ? ` (now ${expiryText})` : ""}. Used when a session is created without expiresInSeconds.`;
  const toleranceHint = "0 to 10%, up to two decimals. A payment this much below the amount due still counts as paid.";
  const logoHint = "Shown on the hosted checkout page. https:// only (http://localhost while developing).";
  const embedHint = "Sites that may show your hosted checkout inside a frame, one origin per line (https://shop.example.com). Empty: no site may frame it.";

  const groups = [
    { title: "Test networks", rows: targets.filter((t) => !t.livemode) },
    { title: "Live networks", rows: targets.filter((t) => t.livemode) },
  ];

  return (
    <>
      <Section title="Business" description="How your business appears to payers on the hosted checkout page.">
        <Field id="name" label="Business name" error={errors.name}>
          <input id="name" name="name" value={name} onChange={(e) => setName(e.target.value)} maxLength={100} required className={inputClass}
            aria-invalid={!!errors.name} aria-describedby={describedBy("name", null, errors.name)} />
        </Field>
        <Field id="logoUrl" label={<>Logo URL <span className="font-normal text-zinc-500">(optional)</span></>} hint={logoHint} error={errors.logoUrl}>
          <input id="logoUrl" name="logoUrl" type="url" inputMode="url" defaultValue={initial.logoUrl} placeholder="https://example.com/logo.png" className={inputClass}
            aria-invalid={!!errors.logoUrl} aria-describedby={describedBy("logoUrl", logoHint, errors.logoUrl)} />
        </Field>
        <Field id="accentColor" label="Accent color" hint="Buttons and highlights on the checkout page." error={errors.accentColor}>
          <div className="flex items-center gap-3">
            <input type="color" aria-label="Pick accent color" value={swatch} onChange={(e) => setColor(e.target.value)}
              className="h-9 w-12 cursor-pointer rounded-lg border-0 bg-white p-1 shadow-sm ring-1 ring-zinc-300 ring-inset focus-visible:outline-2 focus-visible:outline-indigo-600" />
            <input id="accentColor" name="accentColor" value={color} onChange={(e) => setColor(e.target.value)} maxLength={7} spellCheck={false}
              className={`${inputClass} max-w-36 font-mono`} aria-invalid={!!errors.accentColor}
              aria-describedby={describedBy("accentColor", "hint", errors.accentColor)} />
          </div>
        </Field>
        <div className="rounded-xl bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset" aria-hidden="true">
          <p className="mb-3 text-xs font-medium text-zinc-500">Preview</p>
          <div className="mx-auto max-w-64 rounded-lg bg-white p-4 shadow-sm ring-1 ring-zinc-200">
            <p className="truncate text-sm font-semibold text-zinc-900">{name || "Your business"}</p>
            <p className="mt-0.5 text-xs text-zinc-500">Order #1042</p>
            <p className="mt-3 text-lg font-semibold text-zinc-900">25.00 USDC</p>
            <div className="mt-3 rounded-md py-2 text-center text-sm font-medium text-white" style={{ backgroundColor: swatch }}>Pay</div>
          </div>
        </div>
      </Section>

      <Section title="Checkout defaults" description="Applied to new sessions unless the API request says otherwise.">
        <Field id="expiryMinutes" label="Default session expiry" hint={expiryHint} error={errors.expiryMinutes}>
          <div className="relative max-w-48">
            <input id="expiryMinutes" name="expiryMinutes" type="number" inputMode="numeric" min={5} max={1440} step={1} value={expiry}
              onChange={(e) => setExpiry(e.target.value)} className={`${inputClass} pr-20`} aria-invalid={!!errors.expiryMinutes}
              aria-describedby={describedBy("expiryMinutes", expiryHint, errors.expiryMinutes)} />
            <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-zinc-500">minutes</span>
          </div>
        </Field>
        <Field id="tolerancePercent" label="Payment tolerance" hint={toleranceHint} error={errors.tolerancePercent}>
          <div className="relative max-w-48">
            <input id="tolerancePercent" name="tolerancePercent" inputMode="decimal" defaultValue={initial.tolerancePercent}
              className={`${inputClass} pr-8`} aria-invalid={!!errors.tolerancePercent}
              aria-describedby={describedBy("tolerancePercent", toleranceHint, errors.tolerancePercent)} />
            <span className="pointer-events-none absolute inset-y-0 right-3 flex items-center text-sm text-zinc-500">%</span>
          </div>
        </Field>
        <Field id="embedOrigins" label={<>Embed the checkout on <span className="font-normal text-zinc-500">(optional)</span></>} hint={embedHint} error={errors.embedOrigins}>
          <textarea id="embedOrigins" name="embedOrigins" rows={3} defaultValue={initial.embedOrigins} spellCheck={false} placeholder="https://shop.example.com"
            className={`${inputClass} font-mono`} aria-invalid={!!errors.embedOrigins} aria-describedby={describedBy("embedOrigins", embedHint, errors.embedOrigins)} />
        </Field>
      </Section>

      <Section title="Settlement addresses" description="Where each payment is forwarded once confirmed. Test networks have their own addresses. Leave a field empty to clear it. On expensive networks, settle in batches: a confirmed payment is yours at once (it succeeds and shows under Balances → Settling) and is forwarded with the next batch, which shares one network fee.">
        {groups.map((g) => g.rows.length > 0 && (
          <fieldset key={g.title} className="space-y-4">
            <legend className="mb-3 text-xs font-semibold tracking-wider text-zinc-500 uppercase">{g.title}</legend>
            {g.rows.map((t) => {
              const id = `settlement.${t.key}`;
              const hint = t.enabled ? null : "Not enabled on this instance yet; the address is kept for when it is.";
              return (
                <Field key={t.key} id={id} hint={hint} error={errors[id]}
                  label={<span className="inline-flex items-center gap-2">{t.displayName} <span aria-hidden="true"><ModeBadge livemode={t.livemode} /></span><span className="sr-only">{t.livemode ? "live mode" : "test mode"} settlement address</span></span>}>
                  <input id={id} name={id} defaultValue={initial.settlement[t.key] ?? ""} placeholder={t.placeholder} spellCheck={false} autoComplete="off"
                    className={`${inputClass} font-mono`} aria-invalid={!!errors[id]} aria-describedby={describedBy(id, hint, errors[id])} />
                  {t.batchable && <BatchPolicyFields t={t} initial={initial.batch[t.key]} errors={errors} />}
                </Field>
              );
            })}
          </fieldset>
        ))}
        <div className="flex gap-3 rounded-xl bg-zinc-50 p-4 ring-1 ring-zinc-200 ring-inset">
          <input id="reuseAddresses" name="reuseAddresses" type="checkbox" defaultChecked={initial.reuseAddresses}
            className="mt-0.5 size-4 shrink-0 rounded border-zinc-300 text-indigo-600 focus-visible:outline-2 focus-visible:outline-indigo-600" aria-describedby="reuseAddresses-hint" />
          <div className="text-sm">
            <label htmlFor="reuseAddresses" className="font-medium text-zinc-900">Reuse payment addresses on EVM networks</label>
            <p id="reuseAddresses-hint" className="mt-1 text-zinc-500">
              A new checkout takes the address of one of your checkouts whose expiry time is over {initial.reuseAfterDays} days past and whose
              funds have all been settled. Batch sweeps from such an address cost about 25,000 gas less per payment. The trade-off: someone who pays an
              old address again, from a wallet&apos;s saved addresses, pays whichever checkout holds it then.
            </p>
          </div>
        </div>
      </Section>
    </>
  );
}

export function SettingsForm({ initial, targets }: { initial: Values; targets: Target[] }) {
  const { state, formAction, pending, onSubmit } = useActionForm<SettingsState>(saveSettingsAction, {});
  const errors = state.errors ?? {};
  const errorCount = Object.keys(errors).length;
  return (
    <form action={formAction} onSubmit={onSubmit} noValidate>
      {/* Remount after a save so every field shows the stored (normalized) value, e.g. a checksummed address. */}
      <Fields key={state.savedAt ?? 0} initial={initial} targets={targets} errors={errors} />
      <div className="flex flex-col-reverse items-stretch gap-3 pt-6 sm:flex-row sm:items-center sm:justify-end">
        {errorCount > 0 && <FormError>Please fix the {errorCount === 1 ? "field" : `${errorCount} fields`} marked above.</FormError>}
        <Button type="submit" pending={pending} pendingLabel="Saving…">Save changes</Button>
      </div>
      <Toast message={state.savedAt ? "Settings saved" : null} stamp={state.savedAt} />
    </form>
  );
}
