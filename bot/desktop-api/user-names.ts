/**
 * Display names of Slack users, for the desktop ("Resolved by Alice", not a user id). Learned from
 * users.info and kept for a while; a lookup that fails or is slow leaves the id as it is, so a
 * missing name never holds an event back for long. Names are never logged.
 */
import type { WebClient } from '@slack/web-api';

export interface UserNames {
  /** The name learned for a user id, if any (from memory, no call). */
  known(userId: string): string | undefined;
  /**
   * Learns the names not known yet, waiting at most `waitMs` in all; lookups still running then go
   * on and fill the cache for the next view.
   */
  learn(userIds: Iterable<string | null | undefined>): Promise<void>;
}

export interface UserNamesDeps {
  /** One user's display name; null when Slack has none for the id. */
  lookup: (userId: string) => Promise<string | null>;
  clock: () => number;
  /** How long a learned name is kept (default 6 h: renames show within the day). */
  ttlMs?: number;
  /** How long a failed lookup is not retried (default 5 min). */
  failureTtlMs?: number;
  /** Longest `learn` waits (default 1.5 s). */
  waitMs?: number;
  /** Most names kept (default 10,000); the oldest go first. */
  maxEntries?: number;
}

/** A Slack user id (not `system`, a timer or a platform actor). */
const SLACK_USER_ID = /^[UW][A-Z0-9]{2,}$/;

/** What Slack shows for a user: the display name they chose, else their full name, else the handle. */
export function displayNameOf(user: { name?: string; real_name?: string; profile?: { display_name?: string; real_name?: string } } | undefined): string | null {
  const name = user?.profile?.display_name || user?.profile?.real_name || user?.real_name || user?.name;
  return name ? name.slice(0, 200) : null;
}

/** users.info through the bot's WebClient (scope `users:read`). */
export function slackUserLookup(client: WebClient): (userId: string) => Promise<string | null> {
  return async (userId) => displayNameOf((await client.users.info({ user: userId })).user);
}

export function createUserNames(deps: UserNamesDeps): UserNames {
  const ttlMs = deps.ttlMs ?? 6 * 3_600_000;
  const failureTtlMs = deps.failureTtlMs ?? 5 * 60_000;
  const waitMs = deps.waitMs ?? 1_500;
  const maxEntries = deps.maxEntries ?? 10_000;
  const cache = new Map<string, { name: string | null; until: number }>();
  const inFlight = new Map<string, Promise<void>>();

  function remember(userId: string, name: string | null, forMs: number): void {
    cache.delete(userId);
    cache.set(userId, { name, until: deps.clock() + forMs });
    if (cache.size > maxEntries) cache.delete(cache.keys().next().value!);
  }

  function fetchName(userId: string): Promise<void> {
    let p = inFlight.get(userId);
    if (!p) {
      p = deps
        .lookup(userId)
        .then(
          (name) => remember(userId, name, ttlMs),
          () => remember(userId, cache.get(userId)?.name ?? null, failureTtlMs),
        )
        .finally(() => inFlight.delete(userId));
      inFlight.set(userId, p);
    }
    return p;
  }

  return {
    known(userId) {
      return cache.get(userId)?.name ?? undefined;
    },
    async learn(userIds) {
      const now = deps.clock();
      const wanted = [...new Set([...userIds].filter((id): id is string => typeof id === 'string' && SLACK_USER_ID.test(id)))];
      const stale = wanted.filter((id) => (cache.get(id)?.until ?? 0) <= now);
      if (stale.length === 0) return;
      let timer: NodeJS.Timeout | undefined;
      const deadline = new Promise<void>((resolve) => {
        timer = setTimeout(resolve, waitMs);
        timer.unref();
      });
      await Promise.race([Promise.all(stale.map(fetchName)), deadline]);
      clearTimeout(timer);
    },
  };
}
