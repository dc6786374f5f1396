// The e2e harness: the built page (vite build) served by `vite preview` on 127.0.0.1:0,
// and the machine's Chromium driven by playwright-core. No browser is downloaded: .ci/run
// installs Debian's chromium when it is missing, and without it these tests fail (never skip).
import { existsSync } from "node:fs";
import { join } from "node:path";
import { type Browser, chromium } from "playwright-core";
import { buildAndPreview } from "./preview.mjs";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const ROOT = join(import.meta.dirname, "..");
export const ARTIFACTS = join(ROOT, "artifacts");

/** Builds the page into a folder of its own and serves it with `vite preview`; `close()` stops it. */
export async function servePage(): Promise<{ url: string; close: () => Promise<void> }> {
  return buildAndPreview(join(ROOT, "node_modules/.e2e-dist"));
}

/** Launches the machine's Chromium, or fails saying how to install it. */
export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM}: the e2e tests need it (apt-get install -y chromium, as .ci/run does), or set CHROMIUM_PATH`,
    );
  }
  return chromium.launch({ executablePath: CHROMIUM, args: ["--headless", "--no-sandbox", "--disable-gpu"] });
}
