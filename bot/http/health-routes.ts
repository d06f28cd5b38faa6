import type { IRouter } from 'express';
import type { Metrics } from '../observability/metrics.js';
import type { Store } from '../store/store.js';

export function registerHealthRoutes(router: IRouter, deps: { store: Store; metrics: Metrics; clock: () => number }): void {
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    try {
      await deps.store.ping();
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ error: 'unavailable', message: 'The database does not answer.' });
    }
  });
  router.get('/metrics', async (_req, res) => {
    const { depth, oldestCreatedAt } = await deps.store.outbox.stats();
    deps.metrics.outboxDepth.set(depth);
    deps.metrics.outboxOldestAge.set(oldestCreatedAt === null ? 0 : Math.max(0, (deps.clock() - oldestCreatedAt) / 1000));
    res.set('content-type', deps.metrics.registry.contentType);
    res.send(await deps.metrics.registry.metrics());
  });
}
