import { z } from 'zod';

/** "HH:MM" in local time, 00:00–23:59. */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'must be HH:MM (24 h)');

export const quietHoursSchema = z.object({ start: clockTimeSchema, end: clockTimeSchema });
export type QuietHours = z.infer<typeof quietHoursSchema>;

/**
 * The app's own settings, stored in its local SQLite file. The token is not here:
 * it is kept encrypted (Electron safeStorage) apart from settings and never crosses IPC.
 */
export const settingsSchema = z.object({
  serverUrl: z.string().url().nullable(),
  quietHours: quietHoursSchema.nullable(),
  /** Epoch ms until which notifications are paused ("Pause notifications"). */
  snoozeUntil: z.number().int().nonnegative().nullable(),
  /** Off by default: a notification can show on a locked screen. */
  showCallerDataOnLockScreen: z.boolean(),
  autoLaunch: z.boolean(),
  /**
   * Only where the OS offers no keyring (Linux without gnome-keyring/KWallet): the user's
   * explicit choice to keep the pairing token in an unencrypted 0600 file rather than lose
   * the pairing at every restart. Off by default; ignored where a keyring exists.
   */
  storeTokenUnencrypted: z.boolean(),
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: null,
  quietHours: null,
  snoozeUntil: null,
  showCallerDataOnLockScreen: false,
  autoLaunch: false,
  storeTokenUnencrypted: false,
};

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Hosts on this machine: plain http to them never crosses a network. */
export function isLoopbackHost(hostname: string): boolean {
  const h = hostname.toLowerCase().replace(/^\[|\]$/g, '');
  return h === 'localhost' || h.endsWith('.localhost') || h === '::1' || /^127(?:\.\d{1,3}){3}$/.test(h);
}

/**
 * A server URL must be https (the token and caller data travel on it); plain http only to
 * this machine (the sandbox, a tunnel). No credentials in it.
 */
export const serverUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      const secure = u.protocol === 'https:' || (u.protocol === 'http:' && isLoopbackHost(u.hostname));
      return secure && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an https URL (http only for this computer)');
