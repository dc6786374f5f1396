// The page in a real browser: open files, grid, overlays, filters, problems, export and re-open.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { area, type CocoRle, fromSegmentation } from "@cocokit/rle";
import JSZip from "jszip";
import { beforeAll, describe, expect, it } from "vitest";
import { countsOf, cvatZip, hostileJson, manyImagesJson, type ZipFixture } from "../test/fixtures.js";
import { ARTIFACTS } from "./browser.js";
import { closePage, openFile, sharedBrowser } from "./session.js";

let fixture: ZipFixture;

const session = sharedBrowser();
const openPage = () => session.open();

beforeAll(async () => {
  mkdirSync(ARTIFACTS, { recursive: true });
  fixture = await cvatZip();
  writeFileSync(join(ARTIFACTS, "fixture.zip"), fixture.bytes);
});

const statusOf = (counts: { images: number; annotations: number }) =>
  `${counts.images} images, ${counts.annotations} annotations`;

describe("the demo page", () => {
  it("opens a zip: cards, images, placeholders, overlays per image, category filter", async () => {
    const page = await openPage();
    const counts = countsOf(fixture.files);
    await openFile(page, "fixture.zip", fixture.bytes, statusOf(counts));
    const cards = page.getByTestId("image-card");
    expect(await cards.count()).toBe(counts.images);
    expect(await page.getByTestId("grid-count").textContent()).toBe(`${counts.images} of ${counts.images}`);
    // Images from the zip are drawn; the one left out is a grey placeholder with its name.
    await expect.poll(() => page.locator(".card img").count()).toBe(counts.images - fixture.missing.length);
    expect(await page.getByTestId("placeholder").allTextContents()).toEqual(fixture.missing);
    // Each card draws its image's annotations; polygons get their points from the worker.
    for (const [path, doc] of Object.entries(fixture.files)) {
      const subset = path.slice(path.lastIndexOf("_") + 1, -".json".length);
      for (const image of doc.images) {
        const card = page.locator(
          `[data-testid="image-card"][data-subset="${subset}"][data-image-id="${image.id}"]`,
        );
        const expected = doc.annotations.filter((a) => a.image_id === image.id).map((a) => String(a.id));
        const ids = () =>
          card
            .getByTestId("overlay")
            .evaluateAll((els) => els.map((e) => e.getAttribute("data-annotation-id")));
        await expect.poll(ids).toEqual(expected);
      }
    }
    const gridPolygon = page.locator('[data-testid="image-card"][data-subset="val"] polygon');
    await expect.poll(() => gridPolygon.getAttribute("points")).toMatch(/^\d+(\.\d+)?,\d+/);
    await page.screenshot({ path: join(ARTIFACTS, "grid.png") });

    // Every image shows one overlay per annotation of the file, keyed by annotation id.
    for (const [path, doc] of Object.entries(fixture.files)) {
      const subset = path.slice(path.lastIndexOf("_") + 1, -".json".length);
      for (const image of doc.images) {
        const expected = doc.annotations.filter((a) => a.image_id === image.id).map((a) => String(a.id));
        await page
          .locator(`[data-testid="image-card"][data-subset="${subset}"][data-image-id="${image.id}"]`)
          .click();
        await page.getByTestId("image-view").waitFor();
        const ids = await page
          .getByTestId("overlay")
          .evaluateAll((els) => els.map((e) => e.getAttribute("data-annotation-id")));
        expect(ids).toEqual(expected);
        if (doc.categories.some((c) => c.skeleton)) {
          // Keypoints [0,0,0, 0,2,1, 4,1,2]: the v=0 point is hidden, v=1 hollow, v=2 filled, one edge.
          const vis = await page
            .locator("circle")
            .evaluateAll((els) => els.map((e) => e.getAttribute("data-visibility")));
          expect(vis).toEqual(["1", "2"]);
          expect(await page.locator("[data-testid=overlay] line").count()).toBe(1);
          await page.screenshot({ path: join(ARTIFACTS, "keypoints.png") });
        }
        if (image.file_name === "b.png") {
          // val's image: annotation 1 is a polygon (with its box), annotation 2 a crowd RLE mask.
          expect(await page.locator('[data-annotation-id="1"] polygon').count()).toBe(1);
          // Its points come from the worker on request (the page holds the dataset in outline).
          expect(await page.locator('[data-annotation-id="1"] polygon').getAttribute("points")).toMatch(
            /^\d+(\.\d+)?,\d+(\.\d+)?( \d+(\.\d+)?,\d+(\.\d+)?){2,}$/,
          );
          expect(await page.locator('[data-annotation-id="1"] rect[data-kind=box]').count()).toBe(1);
          // The crowd RLE is drawn as a bitmap: as many opaque pixels as the mask has.
          const crowd = doc.annotations.find((a) => a.id === 2) as unknown as { segmentation: CocoRle };
          const expected = area(fromSegmentation(crowd.segmentation, image.height, image.width));
          const painted = await page.locator('[data-annotation-id="2"] mask image').evaluate(async (el) => {
            const img = new Image();
            img.src = el.getAttribute("href") ?? "";
            await img.decode();
            const canvas = Object.assign(document.createElement("canvas"), {
              width: img.width,
              height: img.height,
            });
            const context = canvas.getContext("2d")!;
            context.drawImage(img, 0, 0);
            const data = context.getImageData(0, 0, img.width, img.height).data;
            let opaque = 0;
            for (let i = 3; i < data.length; i += 4) if (data[i] === 255) opaque++;
            return opaque;
          });
          expect(painted).toBe(expected);
          expect(expected).toBeGreaterThan(0);
          await page.screenshot({ path: join(ARTIFACTS, "image-view.png") });
        }
        await page.keyboard.press("Escape");
        await page.getByTestId("grid").waitFor();
      }
    }

    // Category "a" (id 1) is only on val's image.
    await page.locator('[data-testid="category-toggle"][data-category-id="1"]').check();
    await expect.poll(() => page.getByTestId("grid-count").textContent()).toBe(`1 of ${counts.images}`);
    expect(await cards.evaluateAll((els) => els.map((e) => e.getAttribute("data-image-id")))).toEqual(["40"]);
    await page.locator('[data-testid="category-toggle"][data-category-id="1"]').uncheck();
    await page.getByTestId("search").fill("c.png");
    await expect.poll(() => page.getByTestId("grid-count").textContent()).toBe(`1 of ${counts.images}`);
    await closePage(page);
  });

  it("steps through images with the arrow keys and shows the inspector", async () => {
    const page = await openPage();
    await openFile(page, "fixture.zip", fixture.bytes, statusOf(countsOf(fixture.files)));
    const first = page.getByTestId("image-card").first();
    const firstId = await first.getAttribute("data-image-id");
    await first.click();
    expect(await page.getByTestId("image-view").getAttribute("data-image-id")).toBe(firstId);
    const viewed = () => page.getByTestId("image-view").getAttribute("data-image-id");
    const subsetViewed = () => page.getByTestId("image-view").getAttribute("data-subset");
    const firstSubset = await subsetViewed();
    await page.keyboard.press("ArrowRight");
    await expect.poll(subsetViewed).not.toBe(firstSubset);
    await page.keyboard.press("ArrowLeft");
    await expect.poll(subsetViewed).toBe(firstSubset);
    expect(await viewed()).toBe(firstId);
    await page.locator("[data-testid=inspector] li button").first().click();
    expect(await page.getByTestId("inspector-detail").textContent()).toMatch(
      /^id\d+category.+bbox.+area.+iscrowd[01]score(—|[\d.]+)/,
    );
    await closePage(page);
  });

  it("opens a hostile file leniently and follows an issue to its annotation", async () => {
    const page = await openPage();
    await openFile(page, "instances_val.json", hostileJson(), "1 images, 1 annotations");
    await page.getByTestId("tab-problems").click();
    const issues = page.getByTestId("validation-issue");
    expect(await issues.evaluateAll((els) => els.map((e) => [e.dataset.code, e.dataset.pointer]))).toEqual([
      ["invalid_bbox", "/annotations/1/bbox/3"],
      ["bbox_out_of_bounds", "/annotations/0/bbox"],
    ]);
    // The skipped record's issue has nothing to open; the kept one links to its annotation.
    expect(
      await page
        .locator('[data-testid="validation-issue"][data-pointer="/annotations/1/bbox/3"] button')
        .count(),
    ).toBe(0);
    await page.screenshot({ path: join(ARTIFACTS, "problems.png") });
    await page.locator('[data-testid="validation-issue"][data-pointer="/annotations/0/bbox"] button').click();
    await page.getByTestId("image-view").waitFor();
    expect(await page.getByTestId("image-view").getAttribute("data-image-id")).toBe("40");
    const highlighted = page.locator('[data-testid="overlay"][data-highlighted="true"]');
    expect(await highlighted.getAttribute("data-annotation-id")).toBe("1");
    expect(await page.getByTestId("inspector-detail").textContent()).toBe(
      "id1categorya (1)bbox0, 0, 100, 100area2iscrowd0score—x1yhello",
    );

    // A truncated file still loads what it can, and says where it broke.
    const truncated = hostileJson().slice(0, 400);
    await openFile(page, "instances_val.json", truncated, /^1 images, \d+ annotations$/);
    await page.getByTestId("tab-problems").click();
    expect(await issues.first().getAttribute("data-code")).toBe("malformed_json");
    await closePage(page);
  });

  it("opens a dropped file, shows progress while it loads, and cancels", async () => {
    const page = await openPage();
    // Record every phase the progress bar shows, and press Cancel the moment it shows (before
    // the worker can finish a 100,000-image file).
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { phases: string[] }).phases = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLElement>("[data-testid=progress]");
        if (!bar) return;
        seen.push(bar.dataset.phase ?? "");
        const cancel = document.querySelector<HTMLButtonElement>("[data-testid=cancel-button]");
        if ((window as unknown as { cancelNext?: boolean }).cancelNext) {
          (window as unknown as { cancelNext?: boolean }).cancelNext = false;
          cancel?.click();
        }
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const drop = async (name: string, text: string) => {
      const transfer = await page.evaluateHandle(
        ([n, t]) => {
          const data = new DataTransfer();
          data.items.add(new File([t!], n!, { type: "application/json" }));
          return data;
        },
        [name, text],
      );
      await page.getByTestId("drop-zone").dispatchEvent("drop", { dataTransfer: transfer });
    };

    await drop("instances_val.json", hostileJson());
    await expect.poll(() => page.getByTestId("status").textContent()).toBe("1 images, 1 annotations");
    expect(
      await page.evaluate(() => (window as unknown as { phases: string[] }).phases.length),
    ).toBeGreaterThan(0);
    expect(await page.getByTestId("progress").count()).toBe(0);

    await page.evaluate(() => {
      (window as unknown as { cancelNext?: boolean }).cancelNext = true;
    });
    await drop("big.json", manyImagesJson(100_000));
    // A loaded machine can take seconds to deliver the click and the worker's abort: wait for the
    // outcome, whatever the time (the file finishing first would read "100000 images" and fail).
    await expect.poll(() => page.getByTestId("message").textContent(), { timeout: 30_000 }).toBe("cancelled");
    // The dataset opened before stays.
    expect(await page.getByTestId("status").textContent()).toBe("1 images, 1 annotations");
    expect(await page.getByTestId("progress").count()).toBe(0);
    await closePage(page);
  });

  it("keeps the DOM small for 5,000 images", async () => {
    const page = await openPage();
    await openFile(page, "big.json", manyImagesJson(5000), "5000 images, 5000 annotations");
    expect(await page.getByTestId("grid-count").textContent()).toBe("5000 of 5000");
    const rendered = await page.getByTestId("image-card").count();
    expect(rendered).toBeGreaterThan(0);
    expect(rendered).toBeLessThan(100);
    await page.getByTestId("grid").evaluate((el) => el.scrollTo(0, el.scrollHeight));
    await page.locator('[data-testid="image-card"][data-image-id="5000"]').waitFor();
    expect(await page.getByTestId("image-card").count()).toBeLessThan(100);
    expect(await page.locator("*").count()).toBeLessThan(1000);
    await closePage(page);
  });

  it("exports a CVAT-layout zip that opens again with the same counts", async () => {
    const page = await openPage();
    const status = statusOf(countsOf(fixture.files));
    await openFile(page, "fixture.zip", fixture.bytes, status);
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-button").click(),
    ]);
    const saved = join(ARTIFACTS, download.suggestedFilename());
    await download.saveAs(saved);
    expect(download.suggestedFilename()).toBe("fixture-cvat.zip");
    const bytes = readFileSync(saved);
    const zip = await JSZip.loadAsync(bytes);
    const names = Object.keys(zip.files).filter((n) => !n.endsWith("/"));
    expect(names).toEqual(
      expect.arrayContaining([
        "annotations/instances_train.json",
        "annotations/instances_val.json",
        "annotations/person_keypoints_kp.json",
        "images/train/a.png",
        "images/kp/c.png",
      ]),
    );
    await page.reload();
    await openFile(page, "fixture-cvat.zip", bytes, status);
    expect(await page.getByTestId("image-card").count()).toBe(countsOf(fixture.files).images);
    expect(await page.getByTestId("placeholder").allTextContents()).toEqual(fixture.missing);
    await closePage(page);
  });
});
