// Server mode (the page is served by cocokit-server): list and create datasets, import a COCO
// file as a job, follow its progress and issues, export a COCO zip and download it (or open it in
// the page: grid, stats and image view then work on the server's dataset).
import { type FormEvent, useCallback, useEffect, useState } from "react";
import { type ApiClient, ApiError, isEnded, type ServerDataset, type ServerJob } from "../../api/client.js";
import { useJob } from "./use-job.js";

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
  const busy = job !== undefined && !isEnded(job.status);
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
          <label>
            Import a COCO <code>.json</code> or <code>.zip</code>{" "}
            <input
              type="file"
              accept=".json,.zip"
              data-testid="server-import-input"
              disabled={busy}
              onChange={(e) => {
                const file = e.target.files?.[0];
                e.target.value = "";
                if (file) void run(async () => setStarted(await api.importFile(selected, file)));
              }}
            />
          </label>
          <button
            type="button"
            data-testid="server-export"
            disabled={busy}
            onClick={() => void run(async () => setStarted(await api.exportDataset(selected)))}
          >
            Export COCO zip
          </button>
        </div>
      )}
      {error && <p data-testid="server-error">{error}</p>}
      {job && (
        <div className="server-job" data-testid="server-job" data-status={job.status} data-type={job.type}>
          <span>
            job {job.id} ({job.type}): {job.status}
            {job.phase ? ` · ${job.phase}` : ""}
            {job.message ? ` · ${job.message}` : ""}
          </span>
          <progress max={1} value={job.progress} />
          {job.type === "export" && job.status === "finished" && (
            <button type="button" data-testid="server-download" onClick={() => void download(job.id)}>
              Download
            </button>
          )}
          {job.type === "export" && job.status === "finished" && (
            <button
              type="button"
              data-testid="server-open-export"
              onClick={() =>
                void run(async () => {
                  const name =
                    datasets.find((d) => d.id === job.dataset_id)?.name ?? `dataset-${job.dataset_id}`;
                  onOpen(new File([await api.result(job.id)], `${name}.zip`, { type: "application/zip" }));
                })
              }
            >
              Open in the page
            </button>
          )}
          {issues.length > 0 && (
            <ul>
              {issues.map((issue) => (
                <li
                  key={issue.seq}
                  data-testid="server-issue"
                  data-code={issue.code}
                  data-pointer={issue.pointer ?? ""}
                >
                  <strong className={issue.severity}>{issue.code}</strong> {issue.file ?? ""}
                  {issue.pointer ?? ""}: {issue.message}
                </li>
              ))}
            </ul>
          )}
        </div>
      )}
    </section>
  );
}
