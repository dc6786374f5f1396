// One image with its overlays and an inspector; ←/→ step through the filtered images, Esc goes back;
// the wheel, a drag, +/−/0 and Shift+arrows zoom and pan image and overlays together; B, M and K
// switch boxes, masks and keypoints off and on.
import type { Category, Item } from "@cocokit/core";
import { useEffect, useMemo, useRef, useState } from "react";
import { ALL_LAYERS, KIND_KEYS, type Layers, toggled, visibleObjects } from "../model/layers.js";
import { objectsOf } from "../model/objects.js";
import { transformOf } from "../model/viewport.js";
import { Inspector } from "./Inspector.js";
import type { ImageCache } from "./image-cache.js";
import { LayerControls } from "./LayerControls.js";
import { Overlays } from "./Overlays.js";
import { Thumbnail } from "./Thumbnail.js";
import { useZoomPan } from "./use-zoom-pan.js";

const VIEW = 640;
/** Pixels Shift+arrow pans the zoomed image by. */
const PAN_KEY = 60;

export function ImageView({
  item,
  position,
  categories,
  cache,
  highlighted,
  onHighlight,
  onStep,
  onClose,
}: {
  item: Item;
  position: string;
  categories: ReadonlyMap<number, Category>;
  cache: ImageCache;
  highlighted: number | undefined;
  onHighlight: (id: number | undefined) => void;
  onStep: (delta: 1 | -1) => void;
  onClose: () => void;
}) {
  const objects = useMemo(() => objectsOf(item), [item]);
  // Kept while stepping from image to image, like the zoom.
  const [layers, setLayers] = useState<Layers>(ALL_LAYERS);
  const [hovered, setHovered] = useState<number | undefined>();
  const drawn = useMemo(() => visibleObjects(objects, layers), [objects, layers]);
  const [natural, setNatural] = useState<{ width: number; height: number }>();
  const width = item.image.width ?? natural?.width ?? VIEW;
  const height = item.image.height ?? natural?.height ?? VIEW;
  const scale = Math.min(VIEW / width, VIEW / height);
  const frameRef = useRef<HTMLDivElement>(null);
  const frame = useMemo(() => ({ width: width * scale, height: height * scale }), [width, height, scale]);
  const { view, zoomIn, zoomOut, reset, pan } = useZoomPan(frameRef, frame, item);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const arrows: Record<string, [number, number]> = {
        ArrowLeft: [PAN_KEY, 0],
        ArrowRight: [-PAN_KEY, 0],
        ArrowUp: [0, PAN_KEY],
        ArrowDown: [0, -PAN_KEY],
      };
      const arrow = arrows[event.key];
      if (arrow && event.shiftKey) pan(...arrow);
      else if (event.key === "ArrowRight") onStep(1);
      else if (event.key === "ArrowLeft") onStep(-1);
      else if (event.key === "Escape") onClose();
      else if (event.key === "+" || event.key === "=") zoomIn();
      else if (event.key === "-") zoomOut();
      else if (event.key === "0") reset();
      else if (!event.ctrlKey && !event.metaKey && !event.altKey && KIND_KEYS[event.key.toLowerCase()]) {
        const kind = KIND_KEYS[event.key.toLowerCase()]!;
        setLayers((current) => ({ ...current, kinds: toggled(current.kinds, kind) }));
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onStep, onClose, zoomIn, zoomOut, reset, pan]);
  return (
    <div className="image-view" data-testid="image-view" data-image-id={item.id} data-subset={item.subset}>
      <div className="view-bar">
        <button type="button" onClick={onClose} data-testid="back">
          ← grid (Esc)
        </button>
        <button type="button" onClick={() => onStep(-1)}>
          prev
        </button>
        <button type="button" onClick={() => onStep(1)}>
          next
        </button>
        <span>
          {item.image.fileName} ({item.subset}) · {position}
        </span>
        <LayerControls layers={layers} onChange={setLayers} />
        <span className="zoom">
          <button type="button" data-testid="zoom-out" onClick={zoomOut} title="zoom out (-)">
            −
          </button>
          <span data-testid="zoom-level">{Math.round(view.zoom * 100)}%</span>
          <button type="button" data-testid="zoom-in" onClick={zoomIn} title="zoom in (+)">
            +
          </button>
          <button type="button" data-testid="zoom-reset" onClick={reset} title="fit (0)">
            fit
          </button>
        </span>
      </div>
      <div className="view-body">
        {/* The frame clips; the stage inside holds image and overlays under one transform. */}
        <div className="frame" ref={frameRef} data-testid="frame" style={frame}>
          <div className="stage" data-testid="stage" style={{ ...frame, transform: transformOf(view) }}>
            <Thumbnail cache={cache} item={item} className="stage-image" />
            {!item.image.width && <NaturalSize cache={cache} item={item} onSize={setNatural} />}
            <Overlays
              objects={drawn}
              categories={categories}
              width={width}
              height={height}
              scale={scale * view.zoom}
              highlighted={highlighted}
              onSelect={onHighlight}
              opacity={layers.opacity}
              hovered={hovered}
              onHover={setHovered}
            />
          </div>
        </div>
        <Inspector
          objects={objects}
          categories={categories}
          layers={layers}
          onLayers={setLayers}
          highlighted={highlighted}
          hovered={hovered}
          onHighlight={onHighlight}
          onHover={setHovered}
        />
      </div>
    </div>
  );
}

/** Reads an image's natural size when the JSON has none (core reads headers only on request). */
function NaturalSize({
  cache,
  item,
  onSize,
}: {
  cache: ImageCache;
  item: Item;
  onSize: (size: { width: number; height: number }) => void;
}) {
  useEffect(() => {
    if (!item.media) return;
    let live = true;
    cache.url(item.media.path).then(
      (url) => {
        const image = new Image();
        image.onload = () => live && onSize({ width: image.naturalWidth, height: image.naturalHeight });
        image.src = url;
      },
      () => {},
    );
    return () => {
      live = false;
    };
  }, [cache, item, onSize]);
  return null;
}
