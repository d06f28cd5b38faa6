// The emulator's own HTTP surface (not Slack's): state, call counts, faults,
// the change feed as Server-Sent Events, and interactions the sandbox page
// triggers (a click on a card button becomes a signed block_actions post).
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { CallLog } from './calls.js';
import { EmulatorError } from './errors.js';
import { FaultRuleError, parseFaultRule, type FaultBook } from './faults.js';
import { readBody, sendJson } from './http-io.js';
import type { Interactions } from './interactions.js';
import type { EmulatorState } from './state.js';

export interface ControlDeps {
  state: EmulatorState;
  faults: FaultBook;
  calls: CallLog;
  interactions: Interactions;
  /** Open SSE responses; ended when the emulator stops. */
  streams: Set<ServerResponse>;
}

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const body = await readBody(req);
  if (body.length === 0) return {};
  const parsed: unknown = JSON.parse(body);
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) throw new SyntaxError('expected a JSON object');
  return parsed as Record<string, unknown>;
}

function stringField(o: Record<string, unknown>, key: string): string {
  const v = o[key];
  if (typeof v !== 'string' || v.length === 0) throw new FaultRuleError(`${key} is required`);
  return v;
}

function optionalString(o: Record<string, unknown>, key: string): string | undefined {
  const v = o[key];
  return typeof v === 'string' ? v : undefined;
}

/** Handles /_emulator/*; returns false for paths it does not own. */
export async function handleControl(deps: ControlDeps, req: IncomingMessage, res: ServerResponse, url: URL): Promise<boolean> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  try {
    if (path === '/_emulator/state' && method === 'GET') {
      sendJson(res, 200, deps.state.snapshot());
      return true;
    }
    if (path === '/_emulator/calls') {
      if (method === 'DELETE') deps.calls.reset();
      sendJson(res, 200, { counts: deps.calls.counts(), calls: deps.calls.all() });
      return true;
    }
    if (path === '/_emulator/faults') {
      if (method === 'POST') {
        const id = deps.faults.add(parseFaultRule(await readJson(req)));
        sendJson(res, 200, { ok: true, id });
        return true;
      }
      if (method === 'DELETE') deps.faults.clear();
      sendJson(res, 200, { ok: true, faults: deps.faults.list() });
      return true;
    }
    const faultId = /^\/_emulator\/faults\/(\d+)$/.exec(path);
    if (faultId?.[1] && method === 'DELETE') {
      deps.faults.remove(Number(faultId[1]));
      sendJson(res, 200, { ok: true, faults: deps.faults.list() });
      return true;
    }
    if (path === '/_emulator/events' && method === 'GET') {
      openStream(deps, res);
      return true;
    }
    if (path.startsWith('/_emulator/interactions/') && method === 'POST') {
      const body = await readJson(req);
      const kind = path.slice('/_emulator/interactions/'.length);
      const answer = await interact(deps.interactions, kind, body);
      if (answer === undefined) return false;
      sendJson(res, 200, { ok: true, answer });
      return true;
    }
    return false;
  } catch (err) {
    if (err instanceof FaultRuleError || err instanceof SyntaxError) {
      sendJson(res, 400, { ok: false, error: err instanceof FaultRuleError ? err.code : 'invalid_json', message: err.message });
      return true;
    }
    if (err instanceof EmulatorError) {
      // A refused slash command is Slack's answer, not a broken request: `ok: false` with 200, as Slack's API does.
      sendJson(res, err.code === 'invalid_command' ? 200 : 400, { ok: false, error: err.code, message: err.message });
      return true;
    }
    sendJson(res, 502, { ok: false, error: 'bot_unreachable' });
    return true;
  }
}

async function interact(interactions: Interactions, kind: string, body: Record<string, unknown>): Promise<unknown> {
  switch (kind) {
    case 'block-action': {
      const value = optionalString(body, 'value');
      const selectedOption = optionalString(body, 'selectedOption');
      return interactions.sendBlockAction({
        user: stringField(body, 'user'),
        channel: stringField(body, 'channel'),
        messageTs: stringField(body, 'messageTs'),
        actionId: stringField(body, 'actionId'),
        ...(value !== undefined ? { value } : {}),
        ...(selectedOption !== undefined ? { selectedOption } : {}),
      });
    }
    case 'view-submission': {
      const user = optionalString(body, 'user');
      const values = body.values;
      return interactions.sendViewSubmission({
        viewId: stringField(body, 'viewId'),
        ...(user !== undefined ? { user } : {}),
        ...(typeof values === 'object' && values !== null ? { values: values as never } : {}),
      });
    }
    case 'app-home-opened':
      return interactions.openAppHome(stringField(body, 'user'));
    case 'view-closed': {
      interactions.closeView(stringField(body, 'viewId'), stringField(body, 'user'));
      return { ok: true };
    }
    case 'slash-command': {
      const command = optionalString(body, 'command');
      return interactions.sendSlashCommand({
        user: stringField(body, 'user'),
        channel: stringField(body, 'channel'),
        text: optionalString(body, 'text') ?? '',
        ...(command !== undefined ? { command } : {}),
      });
    }
    default:
      return undefined;
  }
}

function openStream(deps: ControlDeps, res: ServerResponse): void {
  res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', connection: 'keep-alive' });
  res.write(`event: state\ndata: ${JSON.stringify(deps.state.snapshot())}\n\n`);
  const off = deps.state.onChange((event) => res.write(`event: change\ndata: ${JSON.stringify(event)}\n\n`));
  deps.streams.add(res);
  res.on('close', () => {
    off();
    deps.streams.delete(res);
  });
}
