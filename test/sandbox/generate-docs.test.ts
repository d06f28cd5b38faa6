import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { buildDocs, buildOpenApi, GENERATED_DIR, staleFiles } from '../../scripts/generate-docs.js';
import { ERROR_STATUS } from '../../shared/errors.js';

type Obj = Record<string, unknown>;

function refs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) for (const n of node) refs(n, out);
  else if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') out.push(v);
      else refs(v, out);
    }
  }
  return out;
}

describe('generated API docs', () => {
  const doc = buildOpenApi() as Obj & { paths: Record<string, Record<string, Obj>>; components: { schemas: Record<string, Obj> } };

  it('are committed up to date (what npm run docs:check enforces)', () => {
    expect(staleFiles(GENERATED_DIR, buildDocs())).toEqual([]);
  });

  it('are an OpenAPI 3.1 document whose every $ref resolves', () => {
    expect(doc.openapi).toBe('3.1.0');
    const targets = refs(doc);
    expect(targets.length).toBeGreaterThan(10);
    for (const r of targets) expect(doc.components.schemas[r.replace('#/components/schemas/', '')], r).toBeDefined();
  });

  it('document every endpoint of docs/contract/http-api.md', () => {
    expect(Object.keys(doc.paths).sort()).toEqual(
      ['/healthz', '/metrics', '/readyz', '/v1/desktop/pair', '/v1/events', '/v1/handoffs', '/v1/handoffs/{id}', '/v1/handoffs/{id}/claim', '/v1/handoffs/{id}/escalate', '/v1/handoffs/{id}/resolve'].sort(),
    );
    const intake = doc.paths['/v1/handoffs']!.post as { parameters: { name: string; in: string; required: boolean }[]; responses: Record<string, Obj> };
    expect(intake.parameters.filter((p) => p.in === 'header' && p.required).map((p) => p.name)).toEqual(['webhook-id', 'webhook-timestamp', 'webhook-signature']);
    expect(Object.keys(intake.responses)).toEqual(expect.arrayContaining(['202', '400', '401', '409', '413', '415', '422', '503']));
  });

  it('give each error code the status of shared/errors.ts, and list every code', () => {
    expect(doc.components.schemas.ErrorCode!.enum).toEqual(Object.keys(ERROR_STATUS));
    for (const [path, ops] of Object.entries(doc.paths)) {
      for (const op of Object.values(ops) as { responses: Record<string, { content?: Record<string, { schema?: { allOf?: { properties?: { error?: { enum?: string[] } } }[] } }> }> }[]) {
        for (const [status, response] of Object.entries(op.responses)) {
          const codes = response.content?.['application/json']?.schema?.allOf?.[1]?.properties?.error?.enum ?? [];
          for (const code of codes) expect(String(ERROR_STATUS[code as keyof typeof ERROR_STATUS]), `${path} ${code}`).toBe(status);
        }
      }
    }
  });

  it('take the request schema from zod: strict object with the required fields of docs/contract/http-api.md#request-body', () => {
    const schema = JSON.parse(buildDocs()['handoff-request.schema.json']!) as { required: string[]; additionalProperties: boolean; properties: Record<string, Obj> };
    expect(schema.required).toEqual(['workflow_id', 'caller_id', 'call_status', 'structured_fields', 'webhook_url']);
    expect(schema.additionalProperties).toBe(false);
    expect(schema.properties.caller_message).toMatchObject({ type: 'string', maxLength: 500 });
  });

  it('--check finds a changed and a missing file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'handoff-docs-'));
    try {
      const docs = buildDocs();
      for (const [name, content] of Object.entries(docs)) writeFileSync(join(dir, name), content);
      expect(staleFiles(dir, docs)).toEqual([]);
      writeFileSync(join(dir, 'openapi.json'), '{}\n');
      rmSync(join(dir, 'error.schema.json'));
      expect(staleFiles(dir, docs).sort()).toEqual(['error.schema.json', 'openapi.json']);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('the CLI --check exits 0 on the committed docs', async () => {
    const root = join(import.meta.dirname, '../..');
    const { stderr } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/generate-docs.ts', '--check'], { cwd: root });
    expect(stderr).toBe('');
  });
});
