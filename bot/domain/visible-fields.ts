import type { VisibleField } from '../../shared/schemas/handoff-view.js';
import type { Workflow } from '../config/load-config.js';

function display(value: unknown): string {
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
