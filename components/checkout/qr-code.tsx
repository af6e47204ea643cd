"use client";
// The QR code is drawn in the browser with the qrcode package (SVG, loaded on demand).
import { useEffect, useState } from "react";

export function QrCode({ value, alt }: { value: string; alt: string }) {
  const [src, setSrc] = useState<{ value: string; url: string } | null>(null);
  useEffect(() => {
    let live = true;
    import("qrcode").then((QR) => QR.toString(value, { type: "svg", margin: 0, errorCorrectionLevel: "M", color: { dark: "#18181b", light: "#ffffff" } }))
      .then((svg) => { if (live) setSrc({ value, url: `data:image/svg+xml;charset=utf-8,${encodeURIComponent(svg)}` }); })
      .catch(() => { if (live) setSrc(null); });
    return () => { live = false; };
  }, [value]);

  return (
    <div className="rounded-xl bg-white p-3 ring-1 ring-zinc-200" data-testid="payment-qr" data-payment-uri={value}>
      {src && src.value === value ? (
        // eslint-disable-next-line @next/next/no-img-element -- a data: URL generated here
        <img src={src.url} alt={alt} width={176} height={176} className="size-44" />
      ) : (
        <div className="size-44 animate-pulse rounded-md bg-zinc-100" role="img" aria-label={alt} aria-busy="true" />
      )}
    </div>
  );
}
