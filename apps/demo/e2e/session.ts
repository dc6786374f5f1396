// Steps the e2e files share: a fresh page that records its errors, opening a file through the
// input and waiting for the status line, and closing a page (an uncaught error fails the test).
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { launchChromium, servePage } from "./browser.js";

/**
 * The built page served and Chromium launched once for a test file (`beforeAll`), both closed
 * after it; `open()` gives a fresh page of the site. Call at the top of the file.
 */
export function sharedBrowser(): { open: () => Promise<Page> } {
  let browser: Browser | undefined;
  let site: Awaited<ReturnType<typeof servePage>> | undefined;
  beforeAll(async () => {
    site = await servePage();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await site?.close();
  });
  return {
    open: () => {
      if (!browser || !site) throw new Error("sharedBrowser(): the browser is not launched yet");
      return openPage(browser, site.url);
    },
  };
}

const pageErrors = new WeakMap<Page, string[]>();

export async function openPage(browser: Browser, url: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 }, acceptDownloads: true });
  const errors: string[] = [];
  pageErrors.set(page, errors);
  page.on("pageerror", (e) => errors.push(String(e)));
  await page.goto(url);
  await page.getByTestId("status").waitFor();
  return page;
}

export async function openFile(
  page: Page,
  name: string,
  buffer: Uint8Array | string,
  status: string | RegExp,
) {
  await page.getByTestId("open-input").setInputFiles({
    name,
    mimeType: name.endsWith(".zip") ? "application/zip" : "application/json",
    buffer: Buffer.from(buffer),
  });
  await expect.poll(() => page.getByTestId("status").textContent(), { timeout: 60_000 }).toMatch(status);
}

export async function closePage(page: Page) {
  const errors = pageErrors.get(page) ?? [];
  await page.close();
  expect(errors).toEqual([]);
}
