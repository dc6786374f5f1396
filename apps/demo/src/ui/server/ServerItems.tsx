// Browses a server dataset page by page (`GET /api/datasets/{id}/items`), without downloading
// it: each card shows the item's attached image (or a grey placeholder with its file name) with
// its annotations drawn over it.
import type { Annotation, Item } from "@cocokit/core";
import { useEffect, useMemo, useState } from "react";
import type { ApiClient, ServerDataset, ServerItem } from "../../api/client.js";
import { objectsOf } from "../../model/objects.js";
import { FramedOverlays } from "../FramedOverlays.js";

const PAGE = 24;
const CARD = 176;

/** The model item a server item stands for (the API sends RLE counts as a plain number array). */
export function itemOfServer(item: ServerItem): Item {
  const annotations = item.annotations.map((record) => {
    const rle = (record as { rle?: { counts?: unknown } }).rle;
    if (rle && Array.isArray(rle.counts))
      return { ...record, rle: { ...rle, counts: Uint32Array.from(rle.counts) } };
    return record;
  }) as unknown as Annotation[];
  return {
    id: item.image_id,
    subset: item.subset,
    image: { fileName: item.file_name, width: item.width ?? undefined, height: item.height ?? undefined },
    annotations,
    attributes: {},
  } as Item;
}

function ServerCard({ api, item }: { api: ApiClient; item: ServerItem }) {
  const [url, setUrl] = useState<string | undefined>();
  const [failed, setFailed] = useState(false);
  useEffect(() => {
    if (!item.image_url) return;
    const controller = new AbortController();
    let objectUrl: string | undefined;
    api.image(item.image_url, controller.signal).then(
      (blob) => {
        objectUrl = URL.createObjectURL(blob);
        setUrl(objectUrl);
      },
      () => !controller.signal.aborted && setFailed(true),
    );
    return () => {
      controller.abort();
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [api, item.image_url]);
  const objects = useMemo(() => objectsOf(itemOfServer(item)), [item]);
  const width = item.width ?? 0;
  const height = item.height ?? 0;
  const placeholder = (
    <div className="placeholder" data-testid="placeholder">
      {failed ? `${item.file_name} (not loaded)` : item.file_name}
    </div>
  );
  return (
    <div
      className="card server-card"
      data-testid="server-item"
      data-item-id={item.id}
      data-image-id={item.image_id}
      data-has-image={url ? "true" : "false"}
      style={{ width: CARD, height: CARD }}
    >
      <div className="server-thumb">
        {width > 0 && height > 0 ? (
          <FramedOverlays width={width} height={height} objects={objects} size={CARD}>
            {url ? <img src={url} alt={item.file_name} draggable={false} /> : placeholder}
          </FramedOverlays>
        ) : url ? (
          <img className="thumb" src={url} alt={item.file_name} draggable={false} />
        ) : (
          placeholder
        )}
      </div>
      <span className="card-label">
        {item.file_name} · {objects.length}
      </span>
    </div>
  );
}

export function ServerItems({ api, dataset }: { api: ApiClient; dataset: ServerDataset }) {
  const [offset, setOffset] = useState(0);
  const [page, setPage] = useState<{ count: number; results: ServerItem[] } | undefined>();
  const [error, setError] = useState("");
  // biome-ignore lint/correctness/useExhaustiveDependencies: a new dataset starts at its first page
  useEffect(() => setOffset(0), [dataset.id]);
  useEffect(() => {
    let live = true;
    setError("");
    api.items(dataset.id, offset, PAGE).then(
      (next) => live && setPage(next),
      (e: unknown) => live && setError(String(e)),
    );
    return () => {
      live = false;
    };
  }, [api, dataset.id, offset]);
  const count = page?.count ?? 0;
  const shown = page?.results.length ?? 0;
  return (
    <div className="server-items" data-testid="server-items">
      <div className="server-items-bar">
        <button
          type="button"
          data-testid="server-items-prev"
          disabled={offset === 0}
          onClick={() => setOffset(Math.max(0, offset - PAGE))}
        >
          ← Previous
        </button>
        <span data-testid="server-items-status">
          {page ? `${shown ? offset + 1 : 0}–${offset + shown} of ${count} images` : "loading…"}
        </span>
        <button
          type="button"
          data-testid="server-items-next"
          disabled={offset + PAGE >= count}
          onClick={() => setOffset(offset + PAGE)}
        >
          Next →
        </button>
      </div>
      {error && <p data-testid="server-error">{error}</p>}
      <div className="server-items-grid">
        {page?.results.map((item) => (
          <ServerCard key={item.id} api={api} item={item} />
        ))}
      </div>
    </div>
  );
}
