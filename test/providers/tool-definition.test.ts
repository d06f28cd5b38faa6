import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { tempDir } from '../support/harness.js';
import { TEST_CONFIG_DOC } from '../support/test-config.js';

const root = join(import.meta.dirname, '../..');
const configFile = join(tempDir('handoff-tooldef-'), 'handoff.config.yaml');
writeFileSync(configFile, stringify(TEST_CONFIG_DOC));

const BOT_ENV = { HANDOFF_CONFIG: configFile, HANDOFF_PUBLIC_URL: 'https://handoff.example.com/' };

async function run(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return runWith({ env: BOT_ENV }, ...args);
}

/** The script as a user runs it: in `cwd`, with `env` on top of an environment that sets neither variable. */
async function runWith(opts: { env: Record<string, string>; cwd?: string }, ...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const inherited = { ...process.env };
  delete inherited.HANDOFF_CONFIG;
  delete inherited.HANDOFF_PUBLIC_URL;
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, ['--import', import.meta.resolve('tsx'), join(root, 'scripts/tool-definition.ts'), ...args], {
      cwd: opts.cwd ?? root,
      env: { ...inherited, ...opts.env },
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

const clinic = TEST_CONFIG_DOC.workflows[0]!;

function checkParameters(params: { type: string; properties: Record<string, { enum?: string[]; description?: string; dynamic_variable?: string }>; required: string[] }) {
  expect(params.type).toBe('object');
  for (const f of clinic.fields) expect(Object.keys(params.properties)).toContain(f.name);
  expect(params.properties.handoff_reason!.enum).toEqual(['emergency_or_sensitive_request', 'appointment_change', 'unspecified']);
  expect(params.properties.handoff_reason!.description).toContain('appointment_change: appointment change');
  expect(params.properties.preferred_clinic!.enum).toEqual(['downtown', 'northside']);
  expect(params.required).toEqual(['handoff_reason', 'patient_name']);
}

describe('npm run tool-definition', () => {
  it('prints a Vapi function tool pointing at the workflow\'s endpoint', async () => {
    const out = await run('vapi', 'clinic-after-hours');
    expect(out.code).toBe(0);
    const def = JSON.parse(out.stdout) as { type: string; function: { name: string; parameters: Parameters<typeof checkParameters>[0] }; server: { url: string } };
    expect(def.type).toBe('function');
    expect(def.server.url).toBe('https://handoff.example.com/v1/providers/vapi/clinic-after-hours');
    checkParameters(def.function.parameters);
  }, 30_000);

  it('prints a Retell custom function and an ElevenLabs webhook tool with the system variables', async () => {
    const retell = JSON.parse((await run('retell', 'clinic-after-hours')).stdout) as { type: string; url: string; parameters: Parameters<typeof checkParameters>[0] };
    expect(retell.type).toBe('custom');
    expect(retell.url).toBe('https://handoff.example.com/v1/providers/retell/clinic-after-hours');
    checkParameters(retell.parameters);
    const eleven = JSON.parse((await run('elevenlabs', 'clinic-after-hours')).stdout) as {
      type: string;
      api_schema: { url: string; method: string; request_body_schema: Parameters<typeof checkParameters>[0] };
    };
    expect(eleven.type).toBe('webhook');
    expect(eleven.api_schema).toMatchObject({ url: 'https://handoff.example.com/v1/providers/elevenlabs/clinic-after-hours', method: 'POST' });
    checkParameters(eleven.api_schema.request_body_schema);
    expect(eleven.api_schema.request_body_schema.properties.caller_id!.dynamic_variable).toBe('system__caller_id');
    expect(eleven.api_schema.request_body_schema.properties.conversation_id!.dynamic_variable).toBe('system__conversation_id');
  }, 30_000);

  it('says where each part goes in the platform\'s dashboard (stderr), and prints nothing but the JSON on stdout', async () => {
    const vapi = await run('vapi', 'clinic-after-hours');
    expect(vapi.stderr).toContain('server.timeoutSeconds');
    expect(vapi.stderr).toContain('credential');
    const retell = await run('retell', 'clinic-after-hours');
    expect(retell.stderr).toContain('{{transfer_number}}');
    expect(() => JSON.parse(retell.stdout) as unknown).not.toThrow();
    expect(vapi.stderr).not.toContain('HANDOFF_PUBLIC_URL');
  }, 30_000);

  it('warns when HANDOFF_PUBLIC_URL is unset, and still prints the definition with the placeholder', async () => {
    const out = await runWith({ env: { HANDOFF_CONFIG: configFile } }, 'retell', 'clinic-after-hours');
    expect(out.code).toBe(0);
    expect((JSON.parse(out.stdout) as { url: string }).url).toBe('https://YOUR-HANDOFF-HOST/v1/providers/retell/clinic-after-hours');
    expect(out.stderr).toContain('HANDOFF_PUBLIC_URL is not set');
  }, 30_000);

  it('on a fresh clone (no handoff.config.yaml) says in one line how to make one', async () => {
    const out = await runWith({ env: {}, cwd: tempDir('handoff-fresh-clone-') }, 'vapi', 'clinic-after-hours');
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain('cp handoff.config.example.yaml handoff.config.yaml');
  }, 30_000);

  it.each([
    [[], 'usage'],
    [['vapi'], 'usage'],
    [['skype', 'clinic-after-hours'], 'unknown platform'],
    [['twilio', 'clinic-after-hours'], 'twilio has no tool'],
    [['vapi', 'no-such-workflow'], 'no workflow "no-such-workflow"'],
  ])('refuses %j with one line and exit 1', async (args, message) => {
    const out = await run(...args);
    expect(out.code).toBe(1);
    expect(out.stdout).toBe('');
    expect(out.stderr.trim().split('\n')).toHaveLength(1);
    expect(out.stderr).toContain(message);
  }, 30_000);
});
