// Reading Web API arguments: form posts carry everything as strings (arrays
// and objects JSON-encoded), JSON posts carry real values. Both are accepted.
import type { Params } from '../http-io.js';
import type { JsonObject, MessageMetadata } from '../types.js';

export class ArgError extends Error {
  constructor(readonly code: string, readonly messages: string[] = []) {
    super(code);
  }
}

export function str(params: Params, key: string): string | undefined {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw new ArgError('invalid_arguments', [`${key} must be a string`]);
}

export function bool(params: Params, key: string): boolean {
  const v = params[key];
  return v === true || v === 'true' || v === '1' || v === 1;
}

export function int(params: Params, key: string): number | undefined {
  const v = str(params, key);
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n)) throw new ArgError('invalid_arguments', [`${key} must be an integer`]);
  return n;
}

/** A JSON value sent either as a JSON-encoded string (form posts) or as a value (JSON posts). */
export function json(params: Params, key: string, badError: string): unknown {
  const v = params[key];
  if (v === undefined || v === null || v === '') return undefined;
  if (typeof v !== 'string') return v;
  try {
    return JSON.parse(v);
  } catch {
    throw new ArgError(badError, [`${key} is not valid JSON`]);
  }
}

export function blocksArg(params: Params): unknown {
  return json(params, 'blocks', 'invalid_blocks_format');
}

export function metadataArg(params: Params): MessageMetadata | undefined {
  const raw = json(params, 'metadata', 'invalid_metadata_format');
  if (raw === undefined) return undefined;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new ArgError('invalid_metadata_format');
  const m = raw as Record<string, unknown>;
  if (typeof m.event_type !== 'string' || m.event_type.length === 0) {
    throw new ArgError('invalid_metadata_schema', ['event_type is required']);
  }
  const payload = m.event_payload;
  if (typeof payload !== 'object' || payload === null || Array.isArray(payload)) {
    throw new ArgError('invalid_metadata_schema', ['event_payload must be an object']);
  }
  return { event_type: m.event_type, event_payload: payload as JsonObject };
}
