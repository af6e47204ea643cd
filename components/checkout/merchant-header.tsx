"use client";
import { useEffect, useRef, useState } from "react";
import { useI18n } from "@/lib/i18n/react";
import type { MerchantBranding } from "./types";

function initials(name: string): string {
  const words = name.trim().split(/\s+/).filter(Boolean);
  const letters = words.length > 1 ? [words[0][0], words[1][0]] : [...(words[0] ?? "?")].slice(0, 2);
  return letters.join("").toUpperCase();
}

/** Logo (or initials on the accent color when there is none or it fails to load) and name. */
export function MerchantHeader({ merchant }: { merchant: MerchantBranding }) {
  const { t } = useI18n();
  const [broken, setBroken] = useState(false);
  const img = useRef<HTMLImageElement>(null);
  // an image that failed before hydration fired its error event before React listened
  useEffect(() => {
    const el = img.current;
    if (el && el.complete && el.naturalWidth === 0) setBroken(true);
  }, []);
  const showLogo = merchant.logoUrl && !broken;
  return (
    <div className="flex min-w-0 items-center gap-3">
      {showLogo ? (
        // eslint-disable-next-line @next/next/no-img-element -- any merchant host; next/image would need it allow-listed
        <img
          ref={img}
          src={merchant.logoUrl!}
          alt={t("merchant.logoAlt", { merchant: merchant.name })}
          width={40}
          height={40}
          referrerPolicy="no-referrer"
          onError={() => setBroken(true)}
          className="size-10 shrink-0 rounded-lg bg-white object-contain ring-1 ring-zinc-200"
        />
      ) : (
        <span
          aria-hidden="true"
          data-testid="merchant-initials"
          className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-[var(--accent)] text-sm font-semibold text-[var(--accent-fg)]"
        >
          {initials(merchant.name)}
        </span>
      )}
      <p className="line-clamp-2 text-sm leading-snug font-semibold break-words text-zinc-900" data-testid="merchant-name">{merchant.name}</p>
    </div>
  );
}
