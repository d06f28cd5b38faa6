import type { Store } from '../store/store.js';
import { DETAILS_LINK_TTL_MS, detailsUrl, hashSecret, newSecret } from './details-link.js';

/**
 * A new Details link for `userId` (docs/contract/regulated-workflows.md): the token goes into the URL only; the store keeps
 * its hash, the handoff, the user and when it expires.
 */
export async function issueDetailsLink(
  deps: { store: Pick<Store, 'detailsLinks'>; publicUrl: string; clock: () => number },
  handoffId: string,
  userId: string,
): Promise<string> {
  const token = newSecret();
  const now = deps.clock();
  await deps.store.detailsLinks.issue({ tokenHash: hashSecret(token), handoffId, userId, now, expiresAt: now + DETAILS_LINK_TTL_MS });
  return detailsUrl(deps.publicUrl, token);
}
