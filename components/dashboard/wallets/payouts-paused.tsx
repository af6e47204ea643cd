// "Payouts paused" banner (issue 13): the solvency check found a network's on-chain holdings
// below what merchants are owed. The operator reads the check's reason; other merchants a plain
// sentence (the reason carries the instance's totals).
import { pausedMessage, pausedNetworks } from "@/lib/dashboard/wallets/ledger";

export async function PayoutsPausedBanner({ livemode, operator, className = "" }: { livemode: boolean; operator: boolean; className?: string }) {
  const paused = await pausedNetworks(livemode);
  if (paused.length === 0) return null;
  return (
    <div role="alert" data-testid="payouts-paused" className={`flex gap-2 rounded-lg bg-red-50 px-3 py-2.5 text-sm text-red-800 ring-1 ring-red-200 ring-inset ${className}`}>
      <svg className="mt-0.5 size-4 shrink-0" viewBox="0 0 20 20" fill="currentColor" aria-hidden="true"><path fillRule="evenodd" d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z" clipRule="evenodd" /></svg>
      <ul className="min-w-0 space-y-1 break-words">
        {paused.map((p) => <li key={p.network} data-network={p.network}>{pausedMessage(p, operator)}</li>)}
      </ul>
    </div>
  );
}
