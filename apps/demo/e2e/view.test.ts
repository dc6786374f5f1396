// The grid's filters (subset, crowd, problems), the image view's layers (B/M/K, opacity,
// categories), hover between overlays and the inspector, and the export form's options.
import { mkdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { cvatZip, type ZipFixture } from "../test/fixtures.js";
import { ARTIFACTS } from "./browser.js";
import { closePage, openFile, sharedBrowser } from "./session.js";

let fixture: ZipFixture;
const session = sharedBrowser();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  fixture = await cvatZip();
});

// One image: annotation 1 a box with its polygon, a score and an attribute; 2 a crowd RLE mask.
const scored = JSON.stringify({
  images: [{ id: 1, file_name: "a.png", width: 40, height: 30 }],
  categories: [
    { id: 1, name: "cat" },
    { id: 2, name: "dog" },
  ],
  annotations: [
    {
      id: 1,
      image_id: 1,
      category_id: 1,
      bbox: [2, 2, 10, 10],
      area: 50,
      iscrowd: 0,
      segmentation: [[2, 2, 12, 2, 12, 12]],
      score: 0.75,
      attributes: { occluded: true },
    },
    {
      id: 2,
      image_id: 1,
      category_id: 2,
      bbox: [0, 0, 4, 4],
      area: 16,
      iscrowd: 1,
      segmentation: { size: [30, 40], counts: [0, 4, 26, 4, 26, 4, 26, 4, 1106] },
    },
  ],
});

describe("filters, layers and export options", () => {
  it("filters the grid by subset, crowd and problems", async () => {
    const page = await session.open();
    await openFile(page, "fixture.zip", fixture.bytes, /images/);
    const count = page.getByTestId("grid-count");
    const total = await page.getByTestId("image-card").count();
    await page.getByTestId("subset-filter").selectOption("=val");
    await expect.poll(() => count.textContent()).toBe(`1 of ${total}`);
    expect(await page.getByTestId("image-card").getAttribute("data-subset")).toBe("val");
    await page.getByTestId("subset-filter").selectOption("");
    await page.getByTestId("crowd-filter").selectOption("crowd");
    // b.png (val) holds the one crowd mask of the fixture.
    await expect.poll(() => count.textContent()).toBe(`1 of ${total}`);
    expect(await page.getByTestId("image-card").getAttribute("data-subset")).toBe("val");
    await page.getByTestId("crowd-filter").selectOption("no-crowd");
    await expect.poll(() => count.textContent()).toBe(`${total - 1} of ${total}`);
    await page.getByTestId("crowd-filter").selectOption("any");
    await page.getByTestId("problems-filter").check();
    const withProblems = await page.getByTestId("image-card").count();
    expect(await count.textContent()).toBe(`${withProblems} of ${total}`);
    expect(withProblems).toBeLessThan(total);
    await closePage(page);
  });

  it("switches kinds with B, M and K, fades fills, hides a category, and links hover both ways", async () => {
    const page = await session.open();
    await openFile(page, "instances_default.json", scored, "1 images, 2 annotations");
    await page.getByTestId("image-card").click();
    await page.getByTestId("image-view").waitFor();
    const overlays = page.getByTestId("overlay");
    expect(await overlays.count()).toBe(2);
    expect(
      await page
        .locator("[data-testid=overlay][data-crowd=true] rect[data-kind=box]")
        .getAttribute("stroke-dasharray"),
    ).toBeTruthy();
    const rects = page.locator("[data-testid=overlay] rect[data-kind=box]");
    expect(await rects.count()).toBe(2);
    await page.keyboard.press("b");
    await expect.poll(() => rects.count()).toBe(0);
    expect(await page.locator('[data-testid=kind-toggle][data-kind="boxes"]').isChecked()).toBe(false);
    await page.keyboard.press("m");
    // Nothing left to draw: both objects had only boxes and masks.
    await expect.poll(() => overlays.count()).toBe(0);
    await page.keyboard.press("b");
    await page.keyboard.press("m");
    await expect.poll(() => overlays.count()).toBe(2);

    const polygon = page.locator("[data-testid=overlay] polygon");
    expect(Number(await polygon.getAttribute("fill-opacity"))).toBeCloseTo(0.3);
    await page.getByTestId("opacity").fill("0.5");
    await expect.poll(async () => Number(await polygon.getAttribute("fill-opacity"))).toBeCloseTo(0.15);

    await page.locator('[data-testid=view-category-toggle][data-category-id="2"]').uncheck();
    await expect.poll(() => overlays.count()).toBe(1);
    expect(await overlays.getAttribute("data-annotation-id")).toBe("1");
    await page.locator('[data-testid=view-category-toggle][data-category-id="2"]').check();

    await page.locator('[data-testid=overlay][data-annotation-id="1"]').hover();
    await expect
      .poll(() =>
        page.locator('[data-testid=inspector-entry][data-annotation-id="1"]').getAttribute("data-hovered"),
      )
      .toBe("true");
    await page.locator('[data-testid=inspector-entry][data-annotation-id="2"]').hover();
    await expect
      .poll(() =>
        page.locator('[data-testid=overlay][data-annotation-id="2"]').getAttribute("data-highlighted"),
      )
      .toBe("true");
    await page.locator('[data-testid=inspector-entry][data-annotation-id="1"] button').click();
    expect(await page.getByTestId("inspector-score").textContent()).toBe("0.75");
    const attribute = page.locator('[data-testid=inspector-attribute][data-name="occluded"]');
    expect(await attribute.textContent()).toBe("occludedtrue");
    await page.screenshot({ path: join(ARTIFACTS, "layers.png") });
    await closePage(page);
  });

  it("exports with the chosen task files and without images", async () => {
    const page = await session.open();
    await openFile(page, "fixture.zip", fixture.bytes, /images/);
    await page.getByTestId("export-options").locator("summary").click();
    expect(await page.locator('[data-testid=export-task][data-task="instances"]').isChecked()).toBe(true);
    await page.locator('[data-testid=export-task][data-task="instances"]').uncheck();
    await page.getByTestId("export-save-images").uncheck();
    await page.getByTestId("export-segmentation").selectOption("mask");
    await page.screenshot({ path: join(ARTIFACTS, "export-options.png") });
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-button").click(),
    ]);
    const zip = await JSZip.loadAsync(readFileSync(await download.path()));
    const names = Object.keys(zip.files).filter((n) => !n.endsWith("/"));
    expect(names.every((n) => n.startsWith("annotations/person_keypoints_"))).toBe(true);
    expect(names.length).toBe(3);
    await closePage(page);
  });
});
