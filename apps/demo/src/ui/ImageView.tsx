// One image with its overlays and an inspector; ←/→ step through the filtered images, Esc goes back.
import type { Category, Item } from "@cocokit/core";
import { useEffect, useMemo, useState } from "react";
import { objectsOf } from "../model/objects.js";
import { categoryColor } from "../model/palette.js";
import type { ImageCache } from "./image-cache.js";
import { Overlays } from "./Overlays.js";
import { Thumbnail } from "./Thumbnail.js";

const VIEW = 640;

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
  const [natural, setNatural] = useState<{ width: number; height: number }>();
  const width = item.image.width ?? natural?.width ?? VIEW;
  const height = item.image.height ?? natural?.height ?? VIEW;
  const scale = Math.min(VIEW / width, VIEW / height);
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      if (event.key === "ArrowRight") onStep(1);
      else if (event.key === "ArrowLeft") onStep(-1);
      else if (event.key === "Escape") onClose();
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [onStep, onClose]);
  const selected = objects.find((o) => o.id === highlighted);
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
      </div>
      <div className="view-body">
        <div className="stage" style={{ width: width * scale, height: height * scale }}>
          <Thumbnail cache={cache} item={item} className="stage-image" />
          {!item.image.width && <NaturalSize cache={cache} item={item} onSize={setNatural} />}
          <Overlays
            objects={objects}
            categories={categories}
            width={width}
            height={height}
            scale={scale}
            highlighted={highlighted}
            onSelect={onHighlight}
          />
        </div>
        <aside className="inspector" data-testid="inspector">
          <h3>Annotations ({objects.length})</h3>
          <ul>
            {objects.map((o) => (
              <li key={`${o.id}-${o.shapes[0]!.group}`} className={o.id === highlighted ? "selected" : ""}>
                <button type="button" onClick={() => onHighlight(o.id)}>
                  <span className="swatch" style={{ background: categoryColor(o.categoryId) }} /> #{o.id}{" "}
                  {o.categoryId === undefined ? "—" : (categories.get(o.categoryId)?.name ?? o.categoryId)}
                </button>
              </li>
            ))}
          </ul>
          {selected && (
            <dl data-testid="inspector-detail">
              <dt>id</dt>
              <dd>{selected.id}</dd>
              <dt>category</dt>
              <dd>
                {selected.categoryId === undefined
                  ? "—"
                  : `${categories.get(selected.categoryId)?.name ?? "?"} (${selected.categoryId})`}
              </dd>
              <dt>bbox</dt>
              <dd>{selected.bbox ? selected.bbox.map((v) => +v.toFixed(2)).join(", ") : "—"}</dd>
              <dt>area</dt>
              <dd>{selected.area ?? "—"}</dd>
              <dt>iscrowd</dt>
              <dd>{selected.iscrowd ? 1 : 0}</dd>
            </dl>
          )}
        </aside>
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
