/**
 * Wires the event stream to the local store, the notification policy and the tray.
 * Each event is mirrored, judged and its id saved in ONE SQLite transaction, so a
 * restart resumes exactly after it and never announces it twice. The notification is
 * shown after the commit: at most once (a crash in between loses one popup, never
 * repeats one; the tray still shows the handoff).
 */
import type { HandoffEvent, HandoffView } from '../../shared/schemas/handoff-view.js';
import type { ConnectionState } from '../shared/ipc.js';
import type { StreamState } from './event-stream.js';
import type { LocalStore } from './local-store.js';
import { decideNotification } from './notification-policy.js';
import { buildTrayModel, type TrayModel } from './tray-model.js';

export interface Notice {
  handoffId: string;
  title: string;
  body: string;
  urgent: boolean;
}

export interface StreamHandlers {
  lastEventId: string | null;
  onEvent: (event: HandoffEvent, id: string) => void;
  onStateChange: (state: StreamState) => void;
}

export interface StreamHandle {
  start(): void;
  stop(): void;
  /** Connect again at once (see EventStream.reconnect); without it the stream is stopped and started. */
  reconnect?(): void;
}

export interface SyncDeps {
  store: LocalStore;
  /** Opens the event stream (createEventStream in the app, anything in tests). */
  connect: (handlers: StreamHandlers) => StreamHandle;
  notify: (notice: Notice) => void;
  onTrayChange: (model: TrayModel) => void;
  /** Handoffs or connection changed: the window re-reads the state. */
  onChange?: () => void;
  clock?: () => number;
  /** Minutes since local midnight for quiet hours; defaults to the machine's local time. */
  minutesOfDay?: (now: number) => number;
}

export interface Sync {
  start(): void;
  stop(): void;
  /** The network may have changed (resume from sleep, back online): reconnect now if running. */
  reconnect(): void;
  readonly connection: ConnectionState;
  /** Mirrors a view from a REST answer (claim/resolve) right away, before its event arrives. */
  applyView(view: HandoffView): void;
  /** Recomputes the tray (settings changed, or ages need a refresh). */
  refreshTray(): void;
}

function toConnection(state: StreamState): ConnectionState {
  return state === 'stopped' ? 'unpaired' : state;
}

export function createSync(deps: SyncDeps): Sync {
  const clock = deps.clock ?? Date.now;
  let connection: ConnectionState = 'unpaired';
  let stream: StreamHandle | null = null;

  function refreshTray(): void {
    const now = clock();
    const snoozeUntil = deps.store.getSettings().snoozeUntil;
    deps.onTrayChange(
      buildTrayModel({
        handoffs: deps.store.listHandoffs(),
        connection,
        paused: snoozeUntil !== null && now < snoozeUntil,
        now,
      }),
    );
  }

  function changed(): void {
    refreshTray();
    deps.onChange?.();
  }

  function handleEvent(event: HandoffEvent, id: string): void {
    const now = clock();
    const decision = deps.store.transaction(() => {
      if (event.type === 'handoff.erased') {
        // Retention erased its caller data on the server: the copy here (fields, caller id) is replaced
        // by the erased view now, not at the next start. A handoff no longer mirrored stays gone.
        if (deps.store.getHandoff(event.handoff_id)) deps.store.upsertHandoff(event.handoff, event.seq);
        deps.store.setLastEventId(id);
        return null;
      }
      deps.store.upsertHandoff(event.handoff, event.seq);
      // Judge the newest mirrored view: a replayed older event must not re-announce.
      const current = deps.store.getHandoff(event.handoff_id) ?? event.handoff;
      const d = decideNotification({
        handoff: current,
        announcedLevel: deps.store.getAnnouncedLevel(current.id),
        settings: deps.store.getSettings(),
        now,
        minutesOfDay: deps.minutesOfDay?.(now),
      });
      if (d.announce) deps.store.markAnnounced(current.id, d.level);
      else if (d.markLevel !== null) deps.store.markAnnounced(current.id, d.markLevel);
      deps.store.setLastEventId(id);
      return d;
    });
    if (decision?.announce) {
      deps.notify({ handoffId: decision.handoffId, title: decision.title, body: decision.body, urgent: decision.urgent });
    }
    changed();
  }

  return {
    get connection() {
      return connection;
    },
    start() {
      if (stream) return;
      stream = deps.connect({
        lastEventId: deps.store.getLastEventId(),
        onEvent: handleEvent,
        onStateChange: (s) => {
          connection = toConnection(s);
          changed();
        },
      });
      stream.start();
    },
    reconnect() {
      if (!stream) return;
      if (stream.reconnect) return stream.reconnect();
      stream.stop();
      stream.start();
    },
    stop() {
      stream?.stop();
      stream = null;
      connection = 'unpaired';
      changed();
    },
    applyView(view) {
      deps.store.upsertHandoff(view, null);
      changed();
    },
    refreshTray,
  };
}
