"use client";
// False in the server's HTML and during hydration, true once React handles events. A control
// that changes state is disabled until then: a choice made before hydration would be shown in
// the DOM but lost from React's state (the payer picks Polygon, the page keeps Ethereum).
import { useSyncExternalStore } from "react";

const noop = () => () => {};

export function useHydrated(): boolean {
  return useSyncExternalStore(noop, () => true, () => false);
}
