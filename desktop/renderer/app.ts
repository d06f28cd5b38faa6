/**
 * The window: handoff list, settings and pairing. Talks only to `window.handoff`
 * (the preload bridge); builds DOM with textContent, never innerHTML.
 */
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import { OUTCOME_LABELS, OUTCOMES, type Outcome } from '../../shared/schemas/outcome.js';
import type { AppState, HandoffBridge, IpcError } from '../shared/ipc.js';
import { formatAge } from '../core/tray-model.js';
import { queueOrder } from '../core/queue-order.js';
import { RESOLVE_CONFIRM } from '../../shared/confirm-texts.js';
import { escalatedText, personText, reasonText } from '../core/view-text.js';

declare global {
  interface Window {
    handoff: HandoffBridge;
  }
}

const $ = <T extends HTMLElement>(id: string): T => {
  const el = document.getElementById(id);
  if (!el) throw new Error(`missing #${id}`);
  return el as T;
};

const CONNECTION_TEXT: Record<AppState['connection'], string> = {
  unpaired: 'Not paired',
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline',
  unauthorized: 'Pairing expired',
};

const BANNER_TEXT: Partial<Record<AppState['connection'], string>> = {
  offline: 'Offline: reconnecting to the server. The list may be out of date.',
  unauthorized: 'This computer is no longer paired. Pair it again in Settings.',
  unpaired: 'Not paired yet. Open Settings and enter a pairing code.',
};

/** What the window says about where the pairing token lives (nothing when it is in the OS keyring). */
const KEYRING_BANNER: Partial<Record<NonNullable<AppState['tokenStorage']>, string>> = {
  'memory-only': 'No keyring on this computer: the pairing lasts only until Handoff quits. See Settings.',
  locked: 'Your keyring is locked: unlock it (or log in again) and Handoff reconnects by itself.',
};

const KEYRING_TEXT: Partial<Record<NonNullable<AppState['tokenStorage']>, string>> = {
  'memory-only':
    'Handoff found no keyring (GNOME Keyring or KWallet) to encrypt the pairing token, so it keeps it in memory and you pair again after every restart.',
  'unencrypted-file':
    'The pairing token is stored unencrypted in pairing-token.UNENCRYPTED.json in Handoff\'s data folder (readable only by your account). Untick to delete it.',
};

let state: AppState | null = null;
let highlighted: string | null = null;

function el<K extends keyof HTMLElementTagNameMap>(tag: K, cls?: string, text?: string): HTMLElementTagNameMap[K] {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

function statusText(h: HandoffView): string {
  const who = (id: string) => personText(h, id, state?.userId ?? null);
  if (h.status === 'resolved') return `Resolved${h.resolved_by ? ` by ${who(h.resolved_by)}` : ''}${h.outcome ? ` · ${OUTCOME_LABELS[h.outcome]}` : ''}`;
  const escalated = escalatedText(h, state?.userId ?? null);
  if (h.status === 'claimed') return `Claimed by ${h.claimed_by ? who(h.claimed_by) : 'someone'}${escalated}`;
  return `Open: needs an owner${escalated}`;
}

/**
 * Open in Slack works whenever a card can exist: without a link yet (the card is posted after the
 * handoff reaches the desktop), the app asks the server for it on click and says why if there is none.
 * A resolved handoff without a link never had a card: the button is off and says so.
 */
function slackButton(h: HandoffView): HTMLElement[] {
  const slack = el('button', 'open-slack', 'Open in Slack');
  slack.type = 'button';
  slack.setAttribute('aria-label', `Open ${handoffName(h)} in Slack`);
  if (h.slack_permalink === null && h.status === 'resolved') {
    slack.disabled = true;
    const why = el('span', 'slack-why', 'Never posted to Slack');
    why.id = `slack-why-${h.id}`;
    slack.setAttribute('aria-describedby', why.id);
    slack.title = 'This handoff has no Slack card.';
    return [slack, why];
  }
  slack.addEventListener('click', () => void runAction(slack, () => window.handoff.openInSlack({ id: h.id })));
  return [slack];
}

function showActionError(err: IpcError | null): void {
  const p = $('action-error');
  p.hidden = err === null;
  p.textContent = err?.message ?? '';
}

/**
 * Asks before an action that cannot be taken back by a click, as Slack's confirm dialog does: a
 * modal dialog (it takes and holds focus, Escape cancels, focus goes back to the button after).
 */
function askConfirm(c: { title: string; text: string; confirm: string; deny: string }): Promise<boolean> {
  const dialog = $<HTMLDialogElement>('confirm-dialog');
  $('confirm-title').textContent = c.title;
  $('confirm-text').textContent = c.text;
  const ok = $<HTMLButtonElement>('confirm-ok');
  const deny = $<HTMLButtonElement>('confirm-deny');
  ok.textContent = c.confirm;
  deny.textContent = c.deny;
  return new Promise((resolve) => {
    const done = (yes: boolean) => {
      ok.onclick = deny.onclick = dialog.onclose = null;
      if (dialog.open) dialog.close();
      resolve(yes);
    };
    ok.onclick = () => done(true);
    deny.onclick = () => done(false);
    // Escape closes a modal dialog by itself: that is a No.
    dialog.onclose = () => done(false);
    dialog.showModal();
    deny.focus();
  });
}

/** "urgent, Emergency or sensitive request, Clinic after-hours line, 4 min": which handoff, in words. */
function handoffName(h: HandoffView): string {
  return `${h.severity}, ${reasonText(h)}, ${h.workflow_name}, ${formatAge(h.received_at, Date.now())}`;
}

/** After an action the list is drawn again: the focus goes to the same card's next control, and the result is announced. */
interface ActionResult {
  id: string;
  done: string;
  next: string;
}

async function runAction(button: HTMLButtonElement, fn: () => Promise<{ ok: true } | { ok: false; error: IpcError }>, result?: ActionResult): Promise<void> {
  button.disabled = true;
  const res = await fn();
  showActionError(res.ok ? null : res.error);
  await refresh();
  if (!result) return;
  const row = document.querySelector<HTMLElement>(`li.handoff[data-id="${CSS.escape(result.id)}"]`);
  (row?.querySelector<HTMLElement>(`${result.next}:not(:disabled)`) ?? row?.querySelector<HTMLElement>('button:not(:disabled)') ?? row)?.focus();
  const name = row?.getAttribute('aria-label') ?? 'the handoff';
  $('announce').textContent = res.ok ? `${result.done}: ${name}` : res.error.message;
}

function renderHandoff(h: HandoffView): HTMLLIElement {
  const li = el('li', 'handoff');
  li.dataset.id = h.id;
  li.tabIndex = -1;
  li.dataset.severity = h.severity;
  li.dataset.status = h.status;
  if (h.id === highlighted) li.classList.add('highlight');

  const line1 = el('div', 'line1');
  line1.append(el('span', 'badge', h.severity));
  if (h.escalation_level > 0) line1.append(el('span', 'badge esc', `escalated ${h.escalation_level}`));
  if (h.caller_hung_up) line1.append(el('span', 'badge hung-up', 'caller hung up: call back'));
  line1.append(el('span', 'workflow', h.workflow_name), el('span', 'age', formatAge(h.received_at, Date.now())));
  // The reason is the card's heading; every control says which handoff it acts on (two urgent cards of
  // one line must not sound the same to a screen reader).
  const heading = el('h2', 'reason', reasonText(h));
  li.setAttribute('aria-label', handoffName(h));
  li.append(line1, heading, el('div', 'status-text', statusText(h)));

  const actions = el('div', 'actions');
  const bridge = window.handoff;
  if (h.status === 'open') {
    const claim = el('button', 'primary claim', 'Claim');
    claim.type = 'button';
    claim.setAttribute('aria-label', `Claim ${handoffName(h)}`);
    claim.addEventListener('click', () => void runAction(claim, () => bridge.claim({ id: h.id }), { id: h.id, done: 'Claimed by you', next: 'button.resolve' }));
    actions.append(claim);
  }
  if (h.status !== 'resolved') {
    // How it ended (docs/contract/outcomes.md#outcomes): Handled unless the owner picks another outcome first.
    const outcome = el('select', 'outcome');
    outcome.setAttribute('aria-label', `Outcome of ${handoffName(h)}`);
    for (const o of OUTCOMES) outcome.append(Object.assign(el('option', undefined, OUTCOME_LABELS[o]), { value: o }));
    const resolve = el('button', 'resolve', 'Resolve');
    resolve.type = 'button';
    resolve.setAttribute('aria-label', `Resolve ${handoffName(h)}`);
    resolve.addEventListener('click', () => {
      void askConfirm(RESOLVE_CONFIRM).then((yes) => {
        if (yes) void runAction(resolve, () => bridge.resolve({ id: h.id, outcome: outcome.value as Outcome }), { id: h.id, done: 'Resolved', next: 'button.open-slack' });
      });
    });
    actions.append(outcome, resolve);
  }
  actions.append(...slackButton(h));
  li.append(actions);
  return li;
}

function render(s: AppState): void {
  state = s;
  const pill = $('connection');
  pill.dataset.state = s.connection;
  pill.textContent = CONNECTION_TEXT[s.connection];
  const banner = $('offline-banner');
  const bannerText = BANNER_TEXT[s.connection];
  banner.hidden = bannerText === undefined;
  banner.textContent = bannerText ?? '';
  const keyringBanner = $('keyring-banner');
  const keyringBannerText = s.tokenStorage ? KEYRING_BANNER[s.tokenStorage] : undefined;
  keyringBanner.hidden = keyringBannerText === undefined;
  keyringBanner.textContent = keyringBannerText ?? '';
  const keyringText = s.tokenStorage ? KEYRING_TEXT[s.tokenStorage] : undefined;
  $('unencrypted-option').hidden = keyringText === undefined;
  $('keyring-text').textContent = keyringText ?? '';

  $('handoffs').replaceChildren(...[...s.handoffs].sort(queueOrder).map(renderHandoff));
  $('empty').hidden = s.handoffs.length > 0;

  const serverUrl = $<HTMLInputElement>('server-url');
  if (document.activeElement !== serverUrl && !serverUrl.value) serverUrl.value = s.settings.serverUrl ?? '';
  $('unpair-button').hidden = !s.paired;
  if (document.activeElement?.closest('#settings-form') == null) {
    $<HTMLInputElement>('show-caller').checked = s.settings.showCallerDataOnLockScreen;
    $<HTMLInputElement>('auto-launch').checked = s.settings.autoLaunch;
    $<HTMLInputElement>('store-unencrypted').checked = s.settings.storeTokenUnencrypted;
    $<HTMLInputElement>('quiet-start').value = s.settings.quietHours?.start ?? '';
    $<HTMLInputElement>('quiet-end').value = s.settings.quietHours?.end ?? '';
  }
}

async function refresh(): Promise<void> {
  render(await window.handoff.getState({}));
}

function setStatus(id: string, kind: 'ok' | 'error' | 'info', text: string): void {
  const p = $(id);
  p.dataset.kind = kind;
  p.textContent = text;
}

function selectTab(tab: 'list' | 'settings', focus = false): void {
  $('list-view').hidden = tab !== 'list';
  $('settings-view').hidden = tab !== 'settings';
  for (const [id, on] of [['tab-list', tab === 'list'], ['tab-settings', tab === 'settings']] as const) {
    $(id).setAttribute('aria-selected', String(on));
    // One tab stop for the tab list; the arrow keys move between its tabs.
    $(id).tabIndex = on ? 0 : -1;
    if (on && focus) $(id).focus();
  }
}

function wire(): void {
  $('tab-list').addEventListener('click', () => selectTab('list'));
  $('tab-settings').addEventListener('click', () => selectTab('settings'));
  for (const id of ['tab-list', 'tab-settings']) {
    $(id).addEventListener('keydown', (e) => {
      if (!['ArrowLeft', 'ArrowRight', 'Home', 'End'].includes(e.key)) return;
      e.preventDefault();
      const toSettings = e.key === 'End' || ((e.key === 'ArrowRight' || e.key === 'ArrowLeft') && id === 'tab-list');
      selectTab(toSettings ? 'settings' : 'list', true);
    });
  }

  $('pair-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const serverUrl = $<HTMLInputElement>('server-url').value.trim();
    const code = $<HTMLInputElement>('pair-code').value.trim();
    if (!serverUrl || !code) return setStatus('pair-status', 'error', 'Enter the server URL and the pairing code.');
    const button = $<HTMLButtonElement>('pair-button');
    button.disabled = true;
    setStatus('pair-status', 'info', 'Pairing…');
    void window.handoff
      .pair({ serverUrl, code })
      .then(async (res) => {
        if (res.ok) {
          $<HTMLInputElement>('pair-code').value = '';
          setStatus('pair-status', 'ok', `Paired as ${res.data.userId}.`);
        } else setStatus('pair-status', 'error', res.error.message);
        await refresh();
      })
      .catch(() => setStatus('pair-status', 'error', 'That server URL or code is not valid.'))
      .finally(() => (button.disabled = false));
  });

  $('unpair-button').addEventListener('click', () => {
    void window.handoff.unpair({}).then(async () => {
      setStatus('pair-status', 'info', 'Unpaired.');
      await refresh();
    });
  });

  $('settings-form').addEventListener('submit', (e) => {
    e.preventDefault();
    const start = $<HTMLInputElement>('quiet-start').value;
    const end = $<HTMLInputElement>('quiet-end').value;
    void window.handoff
      .saveSettings({
        showCallerDataOnLockScreen: $<HTMLInputElement>('show-caller').checked,
        autoLaunch: $<HTMLInputElement>('auto-launch').checked,
        quietHours: start && end ? { start, end } : null,
        // Only offered (and only sent) where there is no keyring.
        ...($('unencrypted-option').hidden ? {} : { storeTokenUnencrypted: $<HTMLInputElement>('store-unencrypted').checked }),
      })
      .then((res) => setStatus('settings-status', res.ok ? 'ok' : 'error', res.ok ? 'Saved.' : res.error.message))
      .then(refresh);
  });

  window.handoff.onStateChanged(render);
  window.addEventListener('hashchange', readHash);
}

function readHash(): void {
  const m = /handoff=([A-Za-z0-9_-]+)/.exec(location.hash);
  highlighted = m?.[1] ?? null;
  if (state) render(state);
}

wire();
readHash();
void refresh().then(() => {
  if (state && !state.paired) selectTab('settings');
});
