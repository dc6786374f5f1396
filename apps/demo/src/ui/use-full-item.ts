// The image view's item with its full annotations: the page holds the dataset in outline
// (polygons without points, see worker/handler.ts) and asks the worker for one item at a time.
import type { Item } from "@cocokit/core";
import { useEffect, useState } from "react";
import type { DatasetClient } from "../worker/client.js";

/**
 * `item` (at `index` of the opened dataset) with its full annotations once the worker sent them.
 * While the next item of a step loads, the previous one stays, so the view (and its keys) stays
 * mounted; undefined only before the first item of a view arrives.
 */
export function useFullItem(client: DatasetClient, item: Item | undefined, index: number | undefined) {
  const [full, setFull] = useState<Item>();
  useEffect(() => {
    if (!item || index === undefined) {
      setFull(undefined);
      return;
    }
    const controller = new AbortController();
    client.annotations(index, { signal: controller.signal }).then(
      (annotations) => setFull({ ...item, annotations }),
      () => {},
    );
    return () => controller.abort();
  }, [client, item, index]);
  return item ? full : undefined;
}
