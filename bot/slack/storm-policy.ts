/** A card may wait this long at the channel's pace before a digest makes it claimable. */
export const DIGEST_AFTER_MS = 5_000;

/**
 * When a channel's next post should be a digest instead of the next card: when the cards still to
 * post, at the channel's pace, would leave the last of them unseen for longer than `digestAfterMs`.
 * Unpaced (tests, `paceMs` 0) never digests.
 */
export function shouldPostDigest(undigestedWaiting: number, paceMs: number, digestAfterMs: number): boolean {
  return undigestedWaiting > 1 && undigestedWaiting * paceMs > digestAfterMs;
}
