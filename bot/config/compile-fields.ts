import { z } from 'zod';
import { TEXT_FIELD_MAX, type FieldSpec } from './field-spec.js';

const E164 = /^\+[1-9]\d{6,14}$/;
const DATE = /^\d{4}-\d{2}-\d{2}$/;

function isRealDate(text: string): boolean {
  const d = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
}

function valueSchema(field: FieldSpec): z.ZodType {
  switch (field.type) {
    case 'text':
      return z.string().max(TEXT_FIELD_MAX);
    case 'number':
      return z.number().finite();
    case 'boolean':
      return z.boolean();
    case 'date':
      return z.string().regex(DATE, 'must be a date YYYY-MM-DD').refine(isRealDate, 'must be a real calendar date');
    case 'datetime':
      return z.iso.datetime({ offset: true });
    case 'phone':
      return z.string().regex(E164, 'must be an E.164 phone number such as +15555550100');
    case 'email':
      return z.email().max(254);
    case 'url':
      return z.url({ protocol: /^https?$/ }).max(2048);
    case 'enum':
      return z.enum(field.values as [string, ...string[]]);
  }
}

/**
 * Compiles a workflow's `fields` (the Call App's structured output schema) into the zod
 * schema for `structured_fields`: unknown keys are rejected, `null` for an optional field
 * means absent, a required field must be present and non-null.
 */
export function compileFields(fields: readonly FieldSpec[]): z.ZodType<Record<string, unknown>> {
  const shape: Record<string, z.ZodType> = {};
  for (const field of fields) {
    const value = valueSchema(field);
    shape[field.name] = field.required ? value : value.nullish();
  }
  return z.strictObject(shape) as unknown as z.ZodType<Record<string, unknown>>;
}
