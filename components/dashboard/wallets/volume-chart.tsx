// Daily deposit volume as an SVG bar chart (server-rendered, no chart library). Each bar carries
// its exact amount as a title and the table below it for screen readers.
import type { VolumePoint } from "@/lib/dashboard/wallets/queries";

export function VolumeChart({ points, currency, caption }: { points: VolumePoint[]; currency: string; caption?: string }) {
  const max = Math.max(...points.map((p) => p.amount), 0);
  const W = 600;
  const H = 140;
  const bw = W / points.length;
  const total = points.filter((p) => p.amount > 0).length;
  return (
    <figure className="rounded-xl bg-white p-4 shadow-sm ring-1 ring-zinc-200" data-testid="volume-chart">
      <figcaption className="mb-2 flex items-baseline justify-between text-sm">
        <span className="font-medium text-zinc-900">{caption ?? `Confirmed ${currency} deposits per day`}</span>
        <span className="text-xs text-zinc-500">last {points.length} days (UTC){total === 0 ? " · none yet" : ""}</span>
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H + 16}`} className="h-40 w-full" role="img" aria-label={`Daily ${currency} deposit volume`}>
        <line x1="0" x2={W} y1={H} y2={H} className="stroke-zinc-200" />
        {points.map((p, i) => {
          const h = max > 0 ? Math.max((p.amount / max) * (H - 8), p.amount > 0 ? 2 : 0) : 0;
          return (
            <rect key={p.day} x={i * bw + 1} y={H - h} width={Math.max(bw - 2, 1)} height={h} rx="1.5" className="fill-indigo-500" data-day={p.day} data-amount={p.exact}>
              <title>{`${p.day}: ${p.label} ${currency}`}</title>
            </rect>
          );
        })}
        <text x="0" y={H + 13} className="fill-zinc-500 text-[10px]">{points[0]?.day}</text>
        <text x={W} y={H + 13} textAnchor="end" className="fill-zinc-500 text-[10px]">{points.at(-1)?.day}</text>
      </svg>
    </figure>
  );
}
