import type { Issue, IssueCode } from "./issue.js";

/** The result of a validation pass: every problem found, counted by code. Serialises to JSON as is. */
export interface Report {
  /** True when no issue has severity `error`. */
  ok: boolean;
  errorCount: number;
  warningCount: number;
  /** How many issues of each code were found, including those not kept in `issues`. */
  counts: Partial<Record<IssueCode, number>>;
  /** The issues, in the order found, up to the builder's `maxIssues`. */
  issues: Issue[];
  /** True when more issues were found than `issues` holds. */
  truncated: boolean;
  /** Records a lenient import left out because of their errors (import only). */
  skipped?: number;
}

/** Options for collecting issues. */
export interface ReportOptions {
  /** Keep at most this many issues (all are still counted). Default 10,000. */
  maxIssues?: number;
}

/** Collects issues during a pass; never throws on a problem, so one pass reports them all. */
export class ReportBuilder {
  private readonly issues: Issue[] = [];
  private readonly counts: Partial<Record<IssueCode, number>> = {};
  private readonly maxIssues: number;
  errorCount = 0;
  warningCount = 0;

  constructor(options: ReportOptions = {}) {
    this.maxIssues = options.maxIssues ?? 10_000;
  }

  add(issue: Issue): void {
    if (issue.severity === "error") this.errorCount++;
    else this.warningCount++;
    this.counts[issue.code] = (this.counts[issue.code] ?? 0) + 1;
    if (this.issues.length < this.maxIssues) this.issues.push(issue);
  }

  finish(): Report {
    return {
      ok: this.errorCount === 0,
      errorCount: this.errorCount,
      warningCount: this.warningCount,
      counts: { ...this.counts },
      issues: [...this.issues],
      truncated: this.issues.length < this.errorCount + this.warningCount,
    };
  }
}
