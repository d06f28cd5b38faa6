import type { VisibleField } from '../../shared/schemas/handoff-view.js';
import type { Workflow } from '../config/load-config.js';
import type { FieldSpec } from '../config/field-spec.js';

export function display(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value) ?? '';
}

/** The structured fields a card or the desktop may show: configured order, sensitive ones never. */
export function visibleFields(workflow: Workflow | undefined, fields: Record<string, unknown> | null): VisibleField[] {
  if (!workflow || !fields) return [];
  const out: VisibleField[] = [];
  for (const spec of workflow.fields) {
    if (spec.sensitive) continue;
    const value = fields[spec.name];
    if (value === undefined || value === null) continue;
    out.push({ name: spec.name, label: spec.label ?? spec.name.replace(/_/g, ' '), value: display(value) });
  }
  return out;
}

/** One structured field as a Details view lists it; `value` null = not given. */
export interface DetailsField {
  label: string;
  sensitive: boolean;
  /** A stored key the current config no longer describes. */
  unknown: boolean;
  value: string | null;
}

/**
 * What a Details view (the Slack modal, the bot's Details page) lists: every configured field in config
 * order, sensitive ones included, then any stored key the config no longer lists (treated as
 * sensitive: nothing says otherwise any more).
 */
export function allFields(specs: readonly Pick<FieldSpec, 'name' | 'label' | 'sensitive'>[], stored: Readonly<Record<string, unknown>>): DetailsField[] {
  const known = new Set(specs.map((f) => f.name));
  const valueOf = (name: string): string | null => {
    const v = Object.hasOwn(stored, name) ? stored[name] : undefined;
    return v === undefined || v === null ? null : display(v);
  };
  const out: DetailsField[] = specs.map((f) => ({
    label: f.label ?? f.name.replace(/_/g, ' '),
    sensitive: f.sensitive === true,
    unknown: false,
    value: valueOf(f.name),
  }));
  for (const name of Object.keys(stored)) {
    if (!known.has(name)) out.push({ label: name, sensitive: true, unknown: true, value: valueOf(name) });
  }
  return out;
}
