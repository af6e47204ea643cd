// CSV downloads from the dashboard's lists (RFC 4180, CRLF), safe to open in a spreadsheet.

/** One field; a leading =, +, - or @ is prefixed so spreadsheets never run it as a formula. */
export function csvField(v: string | number | boolean | bigint | null | undefined): string {
  let s = v === null || v === undefined ? "" : String(v);
  if (/^[=+\-@]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** The response a browser saves as `filename`. */
export function csvResponse(filename: string, header: readonly string[], rows: readonly (readonly Parameters<typeof csvField>[0][])[]): Response {
  const lines = [header.join(","), ...rows.map((r) => r.map(csvField).join(","))];
  return new Response(lines.join("\r\n") + "\r\n", {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="${filename}"`, "Cache-Control": "no-store" },
  });
}

/** rows in one export at most */
export const CSV_MAX_ROWS = 10_000;
