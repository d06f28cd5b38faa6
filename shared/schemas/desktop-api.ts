import { z } from 'zod';

export const pairRequestSchema = z.object({
  code: z.string().min(1).max(64),
  device_name: z.string().min(1).max(100).optional(),
});
export type PairRequest = z.infer<typeof pairRequestSchema>;

export const pairResponseSchema = z.object({
  token: z.string(),
  user_id: z.string(),
});
export type PairResponse = z.infer<typeof pairResponseSchema>;
