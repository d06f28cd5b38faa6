import type { DetailsLinksRepository, DetailsLinkUse, NewDetailsLink } from '../store.js';
import { detailsLinkStatements as L, DETAILS_LINKS_KEPT_MS, type DetailsLinkRow } from '../sql/details-links.js';
import { lockEventOrder, type PgEvents } from './events.js';
import { rowsOf, run } from './pool.js';
import type { Transact } from './transact.js';

const use = (r: DetailsLinkRow, first: boolean): DetailsLinkUse => ({ handoffId: r.handoff_id, userId: r.user_id, expiresAt: Number(r.expires_at), first });

/** The Details page's single-use links on PostgreSQL (statements: ../sql/details-links.ts): any process serves a link another issued. */
export class PgDetailsLinks implements DetailsLinksRepository {
  constructor(
    private readonly transact: Transact,
    private readonly events: PgEvents,
  ) {}

  async issue(link: NewDetailsLink): Promise<void> {
    await this.transact(async (c) => {
      await run(c, L.purge(link.now - DETAILS_LINKS_KEPT_MS));
      await run(c, L.insert(link));
    });
  }

  async open(tokenHash: string, browserHash: string, now: number): Promise<DetailsLinkUse | null> {
    return this.transact(async (c, announce) => {
      const first = (await rowsOf<DetailsLinkRow>(c, L.open(tokenHash, browserHash, now)))[0];
      if (first) {
        await lockEventOrder(c);
        await this.events.append(c, first.handoff_id, { type: 'handoff.details_viewed', actor: first.user_id, at: now });
        announce({ handoffIds: [first.handoff_id], events: true });
        return use(first, true);
      }
      const again = (await rowsOf<DetailsLinkRow>(c, L.reopen(tokenHash, browserHash, now)))[0];
      return again ? use(again, false) : null;
    });
  }
}
