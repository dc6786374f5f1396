import { z } from "zod";

/** One issue inside a problem response. */
export const ProblemIssueSchema = z.object({
  code: z.string(),
  message: z.string(),
  pointer: z.string().optional(),
  file: z.string().optional(),
  severity: z.string().optional(),
});

/** Every error response: RFC 9457 problem details plus a stable `code`. */
export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    code: z.string(),
    issues: z.array(ProblemIssueSchema).optional(),
  })
  .meta({ id: "Problem" });

/** Paging of list routes. */
export const PageQuery = z.object({
  offset: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
});

/** A numeric path id. */
export const IdParams = z.object({ id: z.coerce.number().int().positive() });

/** The error responses every authenticated route can give. */
export const authErrors = { 400: ProblemSchema, 401: ProblemSchema } as const;
