// Resumable uploads to cocokit-server's tus endpoint with tus-js-client: a file the tab sent
// before (same name, size and type) resumes where it stopped, so a dropped connection or a
// reload does not start a big zip over.
import { Upload } from "tus-js-client";
import type { ApiClient } from "./client.js";

/** Bytes sent so far of a running upload. */
export interface UploadProgress {
  sent: number;
  total: number;
}

const CHUNK_BYTES = 8 * 1024 * 1024;

/**
 * Uploads `file` and resolves with its upload id (the last segment of its tus URL), which
 * `importUpload` and `attachMedia` take. Rejects when `signal` aborts (the partial upload stays on
 * the server until it expires, so the same file can resume) or when the server refuses it.
 */
export function uploadFile(
  api: ApiClient,
  file: File,
  onProgress: (progress: UploadProgress) => void,
  signal?: AbortSignal,
): Promise<string> {
  return new Promise((resolve, reject) => {
    const upload = new Upload(file, {
      endpoint: api.uploadsUrl,
      headers: api.authHeaders(),
      chunkSize: CHUNK_BYTES,
      retryDelays: [0, 1000, 3000],
      metadata: { filename: file.name, filetype: file.type || "application/octet-stream" },
      // Finished uploads are consumed by the job that takes them: forget them then.
      removeFingerprintOnSuccess: true,
      onProgress: (sent, total) => onProgress({ sent, total }),
      onError: (error) => reject(error),
      onSuccess: () => {
        const id = upload.url?.split("/").pop();
        if (id) resolve(id);
        else reject(new Error(`expected an upload URL from the server, found ${upload.url}`));
      },
    });
    signal?.addEventListener("abort", () => {
      void upload.abort();
      reject(signal.reason ?? new DOMException("the upload was cancelled", "AbortError"));
    });
    upload.findPreviousUploads().then(
      (previous) => {
        if (previous[0]) upload.resumeFromPreviousUpload(previous[0]);
        upload.start();
      },
      () => upload.start(),
    );
  });
}
