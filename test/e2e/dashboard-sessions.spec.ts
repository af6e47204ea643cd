// Dashboard sessions: the list (search by metadata value and id prefix, status filter, pagination,
// empty states), the detail page (facts, timeline, 404 for other merchants) and cancel with its
// lost-race error. Each test signs up its own merchant and creates sessions through the API.
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { createKey, signUp } from "./helpers/dashboard";
import { checkLayout } from "./helpers/layout";

const SHOTS = process.env.UX_SHOTS;

const DEVNET_CHAIN_ID = 31337;
const DEVNET_USDC = "0x6D1A70703E4C7Cf35E2BE3B9DdED28401a915553";
const DESTINATION = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";

type Session = { sessionId: string; status: string; metadata: Record<string, string> | null };

async function createSession(request: APIRequestContext, key: string, orderId: string, extra: Record<string, unknown> = {}): Promise<Session> {
  const res = await request.post("/v1/sessions", {
    headers: { Authorization: `Bearer ${key}` },
    data: {
      destination: { type: "evm", address: DESTINATION, chainId: DEVNET_CHAIN_ID, tokenAddress: DEVNET_USDC, amountUnits: "25" },
      display: { title: `Order ${orderId}`, verb: "Pay" },
      metadata: { orderId },
      ...extra,
    },
  });
  expect(res.status(), await res.text()).toBe(201);
  return ((await res.json()) as { session: Session }).session;
}

async function cancelViaApi(request: APIRequestContext, key: string, id: string): Promise<void> {
  const res = await request.post(`/v1/sessions/${id}/cancel`, { headers: { Authorization: `Bearer ${key}` } });
  expect(res.status(), await res.text()).toBe(200);
}

const rows = (page: Page) => page.locator("tbody tr[data-session-id]");
const rowIds = (page: Page) => rows(page).evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-session-id")));

async function search(page: Page, text: string): Promise<void> {
  const box = page.getByRole("searchbox", { name: "Search sessions" });
  await box.fill(text);
  await box.press("Enter");
  await expect(page).toHaveURL(new RegExp(`[?&]q=${encodeURIComponent(text)}(&|$)`));
}

test("the list shows sessions newest first; search by metadata value and id prefix; status filter", async ({ page, request }) => {
  // many page loads (search, filters, both widths): past the default minute on a loaded machine
  test.setTimeout(150_000);
  await signUp(page, "List Shop");
  await page.goto("/dashboard/sessions");
  // nothing yet: the empty state shows how to create one, against this instance and a real devnet token
  await expect(page.getByRole("heading", { name: "No test sessions yet" })).toBeVisible();
  const example = page.getByTestId("create-session-example");
  await expect(example).toContainText("/v1/sessions");
  await expect(example).toContainText("Authorization: Bearer sk_test_…");
  await expect(example).toContainText(DEVNET_USDC);
  await expect(example).toContainText(`"chainId": ${DEVNET_CHAIN_ID}`);

  const key = await createKey(page, "sessions e2e");
  const a = await createSession(request, key, "A-1");
  const b = await createSession(request, key, "B-2");
  const c = await createSession(request, key, "C-3", { metadata: { orderId: "C-3", customer: "ada@example.com" } });

  await page.goto("/dashboard/sessions");
  await expect(rows(page)).toHaveCount(3);
  await expect.poll(() => rowIds(page)).toEqual([c.sessionId, b.sessionId, a.sessionId]);
  const rowA = page.locator(`tr[data-session-id="${a.sessionId}"]`);
  await expect(rowA).toContainText("25.00 USDC");
  await expect(rowA).toContainText("Ethereum (test)");
  await expect(rowA).toContainText("Awaiting method");
  await expect(rowA).toContainText("just now");
  await expect(rowA).toContainText(a.sessionId.slice(0, 8));

  // a metadata value, whatever its key and letter case
  await search(page, "B-2");
  await expect(rows(page)).toHaveCount(1);
  await expect.poll(() => rowIds(page)).toEqual([b.sessionId]);
  await search(page, "ADA@example");
  await expect.poll(() => rowIds(page)).toEqual([c.sessionId]);

  // a session id prefix, and a whole id
  await search(page, a.sessionId.slice(0, 8));
  await expect.poll(() => rowIds(page)).toEqual([a.sessionId]);
  await search(page, c.sessionId.toUpperCase());
  await expect.poll(() => rowIds(page)).toEqual([c.sessionId]);

  // LIKE wildcards are literal text
  await search(page, "%");
  await expect(page.getByRole("heading", { name: "No matching sessions" })).toBeVisible();
  await page.getByRole("link", { name: "Clear filters" }).click();
  await expect(rows(page)).toHaveCount(3);

  // canceled through the API → listed under Expired only
  await cancelViaApi(request, key, c.sessionId);
  const tabs = page.getByRole("navigation", { name: "Filter by status" });
  await tabs.getByRole("link", { name: "Expired" }).click();
  await expect(page).toHaveURL(/status=expired/);
  await expect(tabs.getByRole("link", { name: "Expired" })).toHaveAttribute("aria-current", "page");
  await expect(rows(page)).toHaveCount(1);
  await expect.poll(() => rowIds(page)).toEqual([c.sessionId]);
  await expect(rows(page).first()).toContainText("Expired");

  await tabs.getByRole("link", { name: "Awaiting method" }).click();
  await expect(page).toHaveURL(/status=requires_payment_method/);
  await expect(rows(page)).toHaveCount(2);
  await expect.poll(() => rowIds(page)).toEqual([b.sessionId, a.sessionId]);

  await tabs.getByRole("link", { name: "Processing" }).click();
  await expect(page).toHaveURL(/status=processing/);
  await expect(page.getByRole("heading", { name: "No matching sessions" })).toBeVisible();

  // the filter and a search combine
  await tabs.getByRole("link", { name: "Awaiting method" }).click();
  await expect(page).toHaveURL(/status=requires_payment_method/);
  await search(page, "A-1");
  await expect.poll(() => rowIds(page)).toEqual([a.sessionId]);
  await expect(page).toHaveURL(/status=requires_payment_method/);

  // the filter bar: network and creation date (UTC), kept with the search in the URL; the CSV export honours them
  const today = new Date().toISOString().slice(0, 10);
  const filters = page.getByTestId("list-filters");
  await filters.getByLabel("Network").selectOption("ethereum");
  await filters.getByLabel(/Created from/).fill(today);
  await filters.getByRole("button", { name: "Apply filters" }).click();
  await expect(page).toHaveURL(new RegExp(`network=ethereum.*from=${today}`));
  await expect(page).toHaveURL(/q=A-1/);
  await expect.poll(() => rowIds(page)).toEqual([a.sessionId]);
  await page.goto(`/dashboard/sessions?mode=test&network=ethereum&from=${today}`);
  await expect(rows(page)).toHaveCount(3);
  await checkLayout(page, SHOTS, "sessions-filtered");
  const exportHref = (await page.getByRole("link", { name: "Export CSV" }).getAttribute("href"))!;
  expect(exportHref).toContain("network=ethereum");
  const csv = (await (await page.request.get(exportHref)).text()).trim().split("\r\n");
  expect(csv).toHaveLength(4);
  // nothing needs attention here, nor was anything created tomorrow
  await page.goto(`/dashboard/sessions?mode=test&exception=attention`);
  await expect(page.getByRole("heading", { name: "No matching sessions" })).toBeVisible();
  await expect(page.getByText("“Needs attention”")).toBeVisible();
  await checkLayout(page, SHOTS, "sessions-no-match");
  await page.getByRole("main").getByRole("link", { name: "Clear filters" }).last().click();
  await expect(rows(page)).toHaveCount(3);

  // live data is a separate list
  await page.getByRole("navigation", { name: "Mode" }).getByRole("link", { name: /Live/ }).click();
  await expect(page).toHaveURL(/mode=live/);
  await expect(page.getByRole("heading", { name: "No live sessions yet" })).toBeVisible();
});

test("pagination: 25 per page, Next and Previous", async ({ page, request }) => {
  await signUp(page, "Busy Shop");
  const key = await createKey(page, "sessions e2e");
  const created: Session[] = [];
  for (let i = 1; i <= 27; i++) created.push(await createSession(request, key, `P-${i}`));
  const newestFirst = created.map((s) => s.sessionId).reverse();

  await page.goto("/dashboard/sessions");
  await expect(rows(page)).toHaveCount(25);
  await expect.poll(() => rowIds(page)).toEqual(newestFirst.slice(0, 25));
  const pager = page.getByRole("navigation", { name: "Pagination" });
  await expect(pager.getByRole("link", { name: /Previous/ })).toHaveCount(0);

  await pager.getByRole("link", { name: /Next/ }).click();
  await expect(page).toHaveURL(new RegExp(`after=${newestFirst[24]}`));
  await expect(rows(page)).toHaveCount(2);
  await expect.poll(() => rowIds(page)).toEqual(newestFirst.slice(25));
  await expect(pager.getByRole("link", { name: /Next/ })).toHaveCount(0);

  await pager.getByRole("link", { name: /Previous/ }).click();
  await expect(page).toHaveURL(new RegExp(`before=${newestFirst[25]}`));
  await expect(rows(page)).toHaveCount(25);
  await expect.poll(() => rowIds(page)).toEqual(newestFirst.slice(0, 25));
  await expect(pager.getByRole("link", { name: /Previous/ })).toHaveCount(0);
});

test("detail page: facts, metadata and timeline; other merchants get 404; cancel, also after a lost race", async ({ page, request, browser }) => {
  await signUp(page, "Detail Shop");
  const key = await createKey(page, "sessions e2e");
  const expired = await createSession(request, key, "D-1", { refundAddress: DESTINATION });
  const open = await createSession(request, key, "D-2");
  const raced = await createSession(request, key, "D-3");
  await cancelViaApi(request, key, expired.sessionId);

  // from the list to the detail page
  await page.goto("/dashboard/sessions");
  await page.locator(`tr[data-session-id="${expired.sessionId}"]`).getByRole("link").first().click();
  await expect(page).toHaveURL(new RegExp(`/dashboard/sessions/${expired.sessionId}$`));
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("25.00 USDC");
  await expect(page.getByText("Order D-1").first()).toBeVisible();
  await expect(page.locator("[data-status]").first()).toHaveText("Expired");
  await expect(page.getByText(DESTINATION).first()).toBeVisible();
  await expect(page.getByText("Ethereum (test)").first()).toBeVisible();
  await expect(page.getByTestId("checkout-url")).toContainText(`/checkout/${expired.sessionId}`);
  const metadata = page.getByRole("region", { name: "Metadata" });
  await expect(metadata.getByRole("row", { name: /orderId\s+D-1/ })).toBeVisible();
  const timeline = page.getByTestId("session-timeline");
  await expect(timeline).toContainText("Session created");
  await expect(timeline).toContainText("session.expired");
  await expect(timeline).toContainText("Session expired");
  // expired: nothing left to cancel
  await expect(page.getByRole("button", { name: "Cancel session" })).toHaveCount(0);

  // malformed or unknown ids are 404s
  expect((await page.goto("/dashboard/sessions/not-a-session"))?.status()).toBe(404);
  expect((await page.goto("/dashboard/sessions/00000000-0000-4000-8000-000000000000"))?.status()).toBe(404);

  // another merchant gets a 404 for the same URL, and no trace of the session
  const other = await browser.newContext();
  try {
    const page2 = await other.newPage();
    await signUp(page2, "Other Shop");
    const res = await page2.goto(`/dashboard/sessions/${expired.sessionId}`);
    expect(res?.status()).toBe(404);
    await expect(page2.getByRole("heading", { name: "Session not found" })).toBeVisible();
    expect(await page2.content()).not.toContain("Order D-1");
    await page2.goto(`/dashboard/sessions?q=${expired.sessionId}`);
    await expect(page2.getByRole("heading", { name: "No test sessions yet" })).toBeVisible();
  } finally {
    await other.close();
  }

  // cancel from the detail page, with a confirmation step
  await page.goto(`/dashboard/sessions/${open.sessionId}`);
  const dialog = page.getByRole("dialog");
  await expect(async () => {
    await page.getByRole("button", { name: "Cancel session" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await expect(dialog).toContainText("Cancel “Order D-2”?");
  await dialog.getByRole("button", { name: "Keep session" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator("[data-status]").first()).toHaveText("Awaiting method");
  await page.getByRole("button", { name: "Cancel session" }).click();
  await dialog.getByRole("button", { name: "Cancel session" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator("[data-status]").first()).toHaveText("Expired");
  await expect(page.getByTestId("session-timeline")).toContainText("session.expired");
  await expect(page.getByRole("button", { name: "Cancel session" })).toHaveCount(0);
  const api = await request.get(`/v1/sessions/${open.sessionId}`, { headers: { Authorization: `Bearer ${key}` } });
  expect(((await api.json()) as { session: Session }).session.status).toBe("expired");

  // the page still offers cancel, but the session was canceled elsewhere meanwhile: the error says so
  await page.goto(`/dashboard/sessions/${raced.sessionId}`);
  await expect(async () => {
    await page.getByRole("button", { name: "Cancel session" }).click();
    await expect(dialog).toBeVisible({ timeout: 1_000 });
  }).toPass();
  await cancelViaApi(request, key, raced.sessionId);
  await dialog.getByRole("button", { name: "Cancel session" }).click();
  await expect(dialog.getByRole("alert")).toContainText("can no longer be canceled");
  await expect(dialog.getByRole("alert")).toContainText("already expired or been canceled");
  await dialog.getByRole("button", { name: "Close" }).click();
  await expect(dialog).toBeHidden();
  await expect(page.locator("[data-status]").first()).toHaveText("Expired");
});
