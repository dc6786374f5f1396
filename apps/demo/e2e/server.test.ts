// Server mode against a real cocokit-server child process serving the built page: create a
// dataset with the coco-80 preset, import a file as a job (and a bad one, with its issues),
// export, download the zip and open it in the page; attach images and browse the dataset page by
// page; cancel a running job.
import { type ChildProcess, spawn } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import JSZip from "jszip";
import type { Browser } from "playwright-core";
import { build } from "vite";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { gradientPng, hostileJson, manyImagesJson } from "../test/fixtures.js";
import { launchChromium } from "./browser.js";
import { closePage, openPage } from "./session.js";

const ROOT = join(import.meta.dirname, "..");
const SERVER_BIN = join(ROOT, "../../packages/server/bin/cocokit-server.js");
let browser: Browser;
const servers: ChildProcess[] = [];
let url: string;
let tmp: string;
let web: string;

/** Starts cocokit-server on a free port and resolves with the URL it prints. */
function startServer(data: string, ...extra: string[]): Promise<string> {
  if (!existsSync(join(ROOT, "../../packages/server/dist")))
    throw new Error("@cocokit/server is not built: pnpm --filter @cocokit/server... build");
  const args = [SERVER_BIN, "--port", "0", "--data", data, "--web", web, "--workers", "1", ...extra];
  const server = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "pipe"] });
  servers.push(server);
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/[^\s"]+)/.exec(output);
      if (match) resolve(match[1]!.replace(/\/?$/, "/"));
    };
    server.stdout!.on("data", onData);
    server.stderr!.on("data", onData);
    server.once("exit", (code) => reject(new Error(`cocokit-server exited with ${code}: ${output}`)));
  });
}

beforeAll(async () => {
  tmp = mkdtempSync(join(tmpdir(), "cocokit-demo-server-"));
  web = join(tmp, "web");
  await build({ root: ROOT, logLevel: "warn", build: { outDir: web, emptyOutDir: true } });
  url = await startServer(join(tmp, "data"));
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  for (const server of servers) {
    if (server.exitCode !== null) continue;
    const exited = new Promise((resolve) => server.once("exit", resolve));
    server.kill("SIGTERM");
    await exited;
  }
  if (tmp) rmSync(tmp, { recursive: true, force: true });
});

describe("server mode", () => {
  it("creates a dataset, imports a file as a job, shows a failed job's issues, exports and downloads", async () => {
    const page = await openPage(browser, url);
    await page.getByTestId("server").waitFor();
    expect(await page.getByTestId("server-version").textContent()).toMatch(/^cocokit-server \d+\.\d+\.\d+/);

    await page.getByTestId("dataset-name").fill("e2e");
    await page.getByTestId("create-dataset").click();
    const row = page.locator('[data-testid="server-dataset"]').filter({ hasText: "e2e" });
    await row.waitFor();
    expect(await row.textContent()).toContain("(80 labels)");
    expect(await row.getAttribute("data-images")).toBe("0");

    const job = page.getByTestId("server-job");
    await page.getByTestId("server-import-input").setInputFiles({
      name: "instances_val.json",
      mimeType: "application/json",
      buffer: Buffer.from(manyImagesJson(12)),
    });
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");
    expect(await job.getAttribute("data-type")).toBe("import");
    await expect.poll(() => row.getAttribute("data-images")).toBe("12");

    // A bad file fails its job; the dataset keeps what it had and the issues carry pointers.
    await page.getByTestId("server-import-input").setInputFiles({
      name: "instances_val.json",
      mimeType: "application/json",
      buffer: Buffer.from(hostileJson()),
    });
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("failed");
    await page.getByTestId("server-issue").first().waitFor();
    const issues = await page
      .getByTestId("server-issue")
      .evaluateAll((els) => els.map((e) => [e.getAttribute("data-code"), e.getAttribute("data-pointer")]));
    expect(issues).toContainEqual(["invalid_bbox", "/annotations/1/bbox/3"]);
    expect(await row.getAttribute("data-images")).toBe("12");

    await page.getByTestId("server-export").click();
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");
    expect(await job.getAttribute("data-type")).toBe("export");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("server-download").click(),
    ]);
    const saved = join(tmp, "export.zip");
    await download.saveAs(saved);
    const zip = await JSZip.loadAsync(readFileSync(saved));
    const names = Object.keys(zip.files).filter((n) => n.endsWith(".json"));
    expect(names.length).toBeGreaterThan(0);
    const entry = zip.file(names[0] ?? "");
    const doc = JSON.parse((await entry?.async("string")) ?? "{}") as { images?: unknown[] };
    expect(doc.images).toHaveLength(12);

    // The export opens in the page: the grid shows the server's dataset.
    await page.getByTestId("server-open-export").click();
    await expect.poll(() => page.getByTestId("status").textContent()).toBe("12 images, 12 annotations");
    expect(await page.getByTestId("grid-count").textContent()).toBe("12 of 12");
    await closePage(page);
  });

  it("asks for the token of a server started with --token and sends it, downloads included", async () => {
    const tokenUrl = await startServer(join(tmp, "data-token"), "--token", "s3cret");
    const page = await openPage(browser, tokenUrl);
    await page.getByTestId("server-token").waitFor();
    expect(await page.getByTestId("create-dataset").count()).toBe(0);
    await page.getByTestId("server-token").fill("s3cret");
    await page.getByTestId("server-token-save").click();
    await page.getByTestId("dataset-name").fill("secured");
    await page.getByTestId("create-dataset").click();
    await page.locator('[data-testid="server-dataset"]').filter({ hasText: "secured" }).waitFor();
    const job = page.getByTestId("server-job");
    await page.getByTestId("server-import-input").setInputFiles({
      name: "instances_val.json",
      mimeType: "application/json",
      buffer: Buffer.from(manyImagesJson(3)),
    });
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");
    await page.getByTestId("server-export").click();
    await expect.poll(() => job.getAttribute("data-type")).toBe("export");
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("server-download").click(),
    ]);
    expect(download.suggestedFilename()).toBe("secured.zip");
    const zip = await JSZip.loadAsync(readFileSync(await download.path()));
    expect(Object.keys(zip.files).some((n) => n.endsWith(".json"))).toBe(true);
    // The token stays for the tab's session: a reload does not ask again.
    await page.reload();
    await page.locator('[data-testid="server-dataset"]').filter({ hasText: "secured" }).waitFor();
    expect(await page.getByTestId("server-token").count()).toBe(0);
    await closePage(page);
  });

  it("uploads resumably, attaches a zip of images, and browses the server dataset page by page", async () => {
    const page = await openPage(browser, url);
    const requests: string[] = [];
    page.on("request", (r) => requests.push(`${r.method()} ${new URL(r.url()).pathname}`));
    await page.getByTestId("dataset-name").fill("media");
    await page.getByTestId("create-dataset").click();
    const row = page.locator('[data-testid="server-dataset"]').filter({ hasText: "media" });
    await row.click();
    const job = page.getByTestId("server-job");
    await page.getByTestId("server-import-input").setInputFiles({
      name: "instances_default.json",
      mimeType: "application/json",
      buffer: Buffer.from(manyImagesJson(30)),
    });
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");
    // The file went up as a tus upload, and the import took it by id.
    expect(requests).toContain("POST /api/uploads");
    expect(requests.some((r) => /^PATCH \/api\/uploads\/[^/]+$/.test(r))).toBe(true);

    const zip = new JSZip();
    for (let i = 1; i <= 30; i++) zip.file(`images/img_${i}.png`, gradientPng(64, 48));
    await page.getByTestId("server-media-input").setInputFiles({
      name: "images.zip",
      mimeType: "application/zip",
      buffer: Buffer.from(await zip.generateAsync({ type: "uint8array" })),
    });
    await expect.poll(() => job.getAttribute("data-type"), { timeout: 60_000 }).toBe("media");
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 60_000 }).toBe("finished");

    await page.getByTestId("server-browse").click();
    const status = page.getByTestId("server-items-status");
    await expect.poll(() => status.textContent()).toBe("1–24 of 30 images");
    const cards = page.getByTestId("server-item");
    expect(await cards.count()).toBe(24);
    const first = cards.first();
    await expect.poll(() => first.getAttribute("data-has-image")).toBe("true");
    expect(await first.getByTestId("overlay").count()).toBe(1);
    expect(await first.getByRole("img", { name: "img_1.png" }).count()).toBe(1);

    await page.getByTestId("server-items-next").click();
    await expect.poll(() => status.textContent()).toBe("25–30 of 30 images");
    expect(await cards.count()).toBe(6);
    expect(await cards.first().getAttribute("data-image-id")).toBe("25");
    expect(await page.getByTestId("server-items-next").isDisabled()).toBe(true);
    await page.getByTestId("server-items-prev").click();
    await expect.poll(() => status.textContent()).toBe("1–24 of 30 images");
    await closePage(page);
  });

  it("cancels a running import from the page; the dataset keeps what it had", async () => {
    const page = await openPage(browser, url);
    await page.getByTestId("dataset-name").fill("cancel");
    await page.getByTestId("create-dataset").click();
    const row = page.locator('[data-testid="server-dataset"]').filter({ hasText: "cancel" });
    await row.click();
    const job = page.getByTestId("server-job");
    await page.getByTestId("server-import-input").setInputFiles({
      name: "instances_default.json",
      mimeType: "application/json",
      buffer: Buffer.from(manyImagesJson(150_000)),
    });
    await page.getByTestId("server-cancel").click({ timeout: 60_000 });
    await expect.poll(() => job.getAttribute("data-status"), { timeout: 30_000 }).toBe("cancelled");
    expect(await page.getByTestId("server-cancel").count()).toBe(0);
    expect(await row.getAttribute("data-images")).toBe("0");
    await closePage(page);
  });
});
