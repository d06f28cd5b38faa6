/**
 * The app's use cases behind IPC and the tray menu: pair, claim, resolve, open in
 * Slack, settings, pause. Electron-free: main passes in the token vault
 * (safeStorage), openExternal and auto-launch as plain functions.
 */
import type { Outcome } from '../../shared/schemas/outcome.js';
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import type { AppState, IpcError, IpcResponse, TokenStorage } from '../shared/ipc.js';
import type { Settings, SettingsPatch } from '../shared/settings.js';
import { ApiError, createApiClient, type ApiClient, type HandoffAction } from './api-client.js';
import { createEventStream, type EventStreamOptions } from './event-stream.js';
import type { LocalStore } from './local-store.js';
import { createSync, type Notice, type Sync } from './sync.js';
import type { TrayModel } from './tray-model.js';
import { isSlackPermalink } from './url-policy.js';

export interface TokenVault {
  get(): string | null;
  set(token: string | null): void;
  /** Where the token lives now; a vault without it keeps the token in memory by design (the sandbox). */
  storage?(): TokenStorage;
  /** The user's opt-in to an unencrypted file where no keyring exists (moves the token there or back). */
  allowUnencrypted?(allowed: boolean): void;
}

export interface ControllerDeps {
  store: LocalStore;
  vault: TokenVault;
  notify: (notice: Notice) => void;
  onTrayChange: (model: TrayModel) => void;
  onStateChanged?: (state: AppState) => void;
  /**
   * When given, state pushes are coalesced: `onStateChanged` runs once per scheduled turn with
   * the newest state (a replay of thousands of events sends one state, not thousands).
   */
  batchStateChanges?: (fn: () => void) => void;
  openExternal: (url: string) => Promise<void>;
  setAutoLaunch?: (enabled: boolean) => void;
  deviceName?: string;
  fetch?: typeof fetch;
  clock?: () => number;
  minutesOfDay?: (now: number) => number;
  /** Backoff, timers, random, idle timeout of the event stream. */
  stream?: Pick<EventStreamOptions, 'backoff' | 'timers' | 'random' | 'idleTimeoutMs'>;
}

export interface DesktopController {
  start(): void;
  stop(): void;
  getState(): AppState;
  claim(id: string): Promise<IpcResponse<'handoff:claim'>>;
  /** `outcome`: how it ended (default `handled`, as the server reads an empty body). */
  resolve(id: string, outcome?: Outcome): Promise<IpcResponse<'handoff:resolve'>>;
  /**
   * Opens the card's permalink. The mirror has none while the card was not yet posted when the
   * handoff's last event arrived, so the server is asked for the current view first.
   */
  openInSlack(id: string): Promise<IpcResponse<'handoff:open-slack'>>;
  /** Reads a handoff's current view from the server into the mirror; null when not paired or not reachable. */
  refreshHandoff(id: string): Promise<HandoffView | null>;
  saveSettings(patch: Omit<SettingsPatch, 'serverUrl'>): IpcResponse<'handoff:save-settings'>;
  pair(serverUrl: string, code: string): Promise<IpcResponse<'handoff:pair'>>;
  unpair(): IpcResponse<'handoff:unpair'>;
  pauseNotifications(forMs: number): void;
  resumeNotifications(): void;
  /** Redraws the tray (ages in the menu labels). */
  refreshTray(): void;
  /**
   * The machine woke up or the network came back: reconnect the stream at once instead of
   * waiting for its idle watchdog; starts it if a token became readable (keyring unlocked).
   */
  reconnectNow(): void;
}

const USER_ID_KEY = 'user_id';

function fail(code: string, message: string): { ok: false; error: IpcError } {
  return { ok: false, error: { code, message } };
}

function toIpcError(err: unknown): { ok: false; error: IpcError } {
  if (err instanceof ApiError) return fail(err.code, err.message);
  return fail('internal_error', 'Something went wrong in the app.');
}

export function createDesktopController(deps: ControllerDeps): DesktopController {
  const { store, vault } = deps;
  const clock = deps.clock ?? Date.now;
  let sync: Sync = makeSync();

  function api(baseUrl: string): ApiClient {
    return createApiClient({ baseUrl, getToken: () => vault.get(), fetch: deps.fetch });
  }

  function getState(): AppState {
    const token = vault.get();
    return {
      connection: token ? sync.connection : 'unpaired',
      paired: token !== null,
      userId: store.getMeta(USER_ID_KEY),
      settings: store.getSettings(),
      handoffs: store.listHandoffs({ includeResolved: true }),
      ...(vault.storage ? { tokenStorage: vault.storage() } : {}),
    };
  }

  let emitQueued = false;
  let stopped = false;
  function emit(): void {
    const push = deps.onStateChanged;
    if (!push || stopped) return;
    if (!deps.batchStateChanges) return push(getState());
    if (emitQueued) return;
    emitQueued = true;
    deps.batchStateChanges(() => {
      emitQueued = false;
      if (!stopped) push(getState()); // the store may be closed by then (quit)
    });
  }

  function makeSync(): Sync {
    return createSync({
      store,
      notify: deps.notify,
      onTrayChange: deps.onTrayChange,
      onChange: emit,
      clock: deps.clock,
      minutesOfDay: deps.minutesOfDay,
      connect: (handlers) => {
        const baseUrl = store.getSettings().serverUrl;
        if (!baseUrl) throw new Error('no server url');
        return createEventStream({
          ...deps.stream,
          baseUrl,
          getToken: () => vault.get(),
          fetch: deps.fetch,
          ...handlers,
        });
      },
    });
  }

  function startIfPaired(): void {
    if (vault.get() && store.getSettings().serverUrl) sync.start();
    else sync.refreshTray();
  }

  async function refreshHandoff(id: string): Promise<HandoffView | null> {
    const baseUrl = store.getSettings().serverUrl;
    if (!baseUrl || !vault.get()) return null;
    try {
      const view = await api(baseUrl).getHandoff(id);
      sync.applyView(view);
      return view;
    } catch {
      return null;
    }
  }

  async function act(id: string, action: HandoffAction, body?: Record<string, unknown>): Promise<{ ok: true; data: HandoffView } | { ok: false; error: IpcError }> {
    const baseUrl = store.getSettings().serverUrl;
    if (!baseUrl || !vault.get()) return fail('not_paired', 'Pair this app in Settings first.');
    const client = api(baseUrl);
    try {
      const view = await client.act(id, action, body);
      sync.applyView(view);
      return { ok: true, data: view };
    } catch (err) {
      if (err instanceof ApiError && err.code === 'conflict') {
        // Show who has it now; the stream would tell us soon anyway.
        await client.getHandoff(id).then(sync.applyView, () => undefined);
      }
      return toIpcError(err);
    }
  }

  return {
    start() {
      stopped = false;
      startIfPaired();
    },
    stop() {
      sync.stop();
      stopped = true;
    },
    getState,
    claim: (id) => act(id, 'claim'),
    resolve: (id, outcome) => act(id, 'resolve', outcome === undefined ? {} : { outcome }),
    refreshHandoff,
    async openInSlack(id) {
      const link = store.getHandoff(id)?.slack_permalink ?? (await refreshHandoff(id))?.slack_permalink ?? null;
      if (!link) return fail('no_slack_link', 'The Slack card of this handoff is not posted yet (Slack may be slow or unreachable). Try again in a moment.');
      if (!isSlackPermalink(link)) return fail('no_slack_link', 'This handoff\'s Slack link is not a slack.com address, so Handoff does not open it.');
      try {
        await deps.openExternal(link);
        return { ok: true, data: {} };
      } catch {
        return fail('open_failed', 'Could not open Slack.');
      }
    },
    saveSettings(patch) {
      let next: Settings;
      try {
        const before = store.getSettings();
        next = store.updateSettings(patch);
        if (patch.autoLaunch !== undefined && patch.autoLaunch !== before.autoLaunch) deps.setAutoLaunch?.(patch.autoLaunch);
        if (patch.storeTokenUnencrypted !== undefined) vault.allowUnencrypted?.(patch.storeTokenUnencrypted);
      } catch {
        return fail('invalid_request', 'Those settings are not valid.');
      }
      sync.refreshTray();
      emit();
      return { ok: true, data: next };
    },
    async pair(serverUrl, code) {
      const base = serverUrl.trim();
      try {
        const res = await api(base).pair(code.trim(), deps.deviceName);
        const previous = store.getSettings().serverUrl;
        sync.stop();
        store.transaction(() => {
          if (previous !== base) {
            // Event ids belong to one server: start that server's stream from its present.
            store.clearMirror();
            store.setLastEventId(null);
          }
          store.updateSettings({ serverUrl: base });
          store.setMeta(USER_ID_KEY, res.user_id);
        });
        vault.set(res.token);
        sync = makeSync();
        sync.start();
        emit();
        return { ok: true, data: { userId: res.user_id } };
      } catch (err) {
        return toIpcError(err);
      }
    },
    unpair() {
      sync.stop();
      vault.set(null);
      store.setMeta(USER_ID_KEY, null);
      sync = makeSync();
      sync.refreshTray();
      emit();
      return { ok: true, data: {} };
    },
    pauseNotifications(forMs) {
      store.updateSettings({ snoozeUntil: clock() + forMs });
      sync.refreshTray();
      emit();
    },
    resumeNotifications() {
      store.updateSettings({ snoozeUntil: null });
      sync.refreshTray();
      emit();
    },
    refreshTray: () => sync.refreshTray(),
    reconnectNow() {
      if (sync.connection === 'unpaired') startIfPaired();
      else sync.reconnect();
    },
  };
}
