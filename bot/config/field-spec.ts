import { z } from 'zod';

/** Field types of the seed's structured output schema (docs/contract/config.md#field-types). */
export const FIELD_TYPES = ['text', 'number', 'boolean', 'date', 'datetime', 'phone', 'email', 'url', 'enum'] as const;

export const TEXT_FIELD_MAX = 4_000;

export const fieldSpecSchema = z
  .strictObject({
    name: z.string().regex(/^[a-z][a-z0-9_]{0,63}$/, 'must be snake_case: a-z, 0-9, _ (max 64)'),
    type: z.enum(FIELD_TYPES),
    required: z.boolean().default(false),
    description: z.string().max(500).optional(),
    label: z.string().min(1).max(100).optional(),
    sensitive: z.boolean().default(false),
    values: z.array(z.string().min(1).max(200)).min(1).optional(),
  })
  .superRefine((field, ctx) => {
    if (field.type === 'enum' && !field.values) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'an enum field needs a non-empty "values" list' });
    }
    if (field.type !== 'enum' && field.values) {
      ctx.addIssue({ code: 'custom', path: ['values'], message: 'only an enum field may have "values"' });
    }
  });
export type FieldSpec = z.infer<typeof fieldSpecSchema>;
