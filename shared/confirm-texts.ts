/**
 * What Resolve asks before it ends a handoff, in Slack's confirm dialog and in the desktop window
 * alike: one text, so both say the same thing.
 */
export const RESOLVE_CONFIRM = {
  title: 'Resolve this handoff?',
  text: 'It leaves the queue and the agent platform is told. If someone else claimed it, they are told. Reopen brings it back.',
  confirm: 'Resolve',
  deny: 'Cancel',
} as const;
