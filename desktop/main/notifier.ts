/**
 * Desktop notifications. Each one is kept referenced until it is clicked, closed or fails:
 * a Notification only held by a local variable is garbage-collected and its `click` never
 * fires. Urgent ones stay on screen until dismissed (`timeoutType: 'never'`).
 */
import type { Notice } from '../core/sync.js';
import type { NotificationApi, NotificationClass } from './electron-api.js';

/** Bounds memory if a platform never reports close (old toasts in the Windows Action Center). */
const MAX_LIVE = 100;

export interface NotifierDeps {
  Notification: NotificationClass;
  onClick: (handoffId: string) => void;
  /** Linux shows no icon unless given one. */
  iconPath?: string;
}

export interface Notifier {
  show(notice: Notice): void;
  /** A one-off message without a handoff behind it (e.g. a failed tray action). */
  showMessage(title: string, body: string): void;
  /** Notifications still waiting for a click or close. */
  readonly live: number;
}

export function createNotifier(deps: NotifierDeps): Notifier {
  const live = new Set<NotificationApi>();

  function keep(note: NotificationApi, onClick?: () => void): void {
    if (live.size >= MAX_LIVE) live.delete(live.values().next().value as NotificationApi);
    live.add(note);
    const release = (): void => void live.delete(note);
    note.on('click', () => {
      release();
      onClick?.();
    });
    note.on('close', release);
    note.on('failed', release);
    note.show();
  }

  return {
    show(notice) {
      if (!deps.Notification.isSupported()) return; // the tray still shows it
      const note = new deps.Notification({
        title: notice.title,
        body: notice.body,
        urgency: notice.urgent ? 'critical' : 'normal',
        timeoutType: notice.urgent ? 'never' : 'default',
        ...(deps.iconPath ? { icon: deps.iconPath } : {}),
      });
      keep(note, () => deps.onClick(notice.handoffId));
    },
    showMessage(title, body) {
      if (!deps.Notification.isSupported()) return;
      keep(new deps.Notification({ title, body, ...(deps.iconPath ? { icon: deps.iconPath } : {}) }));
    },
    get live() {
      return live.size;
    },
  };
}
