/** Names shared by the sandbox's desktop stand-in server and its browser bridge. */
import type { Notice } from '../../desktop/core/sync.js';

/** Where the desktop window is served on the sandbox origin. */
export const DESKTOP_PATH = '/desktop/';
export const DESKTOP_API = '/desktop/api';
/** SSE event carrying one notification (the state uses the contract's `IPC_STATE_CHANGED`). */
export const NOTICE_EVENT = 'sandbox:notice';
export const TOAST_MS = 10_000;

/** Exactly what Electron's Notification gets: the policy's title and body, no more. */
export type SandboxNotice = Notice;
