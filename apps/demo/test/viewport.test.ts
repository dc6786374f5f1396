import { describe, expect, it } from "vitest";
import { clampView, FIT, MAX_ZOOM, panBy, transformOf, zoomAt } from "../src/model/viewport.js";

const frame = { width: 400, height: 300 };
/** Where content point (px, py) lands in the frame. */
const project = (v: { zoom: number; x: number; y: number }, px: number, py: number) => [
  v.x + px * v.zoom,
  v.y + py * v.zoom,
];

describe("the image view's viewport", () => {
  it("zooms about a point, keeping the content under it still", () => {
    const view = zoomAt(FIT, 2, frame, 100, 50);
    expect(view).toEqual({ zoom: 2, x: -100, y: -50 });
    expect(project(view, 100, 50)).toEqual([100, 50]);
    const again = zoomAt(view, 1.5, frame, 300, 200);
    const [px, py] = [(300 - view.x) / view.zoom, (200 - view.y) / view.zoom];
    expect(project(again, px, py).map((v) => +v.toFixed(9))).toEqual([300, 200]);
  });

  it("zooms about the centre without a point, and never below fit or above the maximum", () => {
    expect(zoomAt(FIT, 2, frame)).toEqual({ zoom: 2, x: -200, y: -150 });
    expect(zoomAt(FIT, 0.5, frame)).toEqual(FIT);
    expect(zoomAt({ zoom: 30, x: 0, y: 0 }, 2, frame).zoom).toBe(MAX_ZOOM);
    // Zooming back out to 1 returns to the fitted view exactly.
    expect(zoomAt(zoomAt(FIT, 3, frame, 10, 290), 1 / 3, frame, 390, 5)).toEqual(FIT);
  });

  it("pans within the content's bounds", () => {
    const zoomed = { zoom: 2, x: -200, y: -150 };
    expect(panBy(zoomed, 50, -20, frame)).toEqual({ zoom: 2, x: -150, y: -170 });
    expect(panBy(zoomed, 1000, 1000, frame)).toEqual({ zoom: 2, x: 0, y: 0 });
    expect(panBy(zoomed, -1000, -1000, frame)).toEqual({ zoom: 2, x: -400, y: -300 });
    expect(panBy(FIT, 30, 30, frame)).toEqual(FIT);
    expect(clampView({ zoom: 0.2, x: 5, y: 5 }, frame)).toEqual(FIT);
  });

  it("is drawn as one transform of image and overlays together", () => {
    expect(transformOf({ zoom: 2, x: -10, y: 4 })).toBe("translate(-10px, 4px) scale(2)");
  });
});
