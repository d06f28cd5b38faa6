/**
 * Browser stand-in for the Electron preload (desktop/preload/index.ts): defines
 * `window.handoff` before the renderer runs. Each method POSTs to
 * `/desktop/api/<channel>`; state pushes and notifications arrive on one
 * EventSource. Bundled by esbuild into a classic script (loaded before app.js).
 */
import { BRIDGE_METHODS, IPC_STATE_CHANGED } from '../../desktop/shared/ipc-channels.js';
import { ipcContract, type AppState, type HandoffBridge, type IpcChannel } from '../../desktop/shared/ipc.js';
import { DESKTOP_API, NOTICE_EVENT, TOAST_MS, type SandboxNotice } from './wire.js';

/** Like `ipcRenderer.invoke`: a rejected request (bad payload) rejects; use-case failures resolve as `{ ok: false }`. */
async function invoke(channel: IpcChannel, request: unknown): Promise<unknown> {
  const res = await fetch(`${DESKTOP_API}/${channel}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(request ?? {}),
  });
  const envelope = (await res.json()) as { result?: unknown; open?: string; error?: string };
  if (!res.ok) throw new Error(`Error invoking remote method '${channel}': ${envelope.error ?? res.status}`);
  const result = ipcContract[channel].response.parse(envelope.result);
  // Electron's shell.openExternal: here a new tab (still inside the click's user activation).
  if (typeof envelope.open === 'string') window.open(envelope.open, '_blank', 'noopener');
  return result;
}

const stateListeners = new Set<(state: AppState) => void>();
const events = new EventSource(`${DESKTOP_API}/events`);
events.addEventListener('open', () => (document.documentElement.dataset.bridge = 'live'));
events.addEventListener('error', () => (document.documentElement.dataset.bridge = 'reconnecting'));
events.addEventListener(IPC_STATE_CHANGED, (e) => {
  const state = ipcContract['handoff:get-state'].response.parse(JSON.parse((e as MessageEvent<string>).data));
  for (const listener of stateListeners) listener(state);
});
events.addEventListener(NOTICE_EVENT, (e) => showToast(JSON.parse((e as MessageEvent<string>).data) as SandboxNotice));

function toastRoot(): HTMLElement {
  let root = document.getElementById('sandbox-toasts');
  if (!root) {
    root = document.createElement('div');
    root.id = 'sandbox-toasts';
    root.className = 'sandbox-toasts';
    root.setAttribute('role', 'status');
    root.setAttribute('aria-live', 'polite');
    document.body.append(root);
  }
  return root;
}

/** A native notification, drawn in the page: the policy's title and body only, as Electron shows them. */
function showToast(notice: SandboxNotice): void {
  const toast = document.createElement('button');
  toast.type = 'button';
  toast.className = 'sandbox-toast';
  toast.dataset.handoffId = notice.handoffId;
  toast.dataset.urgent = String(notice.urgent);
  const title = document.createElement('strong');
  title.textContent = notice.title;
  const body = document.createElement('span');
  body.textContent = notice.body;
  toast.append(title, body);
  // Clicking a notification opens the window on that handoff (main does `window.show(id)`).
  toast.addEventListener('click', () => {
    location.hash = `handoff=${notice.handoffId}`;
    toast.remove();
  });
  toastRoot().append(toast);
  setTimeout(() => toast.remove(), TOAST_MS);
}

function addRibbon(): void {
  const ribbon = document.createElement('footer');
  ribbon.className = 'sandbox-ribbon';
  ribbon.textContent = 'Sandbox: the desktop app\u2019s window in a browser tab, fed by the sandbox bot. Notifications show here as toasts.';
  document.body.append(ribbon);
}
if (document.readyState === 'loading') document.addEventListener('DOMContentLoaded', addRibbon);
else addRibbon();

const methods = Object.fromEntries(
  Object.entries(BRIDGE_METHODS).map(([method, channel]) => [method, (request: unknown) => invoke(channel, request)]),
);

window.handoff = {
  ...methods,
  onStateChanged(listener: (state: AppState) => void) {
    stateListeners.add(listener);
    return () => void stateListeners.delete(listener);
  },
} as HandoffBridge;
