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
});
export type Settings = z.infer<typeof settingsSchema>;

export const DEFAULT_SETTINGS: Settings = {
  serverUrl: null,
  quietHours: null,
  snoozeUntil: null,
  showCallerDataOnLockScreen: false,
  autoLaunch: false,
};

export const settingsPatchSchema = settingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof settingsPatchSchema>;

/** A server URL must be http(s) with no path beyond "/", so API paths can be appended. */
export const serverUrlSchema = z
  .string()
  .trim()
  .refine((s) => {
    try {
      const u = new URL(s);
      return (u.protocol === 'https:' || u.protocol === 'http:') && !u.username && !u.password;
    } catch {
      return false;
    }
  }, 'must be an http or https URL');
