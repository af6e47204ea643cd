// Layout checks shared by the dashboard specs.
import { expect, type Page } from "@playwright/test";

/** No horizontal overflow at 1280 and 390 px wide (and a screenshot of each when asked). */
export async function checkLayout(page: Page, shots: string | undefined, name: string): Promise<void> {
  for (const width of [1280, 390]) {
    await page.setViewportSize({ width, height: 900 });
    await page.waitForTimeout(100);
    const { overflow, culprits } = await page.evaluate(() => {
      // what sticks out, outside any element that scrolls or clips sideways (a table's own scroller)
      const clipped = (el: Element) => {
        for (let p = el.parentElement; p; p = p.parentElement) if (/auto|scroll|hidden|clip/.test(getComputedStyle(p).overflowX)) return true;
        return false;
      };
      const culprits = [...document.body.querySelectorAll("*")]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 0.5 && !clipped(el))
        .slice(0, 5).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).slice(0, 60)}`);
      return { overflow: document.documentElement.scrollWidth - window.innerWidth, culprits };
    });
    expect(overflow, `${name} at ${width}px overflows sideways by ${overflow}px: ${culprits.join(" | ")}`).toBeLessThanOrEqual(0);
    if (shots) await page.screenshot({ path: `${shots}/${name}-${width}.png`, fullPage: true });
  }
  await page.setViewportSize({ width: 1280, height: 900 });
}
