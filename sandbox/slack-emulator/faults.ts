// Fault injection for the Web API: which calls answer 429, 5xx, a Slack error
// code, a dropped connection, or nothing at all. `pickFault` decides (pure);
// `FaultBook` holds the rules and consumes their budgets.

export type Fault =
  | { kind: 'ratelimit'; retryAfterSec: number }
  | { kind: 'status'; status: number }
  | { kind: 'error'; error: string }
  | { kind: 'hang' }
  | { kind: 'disconnect' };

export interface FaultRule {
  /** A Web API method name such as `chat.postMessage`, or `*` for every method. */
  method: string;
  fault: Fault;
  /** Apply to the next `times` matching calls; unlimited when absent (use `untilMs` or remove it). */
  times?: number;
  /** Apply while the emulator clock is before this epoch-ms time. */
  untilMs?: number;
}

export interface ActiveFaultRule extends FaultRule {
  id: number;
  used: number;
}

export class FaultRuleError extends Error {
  readonly code = 'invalid_fault_rule';
}

/** The first live rule matching `method` at `now`, or undefined. */
export function pickFault(rules: readonly ActiveFaultRule[], method: string, now: number): ActiveFaultRule | undefined {
  return rules.find(
    (r) =>
      (r.method === '*' || r.method === method) &&
      (r.times === undefined || r.used < r.times) &&
      (r.untilMs === undefined || now < r.untilMs),
  );
}

/** Parse an untrusted rule (HTTP control endpoint) into a FaultRule, or throw FaultRuleError. */
export function parseFaultRule(input: unknown): FaultRule {
  if (typeof input !== 'object' || input === null) throw new FaultRuleError('fault rule must be an object');
  const o = input as Record<string, unknown>;
  const method = o.method ?? '*';
  if (typeof method !== 'string' || method.length === 0) throw new FaultRuleError('method must be a string');
  const num = (key: string): number | undefined => {
    const v = o[key];
    if (v === undefined) return undefined;
    if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new FaultRuleError(`${key} must be a number >= 0`);
    return v;
  };
  let fault: Fault;
  switch (o.kind) {
    case 'ratelimit':
      fault = { kind: 'ratelimit', retryAfterSec: num('retryAfterSec') ?? 1 };
      break;
    case 'status': {
      const status = num('status') ?? 500;
      if (status < 400 || status > 599) throw new FaultRuleError('status must be 4xx or 5xx');
      fault = { kind: 'status', status };
      break;
    }
    case 'error':
      if (typeof o.error !== 'string' || o.error.length === 0) throw new FaultRuleError('error must be a string');
      fault = { kind: 'error', error: o.error };
      break;
    case 'hang':
    case 'disconnect':
      fault = { kind: o.kind };
      break;
    default:
      throw new FaultRuleError('kind must be ratelimit, status, error, hang or disconnect');
  }
  const rule: FaultRule = { method, fault };
  const times = num('times');
  const untilMs = num('untilMs');
  if (times !== undefined) rule.times = times;
  if (untilMs !== undefined) rule.untilMs = untilMs;
  return rule;
}

export class FaultBook {
  private rules: ActiveFaultRule[] = [];
  private nextId = 1;

  constructor(private readonly clock: () => number) {}

  /** Add a rule; returns its id for `remove`. Earlier rules win when several match. */
  add(rule: FaultRule): number {
    const id = this.nextId++;
    this.rules.push({ ...rule, id, used: 0 });
    return id;
  }

  rateLimit(method: string, retryAfterSec: number, times?: number): number {
    return this.add({ method, fault: { kind: 'ratelimit', retryAfterSec }, ...(times === undefined ? {} : { times }) });
  }

  serverError(method: string, status = 500, times?: number): number {
    return this.add({ method, fault: { kind: 'status', status }, ...(times === undefined ? {} : { times }) });
  }

  slackError(method: string, error: string, times?: number): number {
    return this.add({ method, fault: { kind: 'error', error }, ...(times === undefined ? {} : { times }) });
  }

  hang(method: string, times?: number): number {
    return this.add({ method, fault: { kind: 'hang' }, ...(times === undefined ? {} : { times }) });
  }

  remove(id: number): void {
    this.rules = this.rules.filter((r) => r.id !== id);
  }

  clear(): void {
    this.rules = [];
  }

  list(): ActiveFaultRule[] {
    return this.rules.map((r) => ({ ...r }));
  }

  /** Consume one use of the matching rule, if any, and return its fault. */
  take(method: string): Fault | undefined {
    const rule = pickFault(this.rules, method, this.clock());
    if (!rule) return undefined;
    rule.used += 1;
    return rule.fault;
  }
}
