// Bench: a val2017-sized instances file (5,000 images, ~36k annotations) opened in headless
// Chromium through the file input. Times, per run on a fresh page:
//   grid:  setInputFiles -> the first grid with its overlays: the first card's polygon drawn
//          with its points (which the card asks the worker for; a JSON-only file has
//          placeholders for images); also when the first card alone was in the DOM,
//   view:  click on the first card -> the image view with its overlays drawn,
// and memory: the renderer process's peak RSS (VmHWM from /proc; the page and its dataset worker
// share that process) and, in one more run, the worker's peak used JS heap, sampled every 50 ms
// over CDP (Runtime.getHeapUsage on the worker target; measureUserAgentSpecificMemory needs
// cross-origin isolation). The sampled run is not timed.
// Usage: node bench/first-grid.mjs   (COCOKIT_BENCH_REPEAT=n, default 3; CHROMIUM_PATH)
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { buildAndPreview } from "../e2e/preview.mjs";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const GENERATOR = fileURLToPath(new URL("../../../../shared/tools/gen_coco_eval.py", import.meta.url));
const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
const REPEAT = Number(process.env.COCOKIT_BENCH_REPEAT ?? 3);
const GOAL_MS = 1500;

/** The instances ground truth of gen_coco_eval.py --images 5000 --seed 1, made once. */
function workload() {
  const dir = join(tmpdir(), "cocokit-bench", "eval-5000-seed1");
  const path = join(dir, "instances_gt.json");
  if (!existsSync(path)) {
    const partial = `${dir}.partial`;
    mkdirSync(partial, { recursive: true });
    execFileSync("python3", [GENERATOR, partial, "--images", "5000", "--seed", "1"], { stdio: "inherit" });
    renameSync(partial, dir);
  }
  return path;
}

function servePage() {
  return buildAndPreview(join(ROOT, "node_modules/.bench-dist"));
}

/** Chromium renderer processes (pid -> cmdline), read from /proc. */
function renderers() {
  const found = new Map();
  for (const name of readdirSync("/proc")) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const cmd = readFileSync(`/proc/${name}/cmdline`, "utf8");
      if (cmd.includes("--type=renderer")) found.set(Number(name), cmd);
    } catch {}
  }
  return found;
}

function peakRssMb(pid) {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8");
    return Number(/VmHWM:\s+(\d+) kB/.exec(status)[1]) / 1024;
  } catch {
    return Number.NaN;
  }
}

/**
 * Samples the used JS heap of the page's dedicated worker over CDP until `stop()`, which
 * resolves with the largest samples in MB: the used heap, and the heap plus ArrayBuffer backing
 * stores (the file's bytes live there, outside the heap).
 */
async function sampleWorkerHeap(browser, pageUrl) {
  const cdp = await browser.newBrowserCDPSession();
  const { targetInfos } = await cdp.send("Target.getTargets");
  const origin = new URL(pageUrl).origin;
  const worker = targetInfos.find((t) => t.type === "worker" && t.url.startsWith(origin));
  if (!worker) throw new Error("the page's worker target was not found");
  // The non-flattened session: messages to the worker go through Target.sendMessageToTarget.
  const { sessionId } = await cdp.send("Target.attachToTarget", {
    targetId: worker.targetId,
    flatten: false,
  });
  let peak = 0;
  let peakWithBuffers = 0;
  let next = 1;
  cdp.on("Target.receivedMessageFromTarget", (event) => {
    const reply = JSON.parse(event.message);
    const usage = reply.result;
    if (!usage?.usedSize) return;
    peak = Math.max(peak, usage.usedSize);
    peakWithBuffers = Math.max(peakWithBuffers, usage.usedSize + (usage.backingStorageSize ?? 0));
  });
  const ask = () =>
    cdp
      .send("Target.sendMessageToTarget", {
        sessionId,
        message: JSON.stringify({ id: next++, method: "Runtime.getHeapUsage" }),
      })
      .catch(() => {});
  const timer = setInterval(ask, 50);
  return {
    stop: async () => {
      clearInterval(timer);
      await ask();
      await new Promise((resolve) => setTimeout(resolve, 100));
      await cdp.detach();
      return { heap: peak / 2 ** 20, withBuffers: peakWithBuffers / 2 ** 20 };
    },
  };
}

async function workerPeak(browser, url, file) {
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(url);
  await page.getByTestId("status").waitFor();
  const sampler = await sampleWorkerHeap(browser, url);
  await page.getByTestId("open-input").setInputFiles(file);
  await page.getByTestId("image-card").first().waitFor({ timeout: 120_000 });
  await page.getByTestId("image-card").first().click();
  await page.getByTestId("overlay").first().waitFor();
  const peak = await sampler.stop();
  await page.close();
  return peak;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function run(browser, url, file) {
  const before = renderers();
  const page = await browser.newPage({ viewport: { width: 1200, height: 800 } });
  await page.goto(url);
  await page.getByTestId("status").waitFor();
  const pids = [...renderers().keys()].filter((pid) => !before.has(pid));
  // In the page: when the input's change fires, and when the first card is in the DOM.
  await page.evaluate(() => {
    const marks = {};
    window.benchMarks = marks;
    document.addEventListener(
      "change",
      () => {
        marks.change = performance.now();
      },
      { capture: true },
    );
    new MutationObserver(() => {
      if (!marks.cards && document.querySelector("[data-testid=image-card]")) marks.cards = performance.now();
      if (!marks.overlays && document.querySelector('[data-testid=image-card] polygon:not([points=""])'))
        marks.overlays = performance.now();
    }).observe(document.body, {
      subtree: true,
      childList: true,
      attributes: true,
      attributeFilter: ["points"],
    });
  });
  const t0 = performance.now();
  await page.getByTestId("open-input").setInputFiles(file);
  await page
    .locator('[data-testid=image-card] polygon:not([points=""])')
    .first()
    .waitFor({ timeout: 120_000 });
  const grid = performance.now() - t0;
  const marks = await page.evaluate(() => window.benchMarks);
  const t1 = performance.now();
  await page.getByTestId("image-card").first().click();
  await page.locator("[data-testid=image-view] [data-testid=overlay]").first().waitFor();
  const view = performance.now() - t1;
  const overlays = await page.locator("[data-testid=image-view] [data-testid=overlay]").count();
  const status = await page.getByTestId("status").textContent();
  const rss = Math.max(...pids.map(peakRssMb));
  await page.close();
  return {
    grid,
    inPage: marks.overlays - marks.change,
    cards: marks.cards - marks.change,
    view,
    overlays,
    status,
    rss,
  };
}

const file = workload();
const site = await servePage();
if (!existsSync(CHROMIUM)) throw new Error(`Chromium not found at ${CHROMIUM} (set CHROMIUM_PATH)`);
const browser = await chromium.launch({
  executablePath: CHROMIUM,
  args: ["--headless", "--no-sandbox", "--disable-gpu"],
});
try {
  const runs = [];
  for (let i = 0; i < REPEAT; i++) runs.push(await run(browser, site.url, file));
  const heap = await workerPeak(browser, site.url, file);
  const mb = (statSync(file).size / 1e6).toFixed(1);
  console.log(`\ndemo first grid: ${file} (${mb} MB; ${runs[0].status}), median of ${REPEAT}`);
  const rows = [
    ["setInputFiles -> first grid with overlays", median(runs.map((r) => r.grid)), "ms"],
    ["  of which in page: change -> overlays drawn", median(runs.map((r) => r.inPage)), "ms"],
    ["  in page: change -> first card in the DOM", median(runs.map((r) => r.cards)), "ms"],
    ["card click -> image view with overlays", median(runs.map((r) => r.view)), "ms"],
    ["renderer peak RSS (VmHWM, page + worker)", median(runs.map((r) => r.rss)), "MB"],
    ["worker peak used JS heap (CDP, 50 ms samples)", heap.heap, "MB"],
    ["  the same with ArrayBuffer backing stores", heap.withBuffers, "MB"],
  ];
  for (const [what, value, unit] of rows)
    console.log(`${what.padEnd(46)} ${value.toFixed(0).padStart(7)} ${unit}`);
  const grid = rows[0][1];
  console.log(`goal < ${GOAL_MS} ms to first grid: ${grid < GOAL_MS ? "met" : "NOT met"}`);
} finally {
  await browser.close();
  site.close();
}
