import { CallBacksRepo } from './call-backs-repo.js';
import { ConnectRepo } from './connect-repo.js';
import type { Db } from './db.js';
import { StormDigestsRepo } from './storm-digests-repo.js';
import { EventsRepo } from './events-repo.js';
import { HandoffsRepo } from './handoffs-repo.js';
import { IdempotencyRepo } from './idempotency-repo.js';
import { OutboxRepo } from './outbox-repo.js';
import { ProviderCallsRepo } from './provider-calls-repo.js';
import { NotesRepo } from './notes-repo.js';
import { DesktopAuthRepo } from './desktop-auth-repo.js';

/** The repositories over one database connection, and its transaction helper. */
export class Store {
  readonly handoffs: HandoffsRepo;
  readonly events: EventsRepo;
  readonly outbox: OutboxRepo;
  readonly idempotency: IdempotencyRepo;
  readonly providerCalls: ProviderCallsRepo;
  readonly callBacks: CallBacksRepo;
  readonly connect: ConnectRepo;
  readonly stormDigests: StormDigestsRepo;
  readonly notes: NotesRepo;
  readonly desktopAuth: DesktopAuthRepo;

  constructor(readonly db: Db) {
    this.handoffs = new HandoffsRepo(db);
    this.events = new EventsRepo(db);
    this.outbox = new OutboxRepo(db);
    this.idempotency = new IdempotencyRepo(db);
    this.providerCalls = new ProviderCallsRepo(db);
    this.callBacks = new CallBacksRepo(db);
    this.connect = new ConnectRepo(db);
    this.stormDigests = new StormDigestsRepo(db);
    this.notes = new NotesRepo(db);
    this.desktopAuth = new DesktopAuthRepo(db);
  }

  /** Throws when the database does not answer (readiness). */
  ping(): void {
    this.db.prepare('SELECT 1').get();
  }

  /** Runs `work` in one IMMEDIATE transaction: all of its writes commit together or none do. */
  transaction<T>(work: () => T): T {
    return this.db.transaction(work).immediate();
  }
}
