import { z } from 'zod';

export const errorIssueSchema = z.object({ path: z.string(), message: z.string() });
export type ErrorIssue = z.infer<typeof errorIssueSchema>;

/** Every error answer of the HTTP API has this shape (SPEC section 3). */
export const errorBodySchema = z.object({
  error: z.string(),
  message: z.string(),
  issues: z.array(errorIssueSchema).optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
