import type { IRouter, Response } from 'express';
import type { HandoffConfig } from '../config/load-config.js';
import type { Logger } from '../observability/logger.js';
import type { Store } from '../store/store.js';
import { DETAILS_PAGE_CSP, GONE_PAGE, renderDetailsPage, UNAVAILABLE_PAGE } from '../details-page/details-html.js';
import { browserCookie, browserCookieName, browserSecretOf, DETAILS_PAGE_PATH, hashSecret, newSecret, SECRET_PATTERN } from '../details-page/details-link.js';

export interface DetailsPageDeps {
  store: Pick<Store, 'detailsLinks' | 'handoffs'>;
  config: HandoffConfig;
  clock: () => number;
  logger: Logger;
  /** The cookie is `Secure` when the bot's public URL is https. */
  secureCookie: boolean;
}

function send(res: Response, status: number, html: string): void {
  res.status(status);
  res.set({
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    pragma: 'no-cache',
    'referrer-policy': 'no-referrer',
    'content-security-policy': DETAILS_PAGE_CSP,
    'x-content-type-options': 'nosniff',
    'x-frame-options': 'DENY',
  });
  res.send(html);
}

/**
 * `GET /v/{token}` (docs/contract/regulated-workflows.md): the Details page of a `link_only` workflow's handoff. A token is
 * good once, for 10 minutes; the browser that opened it may reload it until then (its cookie, scoped to
 * `/v/`). Anything else, malformed, unknown, expired, used, or another browser, gets the same 410,
 * which says nothing about the handoff. Neither the token nor the cookie is ever logged.
 */
export function registerDetailsPage(router: IRouter, deps: DetailsPageDeps): void {
  router.get(DETAILS_PAGE_PATH, async (req, res) => {
    const token = req.params.token ?? '';
    if (!SECRET_PATTERN.test(token)) {
      send(res, 410, GONE_PAGE);
      return;
    }
    const tokenHash = hashSecret(token);
    const cookieName = browserCookieName(tokenHash);
    const sent = browserSecretOf(req.headers.cookie, cookieName);
    const secret = sent ?? newSecret();
    const now = deps.clock();
    try {
      const use = await deps.store.detailsLinks.open(tokenHash, hashSecret(secret), now);
      const handoff = use ? await deps.store.handoffs.get(use.handoffId) : null;
      if (!use || !handoff) {
        send(res, 410, GONE_PAGE);
        return;
      }
      if (sent === null) res.append('set-cookie', browserCookie(cookieName, secret, use.expiresAt - now, deps.secureCookie));
      send(res, 200, renderDetailsPage({ handoff, workflow: deps.config.workflows.get(handoff.workflowId), expiresAt: use.expiresAt }));
      deps.logger.info({ handoff_id: handoff.id, action: 'details_page', user_id: use.userId, first: use.first, erased: handoff.erasedAt !== null }, 'details page shown');
    } catch (err) {
      deps.logger.warn({ action: 'details_page', err_code: (err as { code?: string }).code ?? 'error' }, 'details page not shown');
      send(res, 503, UNAVAILABLE_PAGE);
    }
  });
}
