// Object URLs of the opened archive's images, read from the worker once per path and shared by
// the grid's thumbnails and the image view. `clear()` frees them when another file is opened.
import type { DatasetClient } from "../worker/client.js";

export class ImageCache {
  private readonly urls = new Map<string, Promise<string>>();

  constructor(private readonly client: DatasetClient) {}

  /** The object URL of an image; rejects when the archive cannot read it. */
  url(path: string): Promise<string> {
    let url = this.urls.get(path);
    if (!url) {
      url = this.client.image(path).then((bytes) => URL.createObjectURL(new Blob([bytes as BlobPart])));
      // A failed read is not cached: the next view tries again.
      url.catch(() => this.urls.delete(path));
      this.urls.set(path, url);
    }
    return url;
  }

  clear(): void {
    for (const url of this.urls.values()) url.then(URL.revokeObjectURL, () => {});
    this.urls.clear();
  }
}
