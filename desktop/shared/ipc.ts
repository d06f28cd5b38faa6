/**
 * The one IPC contract between main, preload and renderer: every channel (prefixed
 * `handoff:`, kebab-case) with its request and response schema. Main parses every
 * request with these schemas; the preload bridge and the renderer are typed from them.
 */
import { z } from 'zod';
import { handoffViewSchema } from '../../shared/schemas/handoff-view.js';
import { outcomeSchema } from '../../shared/schemas/outcome.js';
import type { BRIDGE_METHODS } from './ipc-channels.js';
import { settingsPatchSchema, settingsSchema, serverUrlSchema } from './settings.js';

export const CONNECTION_STATES = ['unpaired', 'connecting', 'online', 'offline', 'unauthorized'] as const;
export const connectionStateSchema = z.enum(CONNECTION_STATES);
export type ConnectionState = z.infer<typeof connectionStateSchema>;

export const ipcErrorSchema = z.object({ code: z.string(), message: z.string() });
export type IpcError = z.infer<typeof ipcErrorSchema>;

/** Failures cross IPC as values: Electron flattens thrown errors into strings. */
function result<T extends z.ZodType>(data: T) {
  return z.discriminatedUnion('ok', [
    z.object({ ok: z.literal(true), data }),
    z.object({ ok: z.literal(false), error: ipcErrorSchema }),
  ]);
}

/**
 * Where the pairing token lives: `os-encrypted` (Keychain, DPAPI, libsecret/KWallet),
 * `unencrypted-file` (the user's opt-in where no keyring exists), `memory-only` (no keyring and
 * no opt-in: pairing is lost when the app quits), `locked` (a stored token the keyring cannot
 * decrypt yet, e.g. a keyring still locked right after login; retried).
 */
export const TOKEN_STORAGE = ['os-encrypted', 'unencrypted-file', 'memory-only', 'locked'] as const;
export const tokenStorageSchema = z.enum(TOKEN_STORAGE);
export type TokenStorage = z.infer<typeof tokenStorageSchema>;

export const appStateSchema = z.object({
  connection: connectionStateSchema,
  paired: z.boolean(),
  userId: z.string().nullable(),
  settings: settingsSchema,
  handoffs: z.array(handoffViewSchema),
  /** Absent where the host keeps no token across runs by design (the sandbox). */
  tokenStorage: tokenStorageSchema.optional(),
});
export type AppState = z.infer<typeof appStateSchema>;

const handoffIdSchema = z.string().min(1).max(100).regex(/^[A-Za-z0-9_-]+$/);
const byIdSchema = z.strictObject({ id: handoffIdSchema });

export const ipcContract = {
  'handoff:get-state': { request: z.strictObject({}), response: appStateSchema },
  'handoff:claim': { request: byIdSchema, response: result(handoffViewSchema) },
  'handoff:resolve': { request: byIdSchema.extend({ outcome: outcomeSchema.optional() }), response: result(handoffViewSchema) },
  'handoff:open-slack': { request: byIdSchema, response: result(z.object({})) },
  // The server URL changes only by pairing (a token belongs to one server).
  'handoff:save-settings': { request: settingsPatchSchema.omit({ serverUrl: true }), response: result(settingsSchema) },
  'handoff:pair': {
    request: z.strictObject({ serverUrl: serverUrlSchema, code: z.string().trim().min(1).max(64) }),
    response: result(z.object({ userId: z.string() })),
  },
  'handoff:unpair': { request: z.strictObject({}), response: result(z.object({})) },
} as const;

export type IpcChannel = keyof typeof ipcContract;

// Every bridge method names a contract channel (checked at compile time).
type _BridgeChannelsExist = (typeof BRIDGE_METHODS)[keyof typeof BRIDGE_METHODS] extends IpcChannel ? true : never;
export const BRIDGE_CHANNELS_CHECKED: _BridgeChannelsExist = true;
export type IpcRequest<C extends IpcChannel> = z.input<(typeof ipcContract)[C]['request']>;
export type IpcResponse<C extends IpcChannel> = z.infer<(typeof ipcContract)[C]['response']>;

export { BRIDGE_METHODS, IPC_STATE_CHANGED } from './ipc-channels.js';

export type HandoffBridge = {
  [M in keyof typeof BRIDGE_METHODS]: (
    request: IpcRequest<(typeof BRIDGE_METHODS)[M]>,
  ) => Promise<IpcResponse<(typeof BRIDGE_METHODS)[M]>>;
} & {
  /** Returns an unsubscribe function. */
  onStateChanged(listener: (state: AppState) => void): () => void;
};
