"use client";
// A clock that ticks once a second. The first client render uses the server's time so the
// countdown in the HTML and after hydration agree; a client clock far off the server's is corrected.
import { useEffect, useState, useSyncExternalStore } from "react";

function subscribe(cb: () => void): () => void {
  const t = setInterval(cb, 1000);
  return () => clearInterval(t);
}
const clientNow = () => Math.floor(Date.now() / 1000);

export function useNow(serverNow: number): number {
  const now = useSyncExternalStore(subscribe, clientNow, () => serverNow);
  const [skew, setSkew] = useState(0);
  useEffect(() => {
    const d = serverNow - clientNow();
    // under a minute is page-load latency, not a wrong clock
    if (Math.abs(d) > 60) setSkew(d);
  }, [serverNow]);
  return now + skew;
}
