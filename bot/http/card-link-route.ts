import type { IRouter } from 'express';
import { HANDOFF_ID_PATTERN } from '../domain/ids.js';
import { ApiError } from '../errors/api-error.js';
import { CARD_LINK_PATH } from '../sms/card-link.js';
import type { Store } from '../store/store.js';

/** While Slack has neither the card nor a digest listing it: a page that looks again by itself, no script. */
const WAITING_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta http-equiv="refresh" content="3">
<meta name="viewport" content="width=device-width, initial-scale=1"><title>Handoff</title></head>
<body><p>The Slack card for this handoff is on its way. This page opens it as soon as it is posted.</p></body></html>
`;

/**
 * `GET /h/{handoff_id}`: the link an on-call SMS carries when its card was not out in time. Redirects
 * to the card's permalink, or, while the card waits its turn in a storm, to the digest that lists the
 * handoff with its own Claim button. Ids are unguessable; the answer holds no handoff data, and a
 * Slack permalink opens only for members of the workspace.
 */
export function registerCardLinkRoute(router: IRouter, deps: { store: Pick<Store, 'handoffs' | 'stormDigests'> }): void {
  router.get(CARD_LINK_PATH, async (req, res, next) => {
    try {
      const id = req.params.handoffId ?? '';
      res.set({ 'cache-control': 'no-store', 'referrer-policy': 'no-referrer' });
      const h = HANDOFF_ID_PATTERN.test(id) ? await deps.store.handoffs.get(id) : null;
      if (!h) throw new ApiError('not_found', 'There is no such handoff.');
      const target = h.slackPermalink ?? (await deps.store.stormDigests.digestOf(h.id))?.permalink ?? null;
      if (target) {
        res.redirect(302, target);
        return;
      }
      res.set('content-security-policy', "default-src 'none'");
      res.type('html').send(WAITING_PAGE);
    } catch (err) {
      next(err);
    }
  });
}
