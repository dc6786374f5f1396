// One server job as the panel shows it: status, phase and progress, a Cancel button while it is
// queued or running, the download (or opening in the page) of a finished export, and the issues
// of a failed one.
import { isEnded, type ServerIssue, type ServerJob } from "../../api/client.js";

export function ServerJobView({
  job,
  issues,
  onCancel,
  onDownload,
  onOpen,
}: {
  job: ServerJob;
  issues: ServerIssue[];
  onCancel: () => void;
  onDownload: () => void;
  onOpen: () => void;
}) {
  const exported = job.type === "export" && job.status === "finished";
  return (
    <div className="server-job" data-testid="server-job" data-status={job.status} data-type={job.type}>
      <span>
        job {job.id} ({job.type}): {job.status}
        {job.phase ? ` · ${job.phase}` : ""}
        {job.message ? ` · ${job.message}` : ""}
      </span>
      <progress max={1} value={job.progress} />
      {!isEnded(job.status) && (
        <button type="button" data-testid="server-cancel" onClick={onCancel}>
          Cancel
        </button>
      )}
      {exported && (
        <button type="button" data-testid="server-download" onClick={onDownload}>
          Download
        </button>
      )}
      {exported && (
        <button type="button" data-testid="server-open-export" onClick={onOpen}>
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
  );
}
