import type { App } from '@slack/bolt';
import { SEVERITIES } from '../../../shared/schemas/enums.js';
import type { HandoffConfig } from '../../config/load-config.js';
import { workflowScope } from '../../domain/may-act.js';
import type { Logger } from '../../observability/logger.js';
import { collectStats, visibleWorkflows } from '../../stats/collect-stats.js';
import type { StatsRepository, StatusQueriesRepository, Store } from '../../store/store.js';
import { buildHomeView, type HomeView } from '../cards/home-view.js';
import { LIST_LIMIT } from '../cards/status-report.js';
import { classifySlackError } from '../slack-errors.js';
import { toListItem } from '../list-item.js';
import { chatView } from '../chat-view.js';

export interface HomeDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
}

/** The viewer's App Home: only workflows they may act on (`allowed_users`) appear in any part of it. */
export async function homeViewFor(deps: HomeDeps, queries: { status: StatusQueriesRepository; stats: StatsRepository }, userId: string): Promise<HomeView> {
  const now = deps.clock();
  const visible = visibleWorkflows(deps.config, userId);
  const scope = workflowScope(deps.config, userId);
  const counts = await queries.status.counts(scope);
  const totals = SEVERITIES.reduce((acc, s) => ({ open: acc.open + counts.counts[s].open, claimed: acc.claimed + counts.counts[s].claimed }), { open: 0, claimed: 0 });
  // A handoff of a restricted workflow, or of one that left the config, only to those who may see it (mayAct).
  const mine = await queries.status.mine(userId, LIST_LIMIT * 2, scope);
  return buildHomeView({
    now,
    mine: mine.slice(0, LIST_LIMIT).map((h) => toListItem(chatView(h, deps.config), deps.config)),
    queue: (await queries.status.unresolved(LIST_LIMIT, scope)).map((h) => toListItem(chatView(h, deps.config), deps.config)),
    queueCounts: totals,
    week: await collectStats(queries.stats, deps.config, { now, days: 7, workflows: visible, scope: null }),
  });
}

/** `app_home_opened` -> views.publish of the viewer's Home tab (docs/contract/outcomes.md#app-home-and-metrics). */
export function registerHome(app: App, deps: HomeDeps): void {
  const queries = { status: deps.store.status, stats: deps.store.stats };
  app.event('app_home_opened', async ({ event, client }) => {
    if (event.tab !== 'home') return;
    const view = await homeViewFor(deps, queries, event.user);
    try {
      await client.views.publish({ user_id: event.user, view });
      deps.logger.info({ event: 'app_home_opened' }, 'app home published');
    } catch (err) {
      const c = classifySlackError(err);
      deps.logger.warn({ event: 'app_home_opened', err_class: c.class, err_code: c.code }, 'app home not published');
    }
  });
}
