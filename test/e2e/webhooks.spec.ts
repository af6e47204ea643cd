// Dashboard webhooks: add an endpoint (secret shown once), send a test event, see it succeed in the
// deliveries log with its request and response, reveal the secret after a confirmation, filter the
// log and redeliver, delete the endpoint. The receiver is an HTTP server on 127.0.0.1 in this process.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signUp } from "./helpers/dashboard";
import { checkLayout } from "./helpers/layout";

type Got = { headers: http.IncomingHttpHeaders; body: string };

test("add an endpoint, send a test event, see it in the log, redeliver", async ({ page }) => {
  const got: Got[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (c) => { body += c; });
    req.on("end", () => { got.push({ headers: req.headers, body }); res.writeHead(200); res.end("received by e2e"); });
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`;
  try {
    await signUp(page, "Hooks Shop");
    await page.goto("/dashboard/webhooks?mode=test");
    await expect(page.getByText("No test endpoints yet")).toBeVisible();
    await expect(page.getByText("No deliveries yet")).toBeVisible();

    const dialog = page.getByRole("dialog");
    await expect(async () => {
      await page.getByTestId("add-endpoint").click();
      await expect(dialog).toBeVisible({ timeout: 1_000 });
    }).toPass();
    await dialog.getByLabel("Endpoint URL").fill(url);
    await dialog.getByLabel("All events").uncheck();
    await dialog.getByLabel("session.succeeded").check();
    await dialog.getByRole("button", { name: "Add endpoint" }).click();
    const secret = (await dialog.getByTestId("endpoint-secret").innerText()).trim();
    expect(secret).toMatch(/^whsec_/);
    await dialog.getByRole("button", { name: "Done" }).click();

    const row = page.locator("[data-endpoint-id]").filter({ hasText: url });
    await expect(row).toBeVisible();
    await expect(row).toContainText("session.succeeded");
    await row.getByTestId("send-test").click();
    await expect(row.getByText("Test event sent.")).toBeVisible();
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(1);
    const wh = new Webhook(secret);
    const payload = wh.verify(got[0].body, {
      "webhook-id": String(got[0].headers["webhook-id"]), "webhook-timestamp": String(got[0].headers["webhook-timestamp"]),
      "webhook-signature": String(got[0].headers["webhook-signature"]),
    }) as { type: string };
    expect(payload.type).toBe("webhook.test");

    // the log shows it as succeeded, with request and response
    await expect(async () => {
      await page.reload();
      await expect(page.getByTestId("delivery-log").getByText("succeeded").first()).toBeVisible({ timeout: 1_000 });
    }).toPass({ timeout: 15_000 });
    const entry = page.locator(`[data-delivery-id="${got[0].headers["webhook-id"]}"]`);
    await entry.locator("summary").first().click();
    await expect(entry).toContainText("webhook.test");
    await expect(entry).toContainText("HTTP 200");
    await expect(entry).toContainText("received by e2e");

    // status filter
    await page.getByRole("link", { name: "Failed" }).click();
    await expect(page.getByText("No failed deliveries")).toBeVisible();
    await page.getByRole("link", { name: "Succeeded" }).click();
    await expect(page.getByTestId("delivery-log")).toContainText("webhook.test");

    // redeliver: same webhook-id
    const again = page.locator(`[data-delivery-id="${got[0].headers["webhook-id"]}"]`);
    await again.locator("summary").first().click();
    await again.getByTestId("redeliver").click();
    await expect.poll(() => got.length, { timeout: 15_000 }).toBe(2);
    expect(got[1].headers["webhook-id"]).toBe(got[0].headers["webhook-id"]);

    // reveal after a confirmation
    await page.goto("/dashboard/webhooks?mode=test");
    const r2 = page.locator("[data-endpoint-id]").filter({ hasText: url });
    await r2.getByRole("button", { name: "Reveal" }).click();
    await page.getByTestId("confirm-secret").click();
    await expect(r2.getByTestId("revealed-secret")).toHaveText(secret);

    // delete, after a confirmation: gone from the page, and no more events go to it
    await r2.getByRole("button", { name: `Delete endpoint ${url}` }).click();
    const confirm = page.getByRole("dialog");
    await expect(confirm).toContainText(`Delete endpoint ${url}?`);
    await confirm.getByRole("button", { name: "Delete endpoint" }).click();
    await expect(confirm).toBeHidden();
    await expect(page.locator("[data-endpoint-id]")).toHaveCount(0);
    await expect(page.getByText("No test endpoints yet")).toBeVisible();
    await checkLayout(page, undefined, "webhooks-after-delete");
  } finally {
    server.close();
  }
});
