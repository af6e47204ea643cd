import { EVENT_TYPES } from "@/lib/webhooks/event-types";

/** "All events" plus one checkbox per type; `selected` ["*"] checks "All events". */
export function EventCheckboxes({ selected = ["*"], idPrefix }: { selected?: string[]; idPrefix: string }) {
  const all = selected.includes("*");
  return (
    <fieldset>
      <legend className="text-sm font-medium text-zinc-800">Events</legend>
      <label className="mt-1.5 flex items-center gap-2 text-sm text-zinc-700">
        <input type="checkbox" name="allEvents" defaultChecked={all} className="size-4 accent-indigo-600" /> All events
      </label>
      <div className="mt-2 grid grid-cols-1 gap-1 sm:grid-cols-2">
        {EVENT_TYPES.map((t) => (
          <label key={t} htmlFor={`${idPrefix}-${t}`} className="flex items-center gap-2 font-mono text-xs text-zinc-700">
            <input id={`${idPrefix}-${t}`} type="checkbox" name="events" value={t} defaultChecked={!all && selected.includes(t)} className="size-4 accent-indigo-600" />
            {t}
          </label>
        ))}
      </div>
    </fieldset>
  );
}
