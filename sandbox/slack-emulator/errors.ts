// Errors the emulator's own API throws at its caller (a test or the sandbox page).
export type EmulatorErrorCode =
  | 'no_bot_events_url'
  | 'unknown_user'
  | 'unknown_channel'
  | 'message_not_found'
  | 'action_not_found'
  | 'option_not_found'
  | 'view_not_found'
  | 'view_not_open'
  | 'invalid_command';

export class EmulatorError extends Error {
  constructor(
    readonly code: EmulatorErrorCode,
    message: string = code,
  ) {
    super(message);
    this.name = 'EmulatorError';
  }
}
