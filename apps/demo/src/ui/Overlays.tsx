// SVG overlays in image pixels: one <g data-testid="overlay"> per COCO annotation, holding the
// primitives of its shapes (render/shapes.ts) in its category's colour.
import type { Category } from "@cocokit/core";
import type { Rle } from "@cocokit/rle";
import { useId } from "react";
import type { CocoObject } from "../model/objects.js";
import { categoryColor } from "../model/palette.js";
import { maskBitmap } from "../render/mask-bitmap.js";
import { type Primitive, primitivesOf } from "../render/shapes.js";

/** A mask bitmap tinted with the category's colour: a rect of that colour seen through the mask. */
function MaskShape({ rle, color, opacity }: { rle: Rle; color: string; opacity: number }) {
  // useId's characters are not all valid in url(#…); the id only has to be unique in the page.
  const id = `mask${useId().replace(/[^A-Za-z0-9_-]/g, "_")}`;
  const { width, height } = rle;
  return (
    <>
      <mask id={id} maskUnits="userSpaceOnUse" x={0} y={0} width={width} height={height}>
        <image
          href={maskBitmap(rle)}
          width={width}
          height={height}
          preserveAspectRatio="none"
          style={{ imageRendering: "pixelated" }}
        />
      </mask>
      <rect
        data-kind="mask"
        width={width}
        height={height}
        fill={color}
        fillOpacity={0.45 * opacity}
        mask={`url(#${id})`}
        // The rect covers the whole image: hit-testing it would take every click and hover from
        // the shapes under it (a mask is picked by its box or in the inspector).
        pointerEvents="none"
      />
    </>
  );
}

function Shape({
  p,
  color,
  scale,
  opacity,
  crowd,
}: {
  p: Primitive;
  color: string;
  scale: number;
  opacity: number;
  crowd: boolean;
}) {
  const stroke = 2 / scale;
  // Crowd regions are outlined dashed, the way CVAT and FiftyOne set them apart.
  const dash = crowd ? `${6 / scale} ${4 / scale}` : undefined;
  switch (p.kind) {
    case "rect":
      return (
        <rect
          data-kind="box"
          x={p.x}
          y={p.y}
          width={p.width}
          height={p.height}
          fill="none"
          stroke={color}
          strokeWidth={stroke}
          strokeDasharray={dash}
        />
      );
    case "polygon":
      return (
        <polygon
          points={p.points}
          fill={color}
          fillOpacity={0.3 * opacity}
          stroke={color}
          strokeWidth={stroke}
          strokeDasharray={dash}
        />
      );
    case "mask":
      return <MaskShape rle={p.rle} color={color} opacity={opacity} />;
    case "line":
      return <line x1={p.x1} y1={p.y1} x2={p.x2} y2={p.y2} stroke={color} strokeWidth={stroke} />;
    case "point":
      return (
        <circle
          cx={p.x}
          cy={p.y}
          r={4 / scale}
          data-visibility={p.filled ? 2 : 1}
          fill={p.filled ? color : "none"}
          stroke={color}
          strokeWidth={stroke}
        />
      );
  }
}

export function Overlays({
  objects,
  categories,
  width,
  height,
  scale,
  highlighted,
  onSelect,
  opacity = 1,
  hovered,
  onHover,
}: {
  objects: readonly CocoObject[];
  categories: ReadonlyMap<number, Category>;
  width: number;
  height: number;
  scale: number;
  highlighted: number | undefined;
  onSelect: (id: number) => void;
  /** Multiplies the fill opacity of polygons and masks. */
  opacity?: number;
  /** The annotation under the pointer (here or in the inspector's list). */
  hovered?: number | undefined;
  onHover?: (id: number | undefined) => void;
}) {
  return (
    <svg className="overlays" viewBox={`0 0 ${width} ${height}`} preserveAspectRatio="none" role="img">
      <title>annotations</title>
      {objects.map((object) => {
        const category = object.categoryId === undefined ? undefined : categories.get(object.categoryId);
        const color = categoryColor(object.categoryId);
        const isHighlighted = object.id === highlighted || object.id === hovered;
        return (
          // biome-ignore lint/a11y/noStaticElementInteractions: a shape is picked with the pointer; the inspector lists it too
          <g
            key={`${object.id}-${object.shapes[0]!.group}`}
            data-testid="overlay"
            data-annotation-id={object.id}
            data-category-id={object.categoryId}
            data-highlighted={isHighlighted ? "true" : undefined}
            data-crowd={object.iscrowd ? "true" : undefined}
            className={isHighlighted ? "overlay highlighted" : "overlay"}
            onClick={() => onSelect(object.id)}
            onMouseEnter={() => onHover?.(object.id)}
            onMouseLeave={() => onHover?.(undefined)}
          >
            {object.shapes.flatMap((shape, s) =>
              primitivesOf(shape, category).map((p, i) => (
                <Shape
                  // biome-ignore lint/suspicious/noArrayIndexKey: primitives have no identity beyond their position
                  key={`${s}-${i}`}
                  p={p}
                  color={color}
                  scale={scale}
                  opacity={opacity}
                  crowd={object.iscrowd}
                />
              )),
            )}
          </g>
        );
      })}
    </svg>
  );
}
