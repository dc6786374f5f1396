import type { Item } from "@cocokit/core";
import type { ImageCache } from "./image-cache.js";
import { useImageUrl } from "./use-image-url.js";

/** An image, or a grey placeholder with its file name when the dataset has no file for it. */
export function Thumbnail({ cache, item, className }: { cache: ImageCache; item: Item; className?: string }) {
  const url = useImageUrl(cache, item);
  if (!item.media) {
    return (
      <div className={`placeholder ${className ?? ""}`} data-testid="placeholder">
        {item.image.fileName}
      </div>
    );
  }
  return url ? (
    <img className={className} src={url} alt={item.image.fileName} draggable={false} />
  ) : (
    <div className={`placeholder loading ${className ?? ""}`}>{item.image.fileName}</div>
  );
}
