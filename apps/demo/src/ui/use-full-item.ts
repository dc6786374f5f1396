// The image view's item with its full annotations: the page holds the dataset in outline
// (polygons without points, see worker/handler.ts) and asks the worker for one item at a time.
import type { Item } from "@cocokit/core";
import { useEffect, useState } from "react";
import type { DatasetClient } from "../worker/client.js";

/** `item` (at `index` of the opened dataset) with its full annotations, once the worker sent them. */
export function useFullItem(client: DatasetClient, item: Item | undefined, index: number | undefined) {
  const [full, setFull] = useState<{ outline: Item; item: Item }>();
  useEffect(() => {
    if (!item || index === undefined) return;
    const controller = new AbortController();
    client.annotations(index, { signal: controller.signal }).then(
      (annotations) => setFull({ outline: item, item: { ...item, annotations } }),
      () => {},
    );
    return () => controller.abort();
  }, [client, item, index]);
  return full && full.outline === item ? full.item : undefined;
}
