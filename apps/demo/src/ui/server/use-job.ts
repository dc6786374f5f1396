// Follows one server job: polls it until it ends, then reads its issues.
import { useEffect, useState } from "react";
import { type ApiClient, isEnded, type ServerIssue, type ServerJob } from "../../api/client.js";

const POLL_MS = 250;

export function useJob(api: ApiClient, started: ServerJob | undefined, onEnd: (job: ServerJob) => void) {
  const [job, setJob] = useState<ServerJob | undefined>(started);
  const [issues, setIssues] = useState<ServerIssue[]>([]);
  // biome-ignore lint/correctness/useExhaustiveDependencies: onEnd is a notification, not an input
  useEffect(() => {
    setJob(started);
    setIssues([]);
    if (!started) return;
    let live = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = async () => {
      try {
        const next = await api.job(started.id);
        if (!live) return;
        setJob(next);
        if (!isEnded(next.status)) {
          timer = setTimeout(poll, POLL_MS);
          return;
        }
        if (next.issues_count > 0) {
          const found = await api.issues(next.id);
          if (live) setIssues(found);
        }
        onEnd(next);
      } catch {
        if (live) timer = setTimeout(poll, POLL_MS * 4);
      }
    };
    void poll();
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [api, started]);
  return { job, issues };
}
