// The grid: rows of cards virtualised by @tanstack/react-virtual, so only the rows in view (plus
// a little overscan) are in the DOM whatever the dataset's size.
import type { Item } from "@cocokit/core";
import { useVirtualizer } from "@tanstack/react-virtual";
import { useEffect, useRef, useState } from "react";
import type { ImageCache } from "./image-cache.js";
import { Thumbnail } from "./Thumbnail.js";

const CARD = 176;
const GAP = 8;

export interface GridEntry {
  item: Item;
  index: number;
  objects: number;
}

export function ImageGrid({
  entries,
  cache,
  onOpen,
}: {
  entries: readonly GridEntry[];
  cache: ImageCache;
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
                <button
                  type="button"
                  key={index}
                  className="card"
                  data-testid="image-card"
                  data-image-id={item.id}
                  data-subset={item.subset}
                  style={{ width: CARD, height: CARD }}
                  onClick={() => onOpen(index)}
                >
                  <Thumbnail cache={cache} item={item} className="thumb" />
                  <span className="card-label">
                    {item.image.fileName} · {objects}
                  </span>
                </button>
              ))}
          </div>
        ))}
      </div>
    </div>
  );
}
