import type { Bound } from './dialect.js';

/** Links expired longer ago than this are deleted when a new one is issued: they answer 410 either way. */
export const DETAILS_LINKS_KEPT_MS = 24 * 60 * 60 * 1000;

/**
 * The Details page's single-use links (docs/contract/regulated-workflows.md#the-details-link), one text
 * for both engines. Only hashes of the token and of the browser's cookie are stored.
 */
export const detailsLinkStatements = {
  /** Links expired before `before`. */
  purge: (before: number): Bound => ({ text: 'DELETE FROM details_links WHERE expires_at < @before', params: { before } }),

  insert: (l: { tokenHash: string; handoffId: string; userId: string; now: number; expiresAt: number }): Bound => ({
    text: 'INSERT INTO details_links (token_hash, handoff_id, user_id, created_at, expires_at) VALUES (@tokenHash, @handoffId, @userId, @now, @expiresAt)',
    params: { tokenHash: l.tokenHash, handoffId: l.handoffId, userId: l.userId, now: l.now, expiresAt: l.expiresAt },
  }),

  /** Opens an unopened, unexpired link for this browser: the conditional UPDATE lets one of two racing opens win. */
  open: (tokenHash: string, browserHash: string, now: number): Bound => ({
    text: `UPDATE details_links SET opened_at = @now, browser_hash = @browserHash
           WHERE token_hash = @tokenHash AND opened_at IS NULL AND expires_at > @now RETURNING handoff_id, user_id, expires_at`,
    params: { tokenHash, browserHash, now },
  }),

  /** A reload: the link, only in the browser it is bound to and until it expires. */
  reopen: (tokenHash: string, browserHash: string, now: number): Bound => ({
    text: 'SELECT handoff_id, user_id, expires_at FROM details_links WHERE token_hash = @tokenHash AND browser_hash = @browserHash AND expires_at > @now',
    params: { tokenHash, browserHash, now },
  }),
};

export interface DetailsLinkRow {
  handoff_id: string;
  user_id: string;
  expires_at: number | string;
}
