import { z } from "zod";
import { JOB_STATES, JOB_TYPES } from "../jobs/state.js";

export const JobSchema = z
  .object({
    id: z.number().int(),
    type: z.enum(JOB_TYPES),
    dataset_id: z.number().int().nullable(),
    status: z.enum(JOB_STATES),
    progress: z.number().min(0).max(1),
    phase: z.string().nullable(),
    message: z.string().nullable(),
    error_code: z.string().nullable(),
    issues_count: z.number().int(),
    result_url: z.string().nullable(),
    created_at: z.string(),
    started_at: z.string().nullable(),
    finished_at: z.string().nullable(),
    expires_at: z.string().nullable(),
  })
  .meta({ id: "Job" });

export const JobListQuery = z.object({
  status: z.enum(JOB_STATES).optional(),
  type: z.enum(JOB_TYPES).optional(),
  dataset_id: z.coerce.number().int().positive().optional(),
});

export const JobIssueSchema = z
  .object({
    seq: z.number().int(),
    code: z.string(),
    severity: z.string(),
    message: z.string(),
    file: z.string().nullable(),
    pointer: z.string().nullable(),
  })
  .meta({ id: "JobIssue" });
