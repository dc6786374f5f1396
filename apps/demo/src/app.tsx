// The page: open a file, then browse the grid, one image, or the problems list; export a zip.
import type { ProgressEvent } from "@cocokit/core";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import { ApiClient } from "./api/client.js";
import { defaultChoice, type ExportChoice, exportOptionsOf } from "./model/export-choice.js";
import { filterItems, type ItemFilter, NO_FILTER } from "./model/filter.js";
import { createIssueLocator, type IssueTarget } from "./model/issues.js";
import { computeStats } from "./model/stats.js";
import { statusLine, summarize } from "./model/summary.js";
import { ExportForm } from "./ui/ExportForm.js";
import { Filters } from "./ui/Filters.js";
import { type GridEntry, ImageGrid } from "./ui/ImageGrid.js";
import { ImageView } from "./ui/ImageView.js";
import { ImageCache } from "./ui/image-cache.js";
import { OpenFile, type OpenInput } from "./ui/OpenFile.js";
import { Problems } from "./ui/Problems.js";
import { ProgressBar } from "./ui/ProgressBar.js";
import { Stats } from "./ui/Stats.js";
import { ServerPanel, TOKEN_KEY } from "./ui/server/ServerPanel.js";
import { useFullItem } from "./ui/use-full-item.js";
import { type DatasetClient, type Opened, WorkerRequestError } from "./worker/client.js";

type Busy = { what: "open" | "export"; controller: AbortController; progress?: ProgressEvent };

function describe(error: unknown): string {
  if (error instanceof WorkerRequestError) return `${error.code}: ${error.message}`;
  return String(error);
}

export function App({ client }: { client: DatasetClient }) {
  const cache = useMemo(() => new ImageCache(client), [client]);
  const [opened, setOpened] = useState<(Opened & { name: string }) | undefined>();
  const [busy, setBusy] = useState<Busy | undefined>();
  const [message, setMessage] = useState<string>("");
  const [filter, setFilter] = useState<ItemFilter>(NO_FILTER);
  const [exportChoice, setExportChoice] = useState<ExportChoice | undefined>();
  const [tab, setTab] = useState<"images" | "problems" | "stats">("images");
  const [viewing, setViewing] = useState<number | undefined>();
  const [highlighted, setHighlighted] = useState<number | undefined>();
  const busyRef = useRef<Busy | undefined>(undefined);
  // Server mode when cocokit-server serves the page (its /api/health answers).
  const api = useMemo(() => new ApiClient("", sessionStorage.getItem(TOKEN_KEY) ?? undefined), []);
  const [server, setServer] = useState<string | undefined>();
  useEffect(() => void api.health().then((health) => setServer(health?.version)), [api]);

  const summary = useMemo(() => (opened ? summarize(opened.dataset) : undefined), [opened]);
  // Only when the tab shows: the first grid does not wait for it.
  const stats = useMemo(
    () => (opened && tab === "stats" ? computeStats(opened.dataset) : undefined),
    [opened, tab],
  );
  const locate = useMemo(() => (opened ? createIssueLocator(opened.dataset) : () => undefined), [opened]);
  // The images a validation issue points at (by position), for the "has problems" filter.
  const problemItems = useMemo(() => {
    const found = new Set<number>();
    for (const issue of opened?.report.issues ?? []) {
      const target = locate(issue);
      if (target) found.add(target.itemIndex);
    }
    return found;
  }, [opened, locate]);
  const entries = useMemo<GridEntry[]>(() => {
    if (!opened || !summary) return [];
    return filterItems(opened.dataset.items, filter, { problems: problemItems }).map((index) => ({
      item: opened.dataset.items[index]!,
      index,
      objects: summary.objectCounts[index]!,
    }));
  }, [opened, summary, filter, problemItems]);

  const start = (what: Busy["what"]): Busy => {
    const next: Busy = { what, controller: new AbortController() };
    busyRef.current = next;
    setBusy(next);
    return next;
  };
  const onProgress = (job: Busy) => (progress: ProgressEvent) => {
    if (busyRef.current === job) setBusy({ ...job, progress });
  };
  const finish = (job: Busy) => {
    if (busyRef.current === job) {
      busyRef.current = undefined;
      setBusy(undefined);
    }
  };

  const openFile = async (file: OpenInput) => {
    const job = start("open");
    setMessage(`opening ${file.name}…`);
    try {
      const result = await client.open(file, file.name, {
        signal: job.controller.signal,
        onProgress: onProgress(job),
      });
      cache.clear();
      setOpened({ ...result, name: file.name });
      setExportChoice(defaultChoice(result.dataset, result.hasMedia));
      setFilter(NO_FILTER);
      setViewing(undefined);
      setHighlighted(undefined);
      setTab(result.report.issues.length > 0 && result.dataset.items.length === 0 ? "problems" : "images");
      setMessage("");
    } catch (error) {
      setMessage(
        error instanceof WorkerRequestError && error.code === "aborted" ? "cancelled" : describe(error),
      );
    } finally {
      finish(job);
    }
  };

  const exportZip = async () => {
    if (!opened || !exportChoice) return;
    const job = start("export");
    try {
      const blob = await client.exportZip(exportOptionsOf(exportChoice, opened.dataset), {
        signal: job.controller.signal,
        onProgress: onProgress(job),
      });
      const stem = opened.name.replace(/\.(json|zip)$/i, "");
      const a = Object.assign(document.createElement("a"), {
        href: URL.createObjectURL(blob),
        download: `${stem}-cvat.zip`,
      });
      document.body.append(a);
      a.click();
      a.remove();
      setTimeout(() => URL.revokeObjectURL(a.href), 60_000);
      setMessage(`exported ${a.download}`);
    } catch (error) {
      setMessage(
        error instanceof WorkerRequestError && error.code === "aborted" ? "cancelled" : describe(error),
      );
    } finally {
      finish(job);
    }
  };

  const step = useCallback(
    (delta: 1 | -1) => {
      setHighlighted(undefined);
      setViewing((current) => {
        const at = entries.findIndex((e) => e.index === current);
        const next = entries[at + delta];
        return next ? next.index : current;
      });
    },
    [entries],
  );
  const close = useCallback(() => setViewing(undefined), []);
  const loadAnnotations = useCallback(
    (index: number, signal: AbortSignal) => client.annotations(index, { signal }),
    [client],
  );
  const openTarget = (target: IssueTarget) => {
    setFilter(NO_FILTER);
    setViewing(target.itemIndex);
    setHighlighted(target.annotationId);
    setTab("images");
  };

  const outline = viewing === undefined ? undefined : opened?.dataset.items[viewing];
  const item = useFullItem(client, outline, viewing);
  const position = entries.findIndex((e) => e.index === viewing);
  return (
    <div className="app">
      <header>
        <h1>cocokit</h1>
        <OpenFile onFile={openFile} disabled={busy !== undefined} />
        {opened && (
          <button type="button" data-testid="export-button" disabled={busy !== undefined} onClick={exportZip}>
            Export CVAT zip
          </button>
        )}
        {opened && exportChoice && (
          <ExportForm choice={exportChoice} onChange={setExportChoice} hasMedia={opened.hasMedia} />
        )}
        <span data-testid="status" className="status">
          {summary ? statusLine(summary) : "no dataset"}
        </span>
        {message && <span data-testid="message">{message}</span>}
      </header>
      {server && <ServerPanel api={api} version={server} onOpen={openFile} />}
      {busy && <ProgressBar progress={busy.progress} onCancel={() => busy.controller.abort()} />}
      {opened && summary && (
        <main>
          <nav className="tabs">
            <button
              type="button"
              data-testid="tab-images"
              className={tab === "images" ? "on" : ""}
              onClick={() => setTab("images")}
            >
              Images
            </button>
            <button
              type="button"
              data-testid="tab-problems"
              className={tab === "problems" ? "on" : ""}
              onClick={() => setTab("problems")}
            >
              Problems ({opened.report.issues.length})
            </button>
            <button
              type="button"
              data-testid="tab-stats"
              className={tab === "stats" ? "on" : ""}
              onClick={() => setTab("stats")}
            >
              Stats
            </button>
            <span data-testid="grid-count">
              {entries.length} of {summary.images}
            </span>
          </nav>
          {tab === "stats" ? (
            <Stats stats={stats!} />
          ) : tab === "problems" ? (
            <Problems report={opened.report} locate={locate} onOpen={openTarget} />
          ) : outline && !item ? (
            <div className="image-view loading" data-testid="image-loading">
              {outline.image.fileName}…
            </div>
          ) : item ? (
            <ImageView
              item={item}
              position={`${position + 1} of ${entries.length}`}
              categories={summary.categories}
              cache={cache}
              highlighted={highlighted}
              onHighlight={setHighlighted}
              onStep={step}
              onClose={close}
            />
          ) : (
            <div className="browse">
              <Filters
                categories={opened.dataset.categories}
                subsets={summary.subsets}
                filter={filter}
                onChange={setFilter}
              />
              <ImageGrid
                entries={entries}
                cache={cache}
                load={loadAnnotations}
                categories={summary.categories}
                onOpen={(index) => setViewing(index)}
              />
            </div>
          )}
        </main>
      )}
    </div>
  );
}
