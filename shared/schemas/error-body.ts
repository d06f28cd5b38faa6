import { z } from 'zod';

export const errorIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** Every error answer of the HTTP API has this shape (docs/contract/http-api.md#errors). */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(errorIssueSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
