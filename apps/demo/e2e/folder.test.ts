// Opening a folder (annotations/ and images/ on disk) through the directory picker and by
// dropping it: the same dataset and images as the zip of the same files.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import JSZip from "jszip";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { countsOf, cvatZip, type ZipFixture } from "../test/fixtures.js";
import { closePage, sharedBrowser } from "./session.js";

let fixture: ZipFixture;
let folder: string;
const session = sharedBrowser();

beforeAll(async () => {
  fixture = await cvatZip();
  folder = join(mkdtempSync(join(tmpdir(), "cocokit-folder-")), "my_dataset");
  const zip = await JSZip.loadAsync(fixture.bytes);
  for (const entry of Object.values(zip.files)) {
    if (entry.dir) continue;
    const path = join(folder, entry.name);
    mkdirSync(dirname(path), { recursive: true });
    writeFileSync(path, await entry.async("uint8array"));
  }
});

afterAll(() => rmSync(dirname(folder), { recursive: true, force: true }));

const expectedStatus = () => {
  const counts = countsOf(fixture.files);
  return `${counts.images} images, ${counts.annotations} annotations`;
};

describe("opening a folder", () => {
  it("opens a folder picked with the directory input, images included", async () => {
    const page = await session.open();
    await page.getByTestId("open-folder").setInputFiles(folder);
    await expect
      .poll(() => page.getByTestId("status").textContent(), { timeout: 60_000 })
      .toBe(expectedStatus());
    const images = countsOf(fixture.files).images;
    await expect.poll(() => page.locator(".card img").count()).toBe(images - fixture.missing.length);
    expect(await page.getByTestId("placeholder").allTextContents()).toEqual(fixture.missing);
    await closePage(page);
  });

  it("opens a dropped folder", async () => {
    const page = await session.open();
    const zone = await page.getByTestId("drop-zone").boundingBox();
    const cdp = await page.context().newCDPSession(page);
    const at = { x: zone!.x + 20, y: zone!.y + 10 };
    const data = { items: [], files: [folder], dragOperationsMask: 1 };
    await cdp.send("Input.dispatchDragEvent", { type: "dragEnter", ...at, data });
    await cdp.send("Input.dispatchDragEvent", { type: "dragOver", ...at, data });
    await cdp.send("Input.dispatchDragEvent", { type: "drop", ...at, data });
    await expect
      .poll(() => page.getByTestId("status").textContent(), { timeout: 60_000 })
      .toBe(expectedStatus());
    await expect.poll(() => page.locator(".card img").count()).toBeGreaterThan(0);
    await closePage(page);
  });
});
