// The stats tab in a real browser: its bars carry the counts of the file that was opened.
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { countsOf, cvatZip } from "../test/fixtures.js";
import { closePage, openFile, sharedBrowser } from "./session.js";

const session = sharedBrowser();

/** [key, value] of every bar of one chart, top to bottom. */
const barsOf = (page: Page, chart: string) =>
  page
    .locator(`[data-testid="stats-chart"][data-chart="${chart}"] [data-testid="stats-bar"]`)
    .evaluateAll((els) => els.map((e) => [e.getAttribute("data-key"), Number(e.getAttribute("data-value"))]));

describe("the stats tab", () => {
  it("charts annotations per category (most first) and per COCO area range", async () => {
    const box = (area: number) => [0, 0, 10, 10, area] as const;
    const doc = {
      images: [{ id: 1, file_name: "1.jpg", width: 640, height: 480 }],
      categories: [
        { id: 1, name: "cat" },
        { id: 2, name: "dog" },
        { id: 3, name: "unused" },
      ],
      annotations: [box(10), box(1024), box(9215.5), box(9216), box(50_000)].map(([x, y, w, h, area], i) => ({
        id: i + 1,
        image_id: 1,
        category_id: i === 0 ? 1 : 2,
        bbox: [x, y, w, h],
        area,
        iscrowd: 0,
        segmentation: [[0, 0, 10, 0, 10, 10]],
      })),
    };
    const page = await session.open();
    await openFile(page, "instances_val.json", JSON.stringify(doc), "1 images, 5 annotations");
    await page.getByTestId("tab-stats").click();
    expect(await barsOf(page, "areas")).toEqual([
      ["small", 1],
      ["medium", 2],
      ["large", 2],
    ]);
    expect(await barsOf(page, "categories")).toEqual([
      ["2", 4],
      ["1", 1],
      ["3", 0],
    ]);
    expect(await barsOf(page, "subsets")).toEqual([["val", 5]]);
    // The longest bar is the largest count.
    const widths = await page
      .locator('[data-chart="categories"] rect')
      .evaluateAll((els) => els.map((e) => Number(e.getAttribute("width"))));
    expect(widths[0]).toBeGreaterThan(widths[1]!);
    expect(widths[2]).toBe(0);
    await closePage(page);
  });

  it("counts annotations per subset of a zip", async () => {
    const fixture = await cvatZip();
    const counts = countsOf(fixture.files);
    const page = await session.open();
    await openFile(
      page,
      "fixture.zip",
      fixture.bytes,
      `${counts.images} images, ${counts.annotations} annotations`,
    );
    await page.getByTestId("tab-stats").click();
    const expected = Object.entries(fixture.files).map(([path, doc]) => [
      path.slice(path.lastIndexOf("_") + 1, -".json".length),
      doc.annotations.length,
    ]);
    expect((await barsOf(page, "subsets")).sort()).toEqual(expected.sort());
    await closePage(page);
  });
});
