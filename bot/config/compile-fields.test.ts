import { describe, expect, it } from 'vitest';
import { compileFields } from './compile-fields.js';
import { fieldSpecSchema, type FieldSpec } from './field-spec.js';

const spec = (f: Partial<FieldSpec> & Pick<FieldSpec, 'name' | 'type'>): FieldSpec => fieldSpecSchema.parse(f);

describe('compileFields: the structured output schema as a zod schema', () => {
  it.each<[FieldSpec['type'], unknown[], unknown[], Partial<FieldSpec>?]>([
    ['text', ['', 'Dana', 'x'.repeat(4000)], [42, 'x'.repeat(4001), true]],
    ['number', [0, -3.5, 1e9], ['12', Number.NaN, Infinity]],
    ['boolean', [true, false], ['true', 0]],
    ['date', ['2026-11-27', '2024-02-29'], ['2026-02-30', '27/11/2026', '2026-11-27T10:00:00Z']],
    ['datetime', ['2026-11-27T10:00:00Z', '2026-11-27T10:00:00+01:00'], ['2026-11-27', 'tomorrow']],
    ['phone', ['+15555550100', '+447700900123'], ['555-0100', '15555550100', '+0123']],
    ['email', ['dana@example.com'], ['dana@', 'not an email']],
    ['url', ['https://example.com/a?b=1', 'http://x.example'], ['ftp://example.com', 'javascript:alert(1)', 'example.com']],
    ['enum', ['downtown', 'northside'], ['mars', '']],
  ])('%s accepts its values and refuses others', (type, good, bad) => {
    const schema = compileFields([spec({ name: 'f', type, required: true, ...(type === 'enum' ? { values: ['downtown', 'northside'] } : {}) })]);
    for (const value of good) expect(schema.safeParse({ f: value }).success, `${type} should accept ${JSON.stringify(value)}`).toBe(true);
    for (const value of bad) expect(schema.safeParse({ f: value }).success, `${type} should refuse ${JSON.stringify(value)}`).toBe(false);
  });

  it('requires required fields, lets optional ones be absent or null, and refuses keys it does not define', () => {
    const schema = compileFields([spec({ name: 'patient_name', type: 'text', required: true }), spec({ name: 'visits', type: 'number' })]);
    expect(schema.safeParse({ patient_name: 'Dana' }).success).toBe(true);
    expect(schema.safeParse({ patient_name: 'Dana', visits: null }).success).toBe(true);
    expect(schema.safeParse({ visits: 2 }).success).toBe(false);
    expect(schema.safeParse({ patient_name: null }).success).toBe(false);
    expect(schema.safeParse({ patient_name: 'Dana', nickname: 'D' }).success).toBe(false);
  });

  it('never puts the value it refused in its messages', () => {
    const schema = compileFields([spec({ name: 'ssn', type: 'phone', required: true, sensitive: true })]);
    const result = schema.safeParse({ ssn: '123-45-6789' });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).not.toContain('123-45-6789');
  });
});
