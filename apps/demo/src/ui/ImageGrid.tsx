// The grid: rows of cards virtualised by @tanstack/react-virtual, so only the rows in view (plus
// a little overscan) are in the DOM whatever the dataset's size.
import type { Annotation, Category, Item } from "@cocokit/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useMemo, useRef, useState } from "react";
import { objectsOf } from "../model/objects.js";
import { FramedOverlays } from "./FramedOverlays.js";
import type { ImageCache } from "./image-cache.js";
import { Thumbnail } from "./Thumbnail.js";

const CARD = 176;
const GAP = 8;

export interface GridEntry {
  item: Item;
  index: number;
  objects: number;
}

/**
 * One card: the thumbnail with its overlays. The page holds polygons without their points (see
 * worker/handler.ts), so a card with polygons asks the worker for its item's full annotations;
 * boxes, masks and keypoints draw at once.
 */
function GridCard({
  item,
  index,
  objects: count,
  cache,
  load,
  categories,
  onOpen,
}: GridEntry & {
  cache: ImageCache;
  load: LoadAnnotations;
  categories: ReadonlyMap<number, Category>;
  onOpen: (index: number) => void;
}) {
  const [full, setFull] = useState<Annotation[]>();
  useEffect(() => {
    if (!item.annotations.some((a) => a.type === "polygon")) return;
    const controller = new AbortController();
    load(index, controller.signal).then(setFull, () => {});
    return () => controller.abort();
  }, [item, index, load]);
  const objects = useMemo(() => objectsOf(full ? { ...item, annotations: full } : item), [item, full]);
  const { width, height } = item.image;
  const thumbnail = <Thumbnail cache={cache} item={item} className="thumb" />;
  return (
    <button
      type="button"
      className="card"
      data-testid="image-card"
      data-image-id={item.id}
      data-subset={item.subset}
      style={{ width: CARD, height: CARD }}
      onClick={() => onOpen(index)}
    >
      <div className="card-picture">
        {width && height ? (
          <FramedOverlays width={width} height={height} objects={objects} categories={categories} size={CARD}>
            {thumbnail}
          </FramedOverlays>
        ) : (
          thumbnail
        )}
      </div>
      <span className="card-label">
        {item.image.fileName} · {count}
      </span>
    </button>
  );
}

/** Reads one item's full annotations (by position in the dataset) from the worker. */
export type LoadAnnotations = (index: number, signal: AbortSignal) => Promise<Annotation[]>;

export function ImageGrid({
  entries,
  cache,
  load,
  categories,
  onOpen,
}: {
  entries: readonly GridEntry[];
  cache: ImageCache;
  load: LoadAnnotations;
  categories: ReadonlyMap<number, Category>;
  onOpen: (index: number) => void;
}) {
  const scroller = useRef<HTMLDivElement>(null);
  const [columns, setColumns] = useState(4);
  useEffect(() => {
    const element = scroller.current;
    if (!element) return;
    const observer = new ResizeObserver(() =>
      setColumns(Math.max(1, Math.floor((element.clientWidth - GAP) / (CARD + GAP)))),
    );
    observer.observe(element);
    return () => observer.disconnect();
  }, []);
  const rows = Math.ceil(entries.length / columns);
  const virtualizer = useVirtualizer({
    count: rows,
    getScrollElement: () => scroller.current,
    estimateSize: () => CARD + GAP,
    overscan: 2,
  });
  return (
    <div className="grid-scroller" ref={scroller} data-testid="grid">
      <div style={{ height: virtualizer.getTotalSize(), position: "relative" }}>
        {virtualizer.getVirtualItems().map((row) => (
          <div
            key={row.key}
            className="grid-row"
            style={{ transform: `translateY(${row.start}px)`, gap: GAP }}
          >
            {entries
              .slice(row.index * columns, row.index * columns + columns)
              .map(({ item, index, objects }) => (
                <GridCard
                  key={index}
                  item={item}
                  index={index}
                  objects={objects}
                  cache={cache}
                  load={load}
                  categories={categories}
                  onOpen={onOpen}
                />
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
