import type { Item } from "@cocokit/core";
import { useEffect, useState } from "react";
import type { ImageCache } from "./image-cache.js";

/** The object URL of an item's image, or `undefined` while loading or when it has none. */
export function useImageUrl(cache: ImageCache, item: Item): string | undefined {
  const path = item.media?.path;
  const [url, setUrl] = useState<{ path: string; url: string } | undefined>();
  useEffect(() => {
    if (!path) return;
    let live = true;
    cache.url(path).then(
      (u) => live && setUrl({ path, url: u }),
      () => live && setUrl(undefined),
    );
    return () => {
      live = false;
    };
  }, [cache, path]);
  return url && url.path === path ? url.url : undefined;
}
