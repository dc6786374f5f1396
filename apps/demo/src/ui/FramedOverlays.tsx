// An image and its overlays in a box of the image's own proportions, centred in its container:
// the overlays' viewBox then lies exactly on the picture (an <img> with object-fit would letterbox
// it and the SVG would not follow). Used by the grid's cards and the server browser's.
import type { Category } from "@cocokit/core";
import type { ReactNode } from "react";
import type { CocoObject } from "../model/objects.js";
import { Overlays } from "./Overlays.js";

const NO_CATEGORIES: ReadonlyMap<number, Category> = new Map();

export function FramedOverlays({
  width,
  height,
  objects,
  categories = NO_CATEGORIES,
  size,
  children,
}: {
  width: number;
  height: number;
  objects: readonly CocoObject[];
  categories?: ReadonlyMap<number, Category>;
  /** The box's larger side in CSS pixels (strokes keep about 2 px at that size). */
  size: number;
  /** The picture (an <img> or a placeholder), stretched over the box. */
  children: ReactNode;
}) {
  return (
    <div
      className="framed"
      style={{ aspectRatio: `${width} / ${height}`, [width >= height ? "width" : "height"]: "100%" }}
    >
      {children}
      <Overlays
        objects={objects}
        categories={categories}
        width={width}
        height={height}
        scale={size / Math.max(width, height)}
        highlighted={undefined}
        onSelect={() => undefined}
      />
    </div>
  );
}
