import { StoreError } from './store-error.js';
import type { Store } from './store.js';

type Operation = 'accept' | 'ping' | 'close';

/** The repositories of a Store (a record, so one added to Store and not here fails to compile). */
const REPOSITORIES: Record<Exclude<keyof Store, 'commits' | Operation>, true> = {
  handoffs: true,
  events: true,
  outbox: true,
  idempotency: true,
  notes: true,
  slackMessages: true,
  reminders: true,
  desktopAuth: true,
  status: true,
  retention: true,
  providerCalls: true,
  callBacks: true,
  stats: true,
  connect: true,
  stormDigests: true,
  weeklyDigests: true,
  detailsLinks: true,
};
const OPERATIONS: Record<Operation, true> = { accept: true, ping: true, close: true };

/** Calls `fn`, turning what it throws or rejects with into a StoreError. */
function guarded(fn: (...args: unknown[]) => unknown, self: unknown, map: (err: unknown) => StoreError): (...args: unknown[]) => unknown {
  return (...args) => {
    try {
      const out = fn.apply(self, args);
      return out instanceof Promise ? out.catch((err: unknown) => Promise.reject(map(err))) : out;
    } catch (err) {
      throw map(err);
    }
  };
}

function guardedObject<T extends object>(target: T, keys: (key: PropertyKey) => boolean, map: (err: unknown) => StoreError): T {
  const wrapped = new Map<PropertyKey, unknown>();
  return new Proxy(target, {
    get(t, key, receiver) {
      const value: unknown = Reflect.get(t, key, receiver);
      if (!keys(key) || value === null || (typeof value !== 'function' && typeof value !== 'object')) return value;
      let w = wrapped.get(key);
      if (w === undefined) {
        w = typeof value === 'function' ? guarded(value as (...args: unknown[]) => unknown, t, map) : guardedObject(value as object, () => true, map);
        wrapped.set(key, w);
      }
      return w;
    },
  });
}

/**
 * The store as the rest of the bot sees it: every repository method and `accept`, `ping` and `close`
 * reject with a StoreError (`map` turns the engine's driver errors into one), so callers sort failures
 * by our codes and never by an engine's. `commits` is passed through: its subscribers' errors are theirs.
 */
export function withStoreErrors<S extends Store>(store: S, map: (err: unknown) => StoreError): S {
  const keys = new Set<PropertyKey>([...Object.keys(REPOSITORIES), ...Object.keys(OPERATIONS)]);
  const toStoreError = (err: unknown) => (err instanceof StoreError ? err : map(err));
  return guardedObject(store, (key) => keys.has(key), toStoreError);
}
