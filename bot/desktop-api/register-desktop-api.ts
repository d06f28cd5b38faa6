import { createHash } from 'node:crypto';
import express, { type IRouter, type NextFunction, type Request, type RequestHandler, type Response } from 'express';
import { pairRequestSchema, type PairResponse } from '../../shared/schemas/desktop-api.js';
import { OUTCOMES, resolveRequestSchema } from '../../shared/schemas/outcome.js';
import type { ActionRefusal, ActionResult } from '../actions/action-types.js';
import type { ActionRequest } from '../actions/perform-action.js';
import type { HandoffConfig } from '../config/load-config.js';
import { ApiError } from '../errors/api-error.js';
import { registerMethodGuards } from '../http/method-guards.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { mayAct } from '../domain/may-act.js';
import { peopleOf, toHandoffView } from './handoff-view.js';
import type { UserNames } from './user-names.js';
import type { PairingService } from '../pairing/pairing.js';
import { createRateLimiter, type RateDecision } from './rate-limiter.js';
import type { TrustedProxies } from '../config/trusted-proxies.js';
import { clientAddress, rateLimitKey } from '../http/client-address.js';
import { SseHub, type SseHubOptions } from './sse-hub.js';

export interface DesktopApiDeps {
  store: Store;
  config: HandoffConfig;
  clock: () => number;
  pairing: PairingService;
  perform: (req: ActionRequest) => Promise<ActionResult>;
  logger: Logger;
  /** Display names for the views (users.info); ids alone without it. */
  names?: UserNames;
  heartbeatMs?: number;
  /** Stream caps (defaults: STREAM_LIMITS in sse-hub.ts). */
  streams?: Pick<SseHubOptions, 'maxStreamsPerToken' | 'maxStreams' | 'maxSnapshotBytes' | 'stallMs'>;
  /** Pairing attempts per client address (IPv6 by /56): `capacity` at once, refilled over `refillMs` (default 10 per minute). */
  pairRateLimit?: { capacity: number; refillMs: number };
  /** Failed pairing attempts from everyone together (default 100 per 10 minutes): rotating addresses do not escape it. */
  pairFailureLimit?: { capacity: number; refillMs: number };
  /** Reverse proxies whose `X-Forwarded-For` names the client (HANDOFF_TRUST_PROXY). */
  trustedProxies?: TrustedProxies;
}

export interface DesktopApi {
  hub: SseHub;
  close(): void;
}

export const DESKTOP_ACTIONS = ['claim', 'escalate', 'resolve'] as const;
type DesktopAction = (typeof DESKTOP_ACTIONS)[number];

const TOKEN_PATTERN = /^Bearer[ \t]+(hod_[A-Za-z0-9_-]{10,200})[ \t]*$/i;
const CURSOR_PATTERN = /^\d{1,15}$/;

/** Why an action changed nothing, as the HTTP answer the desktop shows (no caller data in it). */
export function refusalError(refusal: ActionRefusal, claimedBy: string | null): ApiError {
  switch (refusal) {
    // A restricted workflow's handoff is answered exactly like a missing one: no existence oracle.
    case 'not_found':
    case 'not_allowed':
      return new ApiError('not_found', 'No such handoff.');
    case 'already_claimed':
      return new ApiError('conflict', claimedBy ? `Already claimed by ${claimedBy}.` : 'Already claimed.');
    case 'already_resolved':
      return new ApiError('conflict', 'This handoff is already resolved.');
    default:
      return new ApiError('conflict', 'Nothing changed: the handoff is not in a state that allows this.');
  }
}

/** No body (or `{}`) means `handled`; an unknown outcome is refused before anything changes. */
function readResolveBody(body: unknown): { outcome: (typeof OUTCOMES)[number]; outcomeNote?: string } {
  const parsed = resolveRequestSchema.safeParse(body ?? {});
  if (!parsed.success) {
    throw new ApiError(
      'validation_failed',
      `The body must be {"outcome": one of ${OUTCOMES.join(', ')}, "note"?: "…"}.`,
      parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
    );
  }
  return { outcome: parsed.data.outcome, ...(parsed.data.note !== undefined ? { outcomeNote: parsed.data.note } : {}) };
}

function bearerAuth(pairing: PairingService): RequestHandler {
  return async (req, res, next) => {
    const match = TOKEN_PATTERN.exec(req.headers.authorization ?? '');
    const userId = match?.[1] ? await pairing.authenticate(match[1]) : null;
    if (!userId) {
      next(new ApiError('unauthorized', 'A valid desktop token is required; pair this app again.', undefined, { 'www-authenticate': 'Bearer' }));
      return;
    }
    res.locals.userId = userId;
    // Streams are capped per token; the map keeps a hash, not the token itself.
    res.locals.tokenKey = createHash('sha256').update(match![1]!).digest('base64url');
    next();
  };
}

/** `Last-Event-ID` header, else `?last_event_id=`; null when absent. */
function readCursor(req: Request): number | null {
  const header = req.headers['last-event-id'];
  const query = req.query.last_event_id;
  const raw = typeof header === 'string' && header.trim() !== '' ? header.trim() : typeof query === 'string' ? query : null;
  if (raw === null) return null;
  if (!CURSOR_PATTERN.test(raw)) throw new ApiError('invalid_request', 'Last-Event-ID must be an event id this server sent.');
  return Number(raw);
}

/**
 * The desktop tray app's API (docs/contract/http-api.md#desktop-api, docs/contract/desktop.md): pairing, the SSE event stream and the three
 * actions, which go through the same `perform` as Slack's buttons so the card follows.
 */
export function registerDesktopApi(router: IRouter, deps: DesktopApiDeps): DesktopApi {
  const hub = new SseHub({ store: deps.store, config: deps.config, logger: deps.logger, names: deps.names, heartbeatMs: deps.heartbeatMs, ...deps.streams });
  const unsubscribeCommits = deps.store.commits.subscribe((n) => {
    if (n.events) hub.schedulePump();
  });
  const unsubscribeRevoked = deps.pairing.onRevoked((userId) => hub.disconnectUser(userId));
  const limiter = createRateLimiter({ ...(deps.pairRateLimit ?? { capacity: 10, refillMs: 60_000 }), clock: deps.clock });
  const auth = bearerAuth(deps.pairing);
  const view = async (h: Parameters<typeof toHandoffView>[0]) => {
    await deps.names?.learn(peopleOf(h));
    return toHandoffView(h, deps.config.workflows.get(h.workflowId), deps.names?.known);
  };

  registerMethodGuards(router, {
    '/v1/desktop/pair': ['POST'],
    '/v1/events': ['GET'],
    '/v1/handoffs/:id': ['GET'],
    ...Object.fromEntries(DESKTOP_ACTIONS.map((a) => [`/v1/handoffs/:id/${a}`, ['POST']])),
  });

  const failures = createRateLimiter({ ...(deps.pairFailureLimit ?? { capacity: 100, refillMs: 10 * 60_000 }), clock: deps.clock });
  const refuse = (decision: Extract<RateDecision, { ok: false }>): ApiError => {
    const seconds = Math.max(1, Math.ceil(decision.retryAfterMs / 1000));
    return new ApiError('rate_limited', `Too many pairing attempts; retry in ${seconds} s.`, undefined, { 'retry-after': String(seconds) });
  };
  const pairLimit: RequestHandler = (req, _res, next) => {
    const overall = failures.check('all');
    if (!overall.ok) return next(refuse(overall));
    const client = clientAddress(req.socket.remoteAddress, req.headers['x-forwarded-for'], deps.trustedProxies ?? []);
    const decision = limiter.take(rateLimitKey(client));
    if (decision.ok) return next();
    next(refuse(decision));
  };

  router.post('/v1/desktop/pair', pairLimit, express.json({ limit: '4kb' }), async (req: Request, res: Response) => {
    const parsed = pairRequestSchema.safeParse(req.body);
    if (!parsed.success) {
      throw new ApiError(
        'validation_failed',
        'The body must be {"code": "…", "device_name"?: "…"}.',
        parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
      );
    }
    const paired = await deps.pairing.exchange(parsed.data.code, parsed.data.device_name ?? null);
    if (!paired) {
      failures.take('all');
      deps.logger.info({ result: 'invalid_pairing_code' }, 'desktop pairing refused');
      throw new ApiError('invalid_pairing_code', 'The pairing code is wrong, expired or already used. Get a new one with /handoff desktop.');
    }
    deps.logger.info({ result: 'paired' }, 'desktop paired');
    const body: PairResponse = { token: paired.token, user_id: paired.userId };
    res.set('cache-control', 'no-store').json(body);
  });

  router.get('/v1/events', auth, async (req: Request, res: Response) => {
    const cursor = readCursor(req);
    if (!hub.hasRoom()) {
      deps.logger.warn({ streams: hub.clientCount }, 'event stream refused: stream cap reached');
      throw new ApiError('unavailable', 'Too many open event streams; retry later.', undefined, { 'retry-after': '30' });
    }
    req.socket.setNoDelay(true);
    req.socket.setTimeout(0);
    hub.open(res, cursor, res.locals.userId as string, res.locals.tokenKey as string);
  });

  router.get('/v1/handoffs/:id', auth, async (req: Request<{ id: string }>, res: Response) => {
    const h = await deps.store.handoffs.get(req.params.id);
    // A handoff of a workflow the user may not act on is answered like a missing one: no data, no hint.
    if (!h || !mayAct(deps.config, h.workflowId, res.locals.userId as string)) throw new ApiError('not_found', 'No such handoff.');
    res.json(await view(h));
  });

  // Resolve takes {"outcome", "note"?} (docs/contract/outcomes.md#outcomes); the other actions ignore a body.
  const actionBody = express.json({ limit: '8kb', strict: false });
  for (const action of DESKTOP_ACTIONS) {
    router.post(`/v1/handoffs/:id/${action}`, auth, actionBody, async (req: Request<{ id: string }>, res: Response, next: NextFunction) => {
      const handoffId = req.params.id;
      const resolution = action === 'resolve' ? readResolveBody(req.body) : {};
      const result = await deps.perform({ handoffId, action: action satisfies DesktopAction, actor: { kind: 'user', userId: res.locals.userId as string }, ...resolution });
      deps.logger.info({ handoff_id: handoffId, action, ok: result.ok, refusal: result.ok ? undefined : result.refusal }, 'desktop action');
      if (!result.ok) return next(refusalError(result.refusal, result.handoff?.claimedBy ?? null));
      res.json(await view(result.handoff));
    });
  }

  return {
    hub,
    close() {
      unsubscribeCommits();
      unsubscribeRevoked();
      hub.close();
    },
  };
}
