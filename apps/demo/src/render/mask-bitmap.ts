// RLE masks as bitmaps: decoded once with @cocokit/rle into a white-on-transparent PNG, cached
// per RLE object, and tinted by the overlay (an SVG <mask> over a rect of the category's colour).
// A bitmap costs the same to draw whatever the mask's shape; a vector path of pixel runs grows with
// every run and is re-laid out at each zoom step.
import { decodeRowMajor, type Rle } from "@cocokit/rle";

/** RGBA pixels of a mask, row-major: opaque white where set, transparent elsewhere. */
export function maskRgba(rle: Rle): Uint8ClampedArray<ArrayBuffer> {
  const pixels = decodeRowMajor(rle);
  const rgba = new Uint8ClampedArray(pixels.length * 4);
  for (let i = 0; i < pixels.length; i++) {
    if (pixels[i] === 0) continue;
    rgba[i * 4] = 255;
    rgba[i * 4 + 1] = 255;
    rgba[i * 4 + 2] = 255;
    rgba[i * 4 + 3] = 255;
  }
  return rgba;
}

const bitmaps = new WeakMap<Rle, string>();

/** The mask as a PNG data URL (browser only: it paints a canvas); the same RLE object is decoded once. */
export function maskBitmap(rle: Rle): string {
  const cached = bitmaps.get(rle);
  if (cached) return cached;
  const canvas = document.createElement("canvas");
  canvas.width = rle.width;
  canvas.height = rle.height;
  const context = canvas.getContext("2d");
  if (!context) throw new Error("expected a 2D canvas to paint a mask, found none");
  context.putImageData(new ImageData(maskRgba(rle), rle.width, rle.height), 0, 0);
  const url = canvas.toDataURL("image/png");
  bitmaps.set(rle, url);
  return url;
}
