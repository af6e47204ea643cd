"use client";
import { useEffect, useRef, type ReactNode } from "react";

type Props = {
  open: boolean;
  onClose: () => void;
  /** id of the element that names the dialog */
  labelledBy: string;
  /** false while closing would lose something (e.g. a secret shown once): no Esc or backdrop close */
  dismissible?: boolean;
  children: ReactNode;
};

/** A modal on the native <dialog> element: focus trapping, Esc and the top layer come for free. */
export function Dialog({ open, onClose, labelledBy, dismissible = true, children }: Props) {
  const ref = useRef<HTMLDialogElement>(null);
  useEffect(() => {
    const d = ref.current;
    if (!d) return;
    if (open && !d.open) d.showModal();
    if (!open && d.open) d.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      aria-labelledby={labelledBy}
      onClose={onClose}
      onCancel={(e) => { if (!dismissible) e.preventDefault(); }}
      onClick={(e) => { if (dismissible && e.target === e.currentTarget) onClose(); }}
      className="m-auto w-[calc(100%-2rem)] max-w-lg rounded-2xl bg-white p-0 text-zinc-900 shadow-xl ring-1 ring-zinc-200 backdrop:bg-zinc-950/40 backdrop:backdrop-blur-[2px]"
    >
      {/* Children render only while open, so nothing shown in a dialog lingers in the DOM after it closes. */}
      {open && <div className="p-6 text-left">{children}</div>}
    </dialog>
  );
}
