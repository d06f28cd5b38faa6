import type { Db } from './db.js';
import type { SqliteEvents } from './events-repo.js';
import { detailsLinkStatements as L, DETAILS_LINKS_KEPT_MS, type DetailsLinkRow } from '../sql/details-links.js';
import { BoundRunner } from './statement-cache.js';
import type { DetailsLinksRepository, DetailsLinkUse, NewDetailsLink } from '../store.js';

const use = (r: DetailsLinkRow, first: boolean): DetailsLinkUse => ({ handoffId: r.handoff_id, userId: r.user_id, expiresAt: Number(r.expires_at), first });

/** The Details page's single-use links on SQLite (statements: ../sql/details-links.ts). */
export class SqliteDetailsLinks implements DetailsLinksRepository {
  private readonly run;

  constructor(
    private readonly db: Db,
    private readonly events: SqliteEvents,
    private readonly onViewed: (handoffId: string) => void,
  ) {
    this.run = new BoundRunner(db);
  }

  async issue(link: NewDetailsLink): Promise<void> {
    this.db
      .transaction(() => {
        this.run.run(L.purge(link.now - DETAILS_LINKS_KEPT_MS));
        this.run.run(L.insert(link));
      })
      .immediate();
  }

  async open(tokenHash: string, browserHash: string, now: number): Promise<DetailsLinkUse | null> {
    const opened = this.db
      .transaction((): DetailsLinkUse | null => {
        const first = this.run.get<DetailsLinkRow>(L.open(tokenHash, browserHash, now));
        if (first) {
          this.events.appendSync(first.handoff_id, { type: 'handoff.details_viewed', actor: first.user_id, at: now });
          return use(first, true);
        }
        const again = this.run.get<DetailsLinkRow>(L.reopen(tokenHash, browserHash, now));
        return again ? use(again, false) : null;
      })
      .immediate();
    if (opened?.first) this.onViewed(opened.handoffId);
    return opened;
  }
}
