/**
 * The stable code of a coded error (ApiError, StoreError, a Slack Web API or Node system error), or
 * undefined for anything else: logs and outbox rows carry codes, never messages.
 */
export function codeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null | undefined)?.code;
  return typeof code === 'string' ? code : undefined;
}
