import { convertIndexedToRgb, decode } from "fast-png";
import { CocokitError } from "../errors.js";
import type { DecodedPng } from "../import/import-options.js";

/**
 * Decodes a panoptic PNG into 8-bit RGB (`channels` 3), the form segment ids are read from
 * (id = R + 256·G + 256²·B). Palette and grey images are expanded; alpha is dropped; 16-bit
 * samples keep their high byte. Throws `invalid_png` for bytes that are not a readable PNG.
 * @example
 * const png = decodePanopticPng(bytes, "annotations/panoptic_val/b.png"); // { width, height, channels: 3, data }
 */
export function decodePanopticPng(bytes: Uint8Array, file: string): DecodedPng {
  let png: ReturnType<typeof decode>;
  try {
    png = decode(bytes);
  } catch (cause) {
    throw new CocokitError(
      "invalid_png",
      `expected a PNG image, found bytes that cannot be decoded: ${String((cause as Error).message ?? cause).slice(0, 200)}`,
      { file, cause },
    );
  }
  const { width, height } = png;
  const pixels = width * height;
  let channels = png.channels;
  let data = png.data;
  if (png.palette) {
    data = convertIndexedToRgb(png);
    channels = data.length / pixels;
  }
  const out = new Uint8Array(pixels * 3);
  const shift = png.depth === 16 ? 8 : 0;
  const grey = channels <= 2;
  for (let p = 0, i = 0; p < pixels; p++, i += channels) {
    const o = p * 3;
    if (grey) {
      const v = (data[i] as number) >> shift;
      out[o] = v;
      out[o + 1] = v;
      out[o + 2] = v;
    } else {
      out[o] = (data[i] as number) >> shift;
      out[o + 1] = (data[i + 1] as number) >> shift;
      out[o + 2] = (data[i + 2] as number) >> shift;
    }
  }
  return { width, height, channels: 3, data: out };
}
