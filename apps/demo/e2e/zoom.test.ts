// Zoom and pan of the image view in a real browser: overlays scale and move with the image.
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { countsOf, cvatZip } from "../test/fixtures.js";
import { closePage, openFile, sharedBrowser } from "./session.js";

const session = sharedBrowser();

const rectOf = async (locator: Locator) => {
  const box = await locator.evaluate((e) => e.getBoundingClientRect().toJSON());
  return box as { x: number; y: number; width: number; height: number };
};

/** The overlay's box relative to the image's box, as fractions: equal when they are aligned. */
async function relative(page: Page, overlay: Locator) {
  const o = await rectOf(overlay);
  const s = await rectOf(page.locator(".stage-image"));
  return [(o.x - s.x) / s.width, (o.y - s.y) / s.height, o.width / s.width, o.height / s.height].map(
    (v) => +v.toFixed(4),
  );
}

describe("zoom and pan in the image view", () => {
  it("scales overlays with the image (buttons, keys, wheel) and moves them with a drag", async () => {
    const fixture = await cvatZip();
    const counts = countsOf(fixture.files);
    const page = await session.open();
    await openFile(
      page,
      "fixture.zip",
      fixture.bytes,
      `${counts.images} images, ${counts.annotations} annotations`,
    );
    await page.locator('[data-testid="image-card"][data-subset="val"]').first().click();
    const overlay = page.locator('[data-testid="overlay"][data-annotation-id="1"]');
    await overlay.waitFor();
    const fitted = await rectOf(overlay);
    const aligned = await relative(page, overlay);
    expect(await page.getByTestId("zoom-level").textContent()).toBe("100%");

    await page.getByTestId("zoom-in").click();
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).toBe("150%");
    const zoomed = await rectOf(overlay);
    expect(zoomed.width / fitted.width).toBeCloseTo(1.5, 2);
    expect(zoomed.height / fitted.height).toBeCloseTo(1.5, 2);
    expect(await relative(page, overlay)).toEqual(aligned);

    await page.keyboard.press("+");
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).toBe("225%");
    expect((await rectOf(overlay)).width / fitted.width).toBeCloseTo(2.25, 2);

    await page.keyboard.press("0");
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).toBe("100%");
    expect(await rectOf(overlay)).toEqual(fitted);

    // The wheel zooms about the pointer: the overlay's centre stays under it.
    const [ox, oy] = [fitted.x + fitted.width / 2, fitted.y + fitted.height / 2];
    await page.mouse.move(ox, oy);
    await page.mouse.wheel(0, -100);
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).toBe("150%");
    const wheeled = await rectOf(overlay);
    expect(wheeled.width / fitted.width).toBeCloseTo(1.5, 2);
    expect(wheeled.x + wheeled.width / 2).toBeCloseTo(ox, 0);
    expect(wheeled.y + wheeled.height / 2).toBeCloseTo(oy, 0);
    expect(await relative(page, overlay)).toEqual(aligned);

    // A drag that starts on an overlay moves image and overlay by the same amount, and does not
    // select the overlay.
    await page.mouse.down();
    await page.mouse.move(ox - 40, oy - 30, { steps: 4 });
    await page.mouse.up();
    await expect.poll(async () => (await rectOf(overlay)).x).toBeCloseTo(wheeled.x - 40, 0);
    expect((await rectOf(overlay)).y).toBeCloseTo(wheeled.y - 30, 0);
    expect(await relative(page, overlay)).toEqual(aligned);
    expect(await page.locator('[data-testid="overlay"][data-highlighted="true"]').count()).toBe(0);
    await page.getByTestId("zoom-out").click();
    await expect.poll(() => page.getByTestId("zoom-level").textContent()).toBe("100%");
    expect(await rectOf(overlay)).toEqual(fitted);

    // A click without a drag still selects what is under it (annotation 2's mask lies over 1).
    const box = await rectOf(overlay);
    await page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
    await expect.poll(() => page.locator('[data-testid="overlay"][data-highlighted="true"]').count()).toBe(1);
    await closePage(page);
  });
});
