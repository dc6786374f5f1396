// Server mode (the page is served by cocokit-server): list and create datasets, upload a COCO
// file or a zip of images (resumable) and import or attach it as a job, follow its progress and
// issues, cancel it, browse the dataset's images page by page, export a COCO zip and download it
// (or open it in the page: grid, stats and image view then work on the server's dataset).
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type ApiClient, ApiError, isEnded, type ServerDataset, type ServerJob } from "../../api/client.js";
import { FileInput } from "../FileInput.js";
import { ServerItems } from "./ServerItems.js";
import { ServerJobView } from "./ServerJobView.js";
import { useJob } from "./use-job.js";

interface Uploading {
  name: string;
  sent: number;
  total: number;
  controller: AbortController;
}

/** Where the page keeps the API token for the tab's session. */
export const TOKEN_KEY = "cocokit-token";

export function ServerPanel({
  api,
  version,
  onOpen,
}: {
  api: ApiClient;
  version: string;
  onOpen: (file: File) => void;
}) {
  const [datasets, setDatasets] = useState<ServerDataset[]>([]);
  const [selected, setSelected] = useState<number | undefined>();
  const [name, setName] = useState("");
  const [coco80, setCoco80] = useState(true);
  const [started, setStarted] = useState<ServerJob | undefined>();
  const [error, setError] = useState("");
  const [uploading, setUploading] = useState<Uploading | undefined>();
  const [browsing, setBrowsing] = useState(false);
  // A server started with --token answers 401 until the page has the token.
  const [needsToken, setNeedsToken] = useState(false);
  const [token, setToken] = useState("");
  const refresh = useCallback(
    () =>
      api.datasets().then(
        (found) => {
          setNeedsToken(false);
          setDatasets(found);
        },
        (e: unknown) => {
          if (e instanceof ApiError && e.status === 401) setNeedsToken(true);
          else setError(String(e));
        },
      ),
    [api],
  );
  const saveToken = (event: FormEvent) => {
    event.preventDefault();
    api.token = token.trim();
    sessionStorage.setItem(TOKEN_KEY, api.token);
    void refresh();
  };
  // The result needs the token too, so it is fetched rather than linked.
  const download = (jobId: number) =>
    run(async () => {
      const a = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(await api.result(jobId)),
        download: `${datasetName(jobId)}.zip`,
      });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
    });
  useEffect(() => void refresh(), [refresh]);
  const { job, issues } = useJob(api, started, () => void refresh());

  const run = async (action: () => Promise<unknown>) => {
    setError("");
    try {
      await action();
    } catch (e) {
      setError(e instanceof Error && "code" in e ? `${e.code}: ${e.message}` : String(e));
    }
  };
  const create = (event: FormEvent) => {
    event.preventDefault();
    void run(async () => {
      const dataset = await api.createDataset(name.trim(), coco80);
      setName("");
      await refresh();
      setSelected(dataset.id);
    });
  };
  const datasetName = (jobId: number) => {
    const id = job?.id === jobId ? job.dataset_id : undefined;
    return datasets.find((d) => d.id === id)?.name ?? `dataset-${id}`;
  };
  const busy = uploading !== undefined || (job !== undefined && !isEnded(job.status));
  const selectedDataset = datasets.find((d) => d.id === selected);
  // A file goes up as a resumable upload first; the job then takes it by its upload id.
  const upload = (file: File, startJob: (uploadId: string) => Promise<ServerJob>) =>
    run(async () => {
      const controller = new AbortController();
      setUploading({ name: file.name, sent: 0, total: file.size, controller });
      try {
        // tus-js-client loads only when a file is uploaded: local mode never pays for it.
        const { uploadFile } = await import("../../api/upload.js");
        const id = await uploadFile(
          api,
          file,
          ({ sent, total }) => setUploading({ name: file.name, sent, total, controller }),
          controller.signal,
        );
        setStarted(await startJob(id));
      } finally {
        setUploading(undefined);
      }
    });
  if (needsToken)
    return (
      <section className="server" data-testid="server">
        <h2>
          Server <span data-testid="server-version">cocokit-server {version}</span>
        </h2>
        <form onSubmit={saveToken}>
          <input
            type="password"
            data-testid="server-token"
            placeholder="API token"
            value={token}
            onChange={(e) => setToken(e.target.value)}
          />
          <button type="submit" data-testid="server-token-save">
            Use token
          </button>
        </form>
      </section>
    );
  return (
    <section className="server" data-testid="server">
      <h2>
        Server <span data-testid="server-version">cocokit-server {version}</span>
      </h2>
      <table>
        <thead>
          <tr>
            <th>dataset</th>
            <th>images</th>
            <th>annotations</th>
          </tr>
        </thead>
        <tbody>
          {datasets.map((d) => (
            <tr
              key={d.id}
              data-testid="server-dataset"
              data-dataset-id={d.id}
              data-images={d.images_count}
              className={d.id === selected ? "selected" : ""}
              onClick={() => setSelected(d.id)}
            >
              <td>
                <label>
                  <input
                    type="radio"
                    name="dataset"
                    checked={d.id === selected}
                    onChange={() => setSelected(d.id)}
                  />{" "}
                  {d.name} ({d.labels.length} labels)
                </label>
              </td>
              <td>{d.images_count}</td>
              <td>{d.annotations_count}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <form onSubmit={create}>
        <input
          data-testid="dataset-name"
          placeholder="new dataset"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <label>
          <input
            type="checkbox"
            data-testid="dataset-coco80"
            checked={coco80}
            onChange={(e) => setCoco80(e.target.checked)}
          />{" "}
          COCO 80 labels
        </label>
        <button type="submit" data-testid="create-dataset" disabled={!name.trim()}>
          Create
        </button>
      </form>
      {selected !== undefined && (
        <div className="server-actions">
          <FileInput
            label={
              <>
                Import a COCO <code>.json</code> or <code>.zip</code>
              </>
            }
            accept=".json,.zip"
            testId="server-import-input"
            disabled={busy}
            onFile={(file) => void upload(file, (id) => api.importUpload(selected, id, file.name))}
          />
          <FileInput
            label={
              <>
                Attach images (a <code>.zip</code>)
              </>
            }
            accept=".zip"
            testId="server-media-input"
            disabled={busy}
            onFile={(file) => void upload(file, (id) => api.attachMedia(selected, id))}
          />
          <button
            type="button"
            data-testid="server-export"
            disabled={busy}
            onClick={() => void run(async () => setStarted(await api.exportDataset(selected)))}
          >
            Export COCO zip
          </button>
          <button
            type="button"
            data-testid="server-browse"
            aria-pressed={browsing}
            onClick={() => setBrowsing(!browsing)}
          >
            {browsing ? "Hide images" : "Browse images"}
          </button>
        </div>
      )}
      {error && <p data-testid="server-error">{error}</p>}
      {uploading && (
        <div className="server-upload" data-testid="server-upload">
          <span>
            uploading {uploading.name}: {Math.round((100 * uploading.sent) / Math.max(1, uploading.total))}%
          </span>
          <progress max={Math.max(1, uploading.total)} value={uploading.sent} />
          <button
            type="button"
            data-testid="server-upload-cancel"
            onClick={() => uploading.controller.abort()}
          >
            Cancel
          </button>
        </div>
      )}
      {job && (
        <ServerJobView
          job={job}
          issues={issues}
          onCancel={() => void run(() => api.cancelJob(job.id))}
          onDownload={() => void download(job.id)}
          onOpen={() =>
            void run(async () => {
              const name = datasets.find((d) => d.id === job.dataset_id)?.name ?? `dataset-${job.dataset_id}`;
              onOpen(new File([await api.result(job.id)], `${name}.zip`, { type: "application/zip" }));
            })
          }
        />
      )}
      {browsing && selectedDataset && <ServerItems api={api} dataset={selectedDataset} />}
    </section>
  );
}
