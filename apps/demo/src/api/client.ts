// The page's client of cocokit-server's API (same origin: the server serves the page at `/`).
// Shapes follow packages/server/openapi.json; errors are its application/problem+json bodies.

/** `GET /api/health`. */
export interface Health {
  status: "ok";
  version: string;
}

/** A dataset as `GET /api/datasets` lists it. */
export interface ServerDataset {
  id: number;
  name: string;
  labels: string[];
  images_count: number;
  annotations_count: number;
}

export type JobStatus = "queued" | "started" | "finished" | "failed" | "cancelled";

/** `GET /api/jobs/{id}`. */
export interface ServerJob {
  id: number;
  type: string;
  dataset_id: number | null;
  status: JobStatus;
  progress: number;
  phase: string | null;
  message: string | null;
  error_code: string | null;
  issues_count: number;
  result_url: string | null;
}

/** One item of `GET /api/datasets/{id}/items`: an image with its annotations (core's model records). */
export interface ServerItem {
  id: number;
  subset: string;
  image_id: number;
  file_name: string;
  width: number | null;
  height: number | null;
  image_url: string | null;
  annotations: Record<string, unknown>[];
}

/** One entry of `GET /api/jobs/{id}/issues`. */
export interface ServerIssue {
  seq: number;
  code: string;
  severity: string;
  message: string;
  file: string | null;
  pointer: string | null;
}

export const isEnded = (status: JobStatus) => status !== "queued" && status !== "started";

/** A failed request: the problem's stable `code` (or `HTTP_<status>`) and its text. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** A typed client over `fetch` (the base is the page's origin unless given). */
export class ApiClient {
  constructor(
    private readonly base = "",
    /** Sent as `Authorization: Bearer` (a server started with `--token` needs it). */
    public token?: string,
  ) {}

  private headers(extra: Record<string, string> = {}): Record<string, string> {
    return {
      accept: "application/json",
      ...(this.token ? { authorization: `Bearer ${this.token}` } : {}),
      ...extra,
    };
  }

  /** The server's health, or undefined when the page is not served by cocokit-server. */
  async health(): Promise<Health | undefined> {
    try {
      const response = await fetch(`${this.base}/api/health`, { headers: { accept: "application/json" } });
      if (!response.ok) return undefined;
      const body = (await response.json()) as Partial<Health>;
      return body.status === "ok" && typeof body.version === "string" ? (body as Health) : undefined;
    } catch {
      return undefined;
    }
  }

  async datasets(): Promise<ServerDataset[]> {
    const page = await this.json<{ results: ServerDataset[] }>("GET", "/api/datasets?offset=0&limit=100");
    return page.results;
  }

  /** Creates a dataset, with COCO's 80 labels and ids when `coco80`. */
  createDataset(name: string, coco80: boolean): Promise<ServerDataset> {
    return this.json("POST", "/api/datasets", { name, ...(coco80 ? { preset: "coco-80" } : {}) });
  }

  /** Starts an import (mode replace) of a finished resumable upload. */
  importUpload(datasetId: number, uploadId: string, filename: string): Promise<ServerJob> {
    const query = new URLSearchParams({ mode: "replace", filename });
    return this.json("POST", `/api/datasets/${datasetId}/import?${query}`, { upload_id: uploadId });
  }

  /** Starts a media job: attaches a finished upload's zip of images to the dataset's items by file name. */
  attachMedia(datasetId: number, uploadId: string): Promise<ServerJob> {
    return this.json("POST", `/api/datasets/${datasetId}/media`, { upload_id: uploadId });
  }

  /** Asks the server to cancel a queued or running job. */
  cancelJob(id: number): Promise<ServerJob> {
    return this.json("POST", `/api/jobs/${id}/cancel`);
  }

  /** One page of a dataset's items, in the server's order. */
  items(datasetId: number, offset: number, limit: number): Promise<{ count: number; results: ServerItem[] }> {
    return this.json("GET", `/api/datasets/${datasetId}/items?offset=${offset}&limit=${limit}`);
  }

  /** An item's attached image (fetched, not linked: a server with --token needs the header). */
  async image(path: string, signal?: AbortSignal): Promise<Blob> {
    const response = await fetch(`${this.base}${path}`, { headers: this.headers(), signal: signal ?? null });
    if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
    return response.blob();
  }

  /** The resumable uploads' endpoint (tus 1.0.0). */
  get uploadsUrl(): string {
    return `${this.base || location.origin}/api/uploads`;
  }

  /** The headers an upload sends (the token). */
  authHeaders(): Record<string, string> {
    return this.token ? { authorization: `Bearer ${this.token}` } : {};
  }

  /** Starts a COCO zip export of a dataset. */
  exportDataset(datasetId: number): Promise<ServerJob> {
    return this.json("POST", `/api/datasets/${datasetId}/export`, { format: "COCO 1.0" });
  }

  job(id: number): Promise<ServerJob> {
    return this.json("GET", `/api/jobs/${id}`);
  }

  async issues(jobId: number): Promise<ServerIssue[]> {
    const page = await this.json<{ results: ServerIssue[] }>(
      "GET",
      `/api/jobs/${jobId}/issues?offset=0&limit=100`,
    );
    return page.results;
  }

  /** A finished export's zip. */
  async result(jobId: number): Promise<Blob> {
    const response = await fetch(this.resultUrl(jobId), { headers: this.headers() });
    if (!response.ok) throw new ApiError(response.status, `HTTP_${response.status}`, response.statusText);
    return response.blob();
  }

  /** Where a finished job's result downloads from. */
  resultUrl(jobId: number): string {
    return `${this.base}/api/jobs/${jobId}/result`;
  }

  private async json<T>(method: string, path: string, body?: unknown, type = "application/json"): Promise<T> {
    const init: RequestInit = { method, headers: this.headers() };
    if (body !== undefined) {
      init.headers = this.headers({ "content-type": type });
      init.body = body instanceof Blob ? body : JSON.stringify(body);
    }
    const response = await fetch(`${this.base}${path}`, init);
    if (!response.ok) {
      const problem = (await response.json().catch(() => ({}))) as {
        code?: string;
        detail?: string;
        title?: string;
      };
      throw new ApiError(
        response.status,
        problem.code ?? `HTTP_${response.status}`,
        problem.detail ?? problem.title ?? response.statusText,
      );
    }
    return (await response.json()) as T;
  }
}
