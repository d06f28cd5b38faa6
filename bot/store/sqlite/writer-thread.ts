import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { backoffMs } from '../../../shared/backoff.js';
import { StoreError } from '../store-error.js';
import { WRITE_STATEMENTS, type WriteOp } from '../write-ops.js';
import { sqliteCode } from './sqlite-errors.js';

/** A write that did not commit: SQLite's code (e.g. SQLITE_CONSTRAINT_PRIMARYKEY) or ours, as a StoreError. */
function writeError(code: string): StoreError {
  return new StoreError(sqliteCode(code), code);
}

/** Where group-committed writes go (the writer thread). */
export interface Committer {
  /** Resolves once `ops` are committed (fsync'd), together, or rejects with nothing of them kept. */
  submit(ops: WriteOp[]): Promise<void>;
  close(): Promise<void>;
}

interface Pending {
  ops: WriteOp[];
  resolve: () => void;
  reject: (err: Error) => void;
}

type WorkerMessage =
  | { type: 'ready' }
  | { type: 'closed' }
  | { type: 'committed'; id: number; results?: (string | null)[]; error?: string };

export interface CommitterOptions {
  /** Most units in one transaction; a larger burst becomes consecutive transactions, in order. */
  maxBatch?: number;
  onBatch?: (size: number) => void;
}

export interface WriterThreadOptions extends CommitterOptions {
  file: string;
  /** How long the thread waits for the main connection's write lock (default 5000 ms). */
  busyTimeoutMs?: number;
}

const requireHere = createRequire(import.meta.url);

/**
 * Group commit on a worker thread with its own connection (WAL lets it write beside the main one).
 * Units that arrive while a batch is committing form the next batch; each promise settles after the
 * commit holding its writes. If the thread dies, what it held is rejected (the clients get 503 and
 * retry with the same key) and a new thread takes over.
 */
export class WriterThread implements Committer {
  private worker!: Worker;
  private ready!: Promise<void>;
  private queue: Pending[] = [];
  private inFlight: { id: number; units: Pending[] } | null = null;
  private scheduled = false;
  private nextId = 1;
  private closing = false;
  private readonly maxBatch: number;
  private spawnedAt = 0;
  private alive = false;
  private quickDeaths = 0;

  constructor(private readonly options: WriterThreadOptions) {
    this.maxBatch = options.maxBatch ?? 512;
    this.spawn();
  }

  /** Resolves when the thread has opened the database. */
  whenReady(): Promise<void> {
    return this.ready;
  }

  submit(ops: WriteOp[]): Promise<void> {
    if (this.closing) return Promise.reject(writeError('writer_closed'));
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ ops, resolve, reject });
      this.schedule();
    });
  }

  async close(): Promise<void> {
    this.closing = true;
    while (this.inFlight || this.queue.length > 0) await new Promise((r) => setTimeout(r, 5));
    if (!this.alive) return;
    const closed = new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.once('message', (m: WorkerMessage) => {
        if (m.type === 'closed') void this.worker.terminate();
      });
    });
    this.worker.postMessage({ type: 'close' });
    await closed;
  }

  private spawn(): void {
    this.spawnedAt = Date.now();
    this.alive = true;
    this.worker = new Worker(new URL('./writer-thread.cjs', import.meta.url), {
      workerData: {
        file: this.options.file,
        statements: WRITE_STATEMENTS,
        sqliteModule: requireHere.resolve('better-sqlite3'),
        busyTimeoutMs: this.options.busyTimeoutMs ?? 5000,
      },
    });
    this.ready = new Promise<void>((resolve, reject) => {
      const onMessage = (m: WorkerMessage) => {
        if (m.type !== 'ready') return;
        this.worker.off('error', onError);
        resolve();
      };
      const onError = (err: Error) => reject(err);
      this.worker.once('message', onMessage);
      this.worker.once('error', onError);
    });
    this.ready.catch(() => undefined);
    const worker = this.worker;
    worker.on('message', (m: WorkerMessage) => {
      if (worker === this.worker) this.onMessage(m);
    });
    // An uncaught error emits 'error' and then 'exit': death is handled once, on 'exit', and only for
    // the current thread (a replaced one must not reject the new thread's work or spawn another).
    worker.on('error', () => undefined);
    worker.on('exit', () => {
      if (worker !== this.worker) return;
      this.alive = false;
      this.onDeath();
    });
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight) return;
    this.scheduled = true;
    // After pending I/O callbacks: requests already read join this batch.
    setImmediate(() => {
      this.scheduled = false;
      void this.ready.then(() => this.send(), () => undefined);
    });
  }

  private send(): void {
    if (this.inFlight || this.queue.length === 0) return;
    const units = this.queue.splice(0, this.maxBatch);
    const id = this.nextId++;
    this.inFlight = { id, units };
    this.worker.postMessage({ type: 'batch', id, units: units.map((u) => u.ops) });
  }

  private onMessage(m: WorkerMessage): void {
    if (m.type !== 'committed' || !this.inFlight || m.id !== this.inFlight.id) return;
    const { units } = this.inFlight;
    this.inFlight = null;
    if (m.error) {
      for (const u of units) u.reject(writeError(m.error));
    } else {
      this.options.onBatch?.(units.length);
      units.forEach((u, i) => {
        const code = m.results?.[i] ?? null;
        if (code === null) u.resolve();
        else u.reject(writeError(code));
      });
    }
    if (this.queue.length > 0) this.schedule();
  }

  private onDeath(): void {
    const lost = [...(this.inFlight?.units ?? []), ...this.queue];
    this.inFlight = null;
    this.queue = [];
    // Whether the batch in flight committed is unknown: its clients get 503 and retry with the
    // same idempotency key, which then replays the stored answer if it did.
    for (const u of lost) u.reject(writeError('writer_died'));
    if (this.closing) return;
    // A thread that cannot even open the database would die again at once: back off between tries.
    const quick = Date.now() - this.spawnedAt < 1_000;
    this.quickDeaths = quick ? this.quickDeaths + 1 : 0;
    const delay = quick ? backoffMs(this.quickDeaths, { baseMs: 200, capMs: 5_000 }) : 0;
    // Work submitted meanwhile waits on this promise and goes to the new thread.
    this.ready = new Promise<void>((resolve) => setTimeout(resolve, delay).unref()).then(() => {
      if (this.closing) return undefined;
      this.spawn();
      return this.ready;
    });
    this.ready.catch(() => undefined);
  }
}
