import type { ProgressEvent } from "@cocokit/core";

/** The phase of a running import or export and how far it is, with a Cancel button. */
export function ProgressBar({
  progress,
  onCancel,
}: {
  progress: ProgressEvent | undefined;
  onCancel: () => void;
}) {
  const fraction = progress?.total ? Math.min(1, progress.done / progress.total) : undefined;
  return (
    <div className="progress" data-testid="progress" data-phase={progress?.phase ?? "start"}>
      <span className="phase">{progress?.phase ?? "starting"}</span>
      <progress max={1} value={fraction} />
      <span>
        {progress ? `${progress.done}${progress.total ? ` / ${progress.total}` : ""} ${progress.unit}` : ""}
      </span>
      <button type="button" data-testid="cancel-button" onClick={onCancel}>
        Cancel
      </button>
    </div>
  );
}
