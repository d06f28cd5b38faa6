// Record of every Web API call, for assertions ("chat.postMessage was called
// twice, the first one was rate limited"). Parameters are not kept: they may
// hold message bodies, and tests read content from the state instead.

export type CallOutcome = 'ok' | 'api_error' | 'ratelimited' | 'http_error' | 'hung' | 'disconnected' | 'auth_error';

export interface CallRecord {
  method: string;
  at: number;
  outcome: CallOutcome;
  error?: string;
}

export class CallLog {
  private records: CallRecord[] = [];

  record(entry: CallRecord): void {
    this.records.push(entry);
  }

  count(method?: string): number {
    return method === undefined ? this.records.length : this.records.filter((r) => r.method === method).length;
  }

  all(method?: string): CallRecord[] {
    return this.records.filter((r) => method === undefined || r.method === method).map((r) => ({ ...r }));
  }

  /** Calls per method, e.g. `{ 'chat.postMessage': 2 }`. */
  counts(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const r of this.records) out[r.method] = (out[r.method] ?? 0) + 1;
    return out;
  }

  reset(): void {
    this.records = [];
  }
}
