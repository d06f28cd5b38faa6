// @ts-check
/* global document, window, location, fetch, EventSource, URL, clearTimeout, HTMLElement -- the page runs in a browser */
// The sandbox page: a Slack-like view of the emulator's workspace (live over
// SSE), buttons/modals/slash commands sent as real interactions to the bot, a
// sample-handoff form and the outbound SMS/callback feed. No framework, no
// innerHTML: every text goes in through textContent.
import { agoText, el, renderBlocks, renderText } from './blocks.js';

/** @typedef {{ id: string, name: string }} Channel */
/** @typedef {{ id: string, name: string, real_name: string }} User */
/** @typedef {{ channel: string, ts: string, text: string, blocks: any[], thread_ts?: string, edited?: unknown, user?: string, metadata?: any }} Message */
/** @typedef {{ channel: string, user: string, ts: string, text: string, blocks: any[], thread_ts?: string, local?: boolean }} Ephemeral */
/** @typedef {{ id: string, user: string, state: 'open' | 'closed', view: any }} View */

const state = {
  /** @type {any} */ setup: null,
  /** @type {{ name: string }} */ team: { name: 'Handoff Sandbox' },
  /** @type {{ name: string, userId: string }} */ bot: { name: 'handoff', userId: '' },
  /** @type {Channel[]} */ channels: [],
  /** @type {User[]} */ users: [],
  /** @type {Record<string, Message[]>} */ messages: {},
  /** @type {Ephemeral[]} */ ephemerals: [],
  /** @type {Ephemeral[]} */ localEphemerals: [],
  /** @type {View[]} */ views: [],
  /** @type {Set<string>} */ dismissedViews: new Set(),
  /** @type {Set<string>} channel/ts of the threads opened on the page */ openThreads: new Set(),
  /** @type {Record<string, number>} */ unread: {},
  currentUser: '',
  currentChannel: '',
  /** The app's Home tab is open instead of a channel. */
  home: false,
  /** @type {Record<string, any>} the Home view the bot last published, per user */ homeViews: {},
  highlightTs: '',
  /** @type {{ webhookId: string, handoff: unknown } | null} */ lastSent: null,
};

const $ = (/** @type {string} */ id) => /** @type {HTMLElement} */ (document.getElementById(id));

// ---------------------------------------------------------------- helpers

/** @param {string} path @param {unknown} body */
async function postJson(path, body) {
  const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  /** @type {any} */
  let json;
  try {
    json = await res.json();
  } catch {
    json = null;
  }
  return { status: res.status, json };
}

let toastTimer = 0;
/** @param {string} text @param {'info' | 'error'} [kind] */
function toast(text, kind = 'info') {
  const node = $('toast');
  node.textContent = text;
  node.dataset.kind = kind;
  node.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = window.setTimeout(() => (node.hidden = true), 4000);
}

/** @param {string} ts */
function tsNumber(ts) {
  return Number(ts);
}

/** @param {string} ts */
function timeOf(ts) {
  return new Date(tsNumber(ts) * 1000).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit' });
}

/** @param {string} id */
function userName(id) {
  const u = state.users.find((x) => x.id === id);
  return u ? u.real_name : id;
}

const ctxBase = {
  userName,
  groupName: (/** @type {string} */ id) => state.setup?.usergroups?.[id] ?? id,
  channelName: (/** @type {string} */ id) => state.channels.find((c) => c.id === id)?.name ?? id,
  /** Permalinks of this emulator open the message here instead of a new tab. */
  openPermalink: (/** @type {string} */ url) => {
    let parsed;
    try {
      parsed = new URL(url);
    } catch {
      return false;
    }
    if (parsed.origin !== location.origin) return false;
    const m = /^\/archives\/([A-Z0-9]+)\/p(\d{7,})$/.exec(parsed.pathname);
    if (!m || !m[1] || !m[2]) return false;
    location.hash = `${m[1]}/${m[2].slice(0, -6)}.${m[2].slice(-6)}`;
    return true;
  },
};

// ---------------------------------------------------------------- state from the emulator

/** @param {any} snap */
function applySnapshot(snap) {
  state.team = snap.team ?? state.team;
  state.bot = snap.bot ?? state.bot;
  state.channels = snap.channels ?? [];
  state.users = snap.users ?? [];
  state.messages = snap.messages ?? {};
  // Slack drops ephemeral messages when the client reloads; so does this page.
  state.ephemerals = [];
  state.localEphemerals = [];
  state.views = snap.views ?? [];
  if (!state.currentUser || !state.users.some((u) => u.id === state.currentUser)) state.currentUser = state.users[0]?.id ?? '';
  if (!state.currentChannel || !state.channels.some((c) => c.id === state.currentChannel)) state.currentChannel = state.channels[0]?.id ?? '';
  renderUsers();
  renderAll();
}

/** @param {any} ev */
function applyChange(ev) {
  // Like Slack: a new message in the open channel, or an answer only you see, is brought into view.
  let jump = false;
  switch (ev.type) {
    case 'message_posted': {
      const list = (state.messages[ev.channel] ??= []);
      list.push(ev.message);
      const topLevel = !ev.message.thread_ts || ev.message.thread_ts === ev.message.ts;
      if (ev.channel !== state.currentChannel && topLevel) state.unread[ev.channel] = (state.unread[ev.channel] ?? 0) + 1;
      if (ev.channel === state.currentChannel && topLevel) jump = true;
      break;
    }
    case 'message_updated': {
      const list = state.messages[ev.channel] ?? [];
      const i = list.findIndex((m) => m.ts === ev.ts);
      if (i >= 0) list[i] = ev.message;
      else list.push(ev.message);
      break;
    }
    case 'message_deleted':
      state.messages[ev.channel] = (state.messages[ev.channel] ?? []).filter((m) => m.ts !== ev.ts);
      break;
    case 'ephemeral':
      state.ephemerals.push(ev.ephemeral);
      if (ev.ephemeral.channel === state.currentChannel && ev.ephemeral.user === state.currentUser) jump = true;
      break;
    case 'view_opened':
    case 'view_updated': {
      const i = state.views.findIndex((v) => v.id === ev.viewId);
      if (i >= 0) state.views[i] = ev.view;
      else state.views.push(ev.view);
      break;
    }
    case 'home_published':
      state.homeViews[ev.user] = ev.view?.view ?? null;
      break;
    case 'view_closed': {
      const v = state.views.find((x) => x.id === ev.viewId);
      if (v) v.state = 'closed';
      break;
    }
  }
  if (ev.type.startsWith('view_')) renderModal();
  else if (ev.type === 'home_published') {
    if (state.home && ev.user === state.currentUser) renderAll();
  } else renderAll(jump);
}

/** The page's one live connection: workspace snapshot and changes, and the outbound feed. */
function connectEvents() {
  const live = $('live');
  const source = new EventSource('/sandbox/api/events');
  source.addEventListener('outbound', (e) => renderOutbound(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  source.addEventListener('state', (e) => {
    live.dataset.state = 'live';
    live.textContent = 'live';
    applySnapshot(JSON.parse(/** @type {MessageEvent} */ (e).data));
  });
  source.addEventListener('change', (e) => applyChange(JSON.parse(/** @type {MessageEvent} */ (e).data)));
  source.addEventListener('error', () => {
    live.dataset.state = 'offline';
    live.textContent = 'reconnecting…';
  });
}

// ---------------------------------------------------------------- sidebar

function renderUsers() {
  const select = /** @type {HTMLSelectElement} */ ($('user-select'));
  select.replaceChildren(
    ...state.users.map((u) => {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', `${u.real_name} (@${u.name})`));
      o.value = u.id;
      return o;
    }),
  );
  select.value = state.currentUser;
}

function renderChannels() {
  const list = $('channels');
  list.replaceChildren(
    ...state.channels.map((c) => {
      const li = el('li');
      const button = /** @type {HTMLButtonElement} */ (el('button', `channel-link${c.id === state.currentChannel && !state.home ? ' active' : ''}`));
      button.type = 'button';
      button.dataset.channel = c.id;
      button.append(el('span', 'hash', '#'), el('span', 'channel-name', c.name));
      const unread = state.unread[c.id] ?? 0;
      if (unread > 0) button.append(el('span', 'badge', String(unread)));
      button.addEventListener('click', () => selectChannel(c.id));
      li.append(button);
      return li;
    }),
  );
}

/** @param {string} id */
function selectChannel(id) {
  state.home = false;
  state.currentChannel = id;
  state.unread[id] = 0;
  state.highlightTs = '';
  renderAll(true);
}

// ---------------------------------------------------------------- messages

/**
 * Keeps Tab and Shift+Tab inside a dialog, and Escape closes it, as Slack's dialogs do.
 * @param {HTMLElement} container @param {() => void} onEscape
 */
function holdFocus(container, onEscape) {
  container.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') {
      e.preventDefault();
      onEscape();
      return;
    }
    if (e.key !== 'Tab') return;
    const focusable = /** @type {HTMLElement[]} */ ([...container.querySelectorAll('button, input, textarea, select, a[href], [tabindex="0"]')]).filter((n) => !(/** @type {any} */ (n).disabled));
    const first = focusable[0];
    const last = focusable[focusable.length - 1];
    if (!first || !last) return;
    if (e.shiftKey && document.activeElement === first) {
      e.preventDefault();
      last.focus();
    } else if (!e.shiftKey && document.activeElement === last) {
      e.preventDefault();
      first.focus();
    }
  });
}

/** Focus back where it was before a dialog opened, if that control is still on the page. @param {Element | null} before */
function returnFocus(before) {
  if (before instanceof HTMLElement && before.isConnected) before.focus();
  // The card was drawn again meanwhile: the same control of the same message.
  else focusControl(lastClicked);
}

/**
 * Slack's confirmation dialog for an element with `confirm`: nothing is sent unless the user confirms.
 * @param {any} confirm @returns {Promise<boolean>}
 */
function askConfirm(confirm) {
  return new Promise((resolve) => {
    const root = $('confirm-root');
    const overlay = el('div', 'modal-overlay');
    const dialog = el('div', 'modal confirm-dialog');
    dialog.setAttribute('role', 'alertdialog');
    dialog.setAttribute('aria-modal', 'true');
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    dialog.setAttribute('aria-describedby', 'confirm-text');
    const before = document.activeElement;
    const header = el('div', 'modal-header');
    const title = renderText(confirm.title, ctxBase, 'modal-title');
    title.id = 'confirm-title';
    header.append(title);
    const body = el('div', 'modal-body');
    const text = renderText(confirm.text, ctxBase);
    text.id = 'confirm-text';
    body.append(text);
    const footer = el('div', 'modal-footer');
    const deny = /** @type {HTMLButtonElement} */ (el('button', 'btn', String(confirm.deny?.text ?? 'Cancel')));
    const ok = /** @type {HTMLButtonElement} */ (el('button', `btn ${confirm.style === 'danger' ? 'btn-danger' : 'btn-primary'}`, String(confirm.confirm?.text ?? 'Yes')));
    deny.type = ok.type = 'button';
    deny.dataset.confirm = 'deny';
    ok.dataset.confirm = 'confirm';
    footer.append(deny, ok);
    dialog.append(header, body, footer);
    overlay.append(dialog);
    const done = (/** @type {boolean} */ yes) => {
      root.replaceChildren();
      returnFocus(before);
      resolve(yes);
    };
    deny.addEventListener('click', () => done(false));
    ok.addEventListener('click', () => done(true));
    holdFocus(dialog, () => done(false));
    root.replaceChildren(overlay);
    ok.focus();
  });
}

/**
 * A block action as Slack sends it for a click (`value`) or a choice (`selectedOption`); Slack's
 * complaints, if any, as a toast.
 * @param {string} channel @param {string} ts @param {any} element @param {{ value?: string, selectedOption?: string }} picked
 */
async function sendBlockAction(channel, ts, element, picked) {
  try {
    const { status, json } = await postJson('/_emulator/interactions/block-action', {
      user: state.currentUser,
      channel,
      messageTs: ts,
      actionId: element.action_id,
      ...picked,
    });
    const answer = json?.answer;
    if (status !== 200) toast(`Slack could not send the action: ${json?.error ?? status}`, 'error');
    else if (answer?.timedOut) toast('The bot did not answer within 3 s (Slack would show an error)', 'error');
    else if (answer && answer.status !== 200) toast(`The bot answered ${answer.status}`, 'error');
  } catch {
    toast('The sandbox did not answer', 'error');
  }
}

/** @param {string} channel @param {string} ts @param {any} element @param {string} _blockId @param {HTMLButtonElement} button */
async function clickButton(channel, ts, element, _blockId, button) {
  // A view this click opens gives the focus back to this button (found again if the card is redrawn).
  lastClicked = { channel, ts, actionId: String(element.action_id ?? '') };
  if (element.confirm && !(await askConfirm(element.confirm))) return;
  button.disabled = true;
  button.classList.add('pending');
  await sendBlockAction(channel, ts, element, typeof element.value === 'string' ? { value: element.value } : {});
  if (button.isConnected) {
    button.disabled = false;
    button.classList.remove('pending');
  }
}

/**
 * A choice in a message's select (the resolved card's outcome): a block action carrying
 * `selected_option`, as Slack sends it. The select shows the card's value again once the bot edits it.
 * @param {string} channel @param {string} ts @param {any} element @param {string} value @param {HTMLSelectElement} select
 */
async function chooseOption(channel, ts, element, value, select) {
  select.disabled = true;
  await sendBlockAction(channel, ts, element, { selectedOption: value });
  if (select.isConnected) select.disabled = false;
}

/** @param {{ ts: string, text: string, blocks: any[], edited?: unknown, metadata?: any }} msg @param {string} channel @param {{ ephemeral?: boolean, author?: string, interactive?: boolean }} opts */
function renderMessage(msg, channel, opts = {}) {
  const node = el('article', `message${opts.ephemeral ? ' ephemeral' : ''}${state.highlightTs === msg.ts ? ' highlight' : ''}`);
  node.dataset.ts = msg.ts;
  node.dataset.channel = channel;
  // Message metadata is invisible in Slack; here it names the handoff for people and tests alike.
  const meta0 = msg.metadata;
  if (meta0 && typeof meta0.event_type === 'string') {
    node.dataset.eventType = meta0.event_type;
    if (typeof meta0.event_payload?.handoff_id === 'string') node.dataset.handoffId = meta0.event_payload.handoff_id;
  }
  const author = opts.author ?? state.bot.name;
  node.append(el('div', `avatar${opts.author ? ' avatar-slackbot' : ''}`, author.slice(0, 1).toUpperCase()));
  const body = el('div', 'message-body');
  const meta = el('div', 'message-meta');
  meta.append(el('span', 'author', author), el('span', 'app-badge', 'APP'), el('span', 'time', timeOf(msg.ts)));
  if (msg.edited) meta.append(el('span', 'edited', '(edited)'));
  body.append(meta);
  if (opts.ephemeral) body.append(el('div', 'only-you', '👁 Only visible to you'));
  const ctx = {
    ...ctxBase,
    ...(opts.interactive === false
      ? {}
      : {
          onButton: (/** @type {any} */ element, /** @type {string} */ blockId, /** @type {HTMLButtonElement} */ button) => void clickButton(channel, msg.ts, element, blockId, button),
          onSelect: (/** @type {any} */ element, /** @type {string} */ _blockId, /** @type {string} */ value, /** @type {HTMLSelectElement} */ select) =>
            void chooseOption(channel, msg.ts, element, value, select),
        }),
  };
  if (Array.isArray(msg.blocks) && msg.blocks.length > 0) body.append(renderBlocks(msg.blocks, ctx));
  else body.append(renderText({ type: 'mrkdwn', text: msg.text ?? '' }, ctx));
  node.append(body);
  return node;
}

/**
 * A thread as Slack shows it in the channel: "N replies" under the parent, opened on click
 * (the open ones stay open across re-renders).
 * @param {string} parentTs @param {any[]} thread @param {string} channel
 */
function renderThread(parentTs, thread, channel) {
  const box = el('div', 'thread');
  const open = state.openThreads.has(`${channel}/${parentTs}`);
  const label = /** @type {HTMLButtonElement} */ (el('button', 'thread-label', `${thread.length} ${thread.length === 1 ? 'reply' : 'replies'}${open ? ' · hide' : ''}`));
  label.type = 'button';
  label.setAttribute('aria-expanded', String(open));
  label.addEventListener('click', () => {
    const key = `${channel}/${parentTs}`;
    if (state.openThreads.has(key)) state.openThreads.delete(key);
    else state.openThreads.add(key);
    renderMessages();
  });
  box.append(label);
  if (open) for (const r of thread) box.append(renderMessage(r, channel));
  return box;
}

/**
 * The app's Home tab, as Slack opens it: `app_home_opened` to the bot, which publishes the view
 * (views.publish) that the emulator hands to this page. Opened again for each user picked.
 */
function openHome() {
  state.home = true;
  renderAll();
  void postJson('/_emulator/interactions/app-home-opened', { user: state.currentUser })
    .then(({ status, json }) => {
      if (status !== 200) toast(`Slack could not open the Home tab: ${json?.error ?? status}`, 'error');
    })
    .catch(() => toast('The sandbox did not answer', 'error'));
}

function renderHome() {
  const box = $('messages');
  const view = state.homeViews[state.currentUser];
  if (!view) {
    box.replaceChildren(el('p', 'empty', 'Opening the Home tab…'));
    return;
  }
  const home = el('section', 'home-view');
  home.setAttribute('aria-label', 'Home');
  home.append(renderBlocks(view.blocks, ctxBase));
  box.replaceChildren(home);
}

/** Top-level messages and ephemerals of the channel, in time order, each with its thread. */
function renderMessages(scrollToEnd = false) {
  const box = $('messages');
  if (state.home) return renderHome();
  const atEnd = box.scrollHeight - box.scrollTop - box.clientHeight < 40;
  const channel = state.currentChannel;
  const all = state.messages[channel] ?? [];
  const replies = new Map();
  /** @type {{ ts: string, node: HTMLElement, author?: string }[]} */
  const items = [];
  for (const m of all) {
    if (m.thread_ts && m.thread_ts !== m.ts) {
      const list = replies.get(m.thread_ts) ?? [];
      list.push(m);
      replies.set(m.thread_ts, list);
    }
  }
  for (const m of all) {
    if (m.thread_ts && m.thread_ts !== m.ts) continue;
    const node = renderMessage(m, channel);
    const thread = replies.get(m.ts);
    if (thread) node.querySelector('.message-body')?.append(renderThread(m.ts, thread, channel));
    items.push({ ts: m.ts, node, author: m.user ?? '' });
  }
  const mine = [...state.ephemerals, ...state.localEphemerals].filter((e) => e.channel === channel && e.user === state.currentUser);
  for (const e of mine) {
    items.push({ ts: e.ts, node: renderMessage(e, channel, { ephemeral: true, ...(e.local ? { author: 'handoff', interactive: false } : {}) }) });
  }
  items.sort((a, b) => tsNumber(a.ts) - tsNumber(b.ts));
  if (items.length === 0) {
    box.replaceChildren(el('p', 'empty', 'No messages yet. Send a sample handoff from the panel on the right.'));
    return;
  }
  // Consecutive posts of one author within five minutes share one name and avatar, as in Slack.
  for (let i = 1; i < items.length; i++) {
    const prev = items[i - 1];
    const cur = items[i];
    if (prev && cur && cur.author && cur.author === prev.author && tsNumber(cur.ts) - tsNumber(prev.ts) < 300) cur.node.classList.add('grouped');
  }
  box.replaceChildren(...items.map((i) => i.node));
  const highlighted = state.highlightTs ? box.querySelector('.message.highlight') : null;
  if (highlighted) highlighted.scrollIntoView({ block: 'center' });
  else if (atEnd || scrollToEnd) box.scrollTop = box.scrollHeight;
}

function renderAll(scrollToEnd = false) {
  const channel = state.channels.find((c) => c.id === state.currentChannel);
  $('workspace-name').textContent = state.team.name;
  $('channel-title').textContent = state.home ? state.bot.name : channel ? `# ${channel.name}` : '#';
  $('channel-topic').textContent = state.home ? 'Home' : channel ? channel.id : '';
  $('composer').hidden = state.home;
  $('home-link').classList.toggle('active', state.home);
  /** @type {HTMLInputElement} */ ($('composer-input')).placeholder = channel
    ? `Message #${channel.name} — try /handoff status, /handoff mine, /handoff help`
    : '';
  renderChannels();
  renderMessages(scrollToEnd);
  renderModal();
}

// ---------------------------------------------------------------- modal

/** @typedef {{ channel: string, ts: string, actionId: string }} ControlRef */
/** @type {ControlRef | null} the block action clicked last */
let lastClicked = null;
/** @type {{ viewId: string, opener: ControlRef | null }} */
let modalOpener = { viewId: '', opener: null };

/** Focus a message's control again (after a view it opened closes). @param {ControlRef | null} ref */
function focusControl(ref) {
  if (!ref) return;
  const again = document.querySelector(`.message[data-channel="${ref.channel}"][data-ts="${ref.ts}"] [data-action-id="${ref.actionId}"]`);
  if (again instanceof HTMLElement) again.focus();
}

function renderModal() {
  const root = $('modal-root');
  const view = [...state.views].reverse().find((v) => v.state === 'open' && v.user === state.currentUser && !state.dismissedViews.has(v.id));
  if (!view) {
    const wasOpen = root.childElementCount > 0;
    root.replaceChildren();
    delete root.dataset.viewId;
    if (wasOpen) {
      focusControl(modalOpener.opener);
      modalOpener = { viewId: '', opener: null };
    }
    return;
  }
  if (root.dataset.viewId === view.id && root.dataset.hash === String(view.hash ?? '')) return;
  // The control that opened the view gets the focus back when it closes (an update keeps the first opener).
  if (modalOpener.viewId !== view.id) modalOpener = { viewId: view.id, opener: lastClicked };
  root.dataset.viewId = view.id;
  root.dataset.hash = String(view.hash ?? '');
  const v = view.view ?? {};
  const overlay = el('div', 'modal-overlay');
  const dialog = el('form', 'modal');
  dialog.setAttribute('role', 'dialog');
  dialog.setAttribute('aria-modal', 'true');
  dialog.setAttribute('aria-label', String(v.title?.text ?? 'Modal'));
  const header = el('div', 'modal-header');
  header.append(renderText(v.title, ctxBase, 'modal-title'));
  const closeX = /** @type {HTMLButtonElement} */ (el('button', 'modal-x', '×'));
  closeX.type = 'button';
  closeX.setAttribute('aria-label', 'Close');
  header.append(closeX);
  dialog.append(header);
  const body = el('div', 'modal-body');
  /** @type {{ blockId: string, actionId: string, input: HTMLInputElement | HTMLTextAreaElement, error: HTMLElement }[]} */
  const inputs = [];
  for (const block of Array.isArray(v.blocks) ? v.blocks : []) {
    if (block.type === 'input' && block.element?.type === 'plain_text_input') {
      const wrap = el('label', 'modal-input');
      wrap.append(renderText(block.label, ctxBase, 'input-label'));
      const input = /** @type {HTMLInputElement | HTMLTextAreaElement} */ (el(block.element.multiline ? 'textarea' : 'input'));
      if (block.element.max_length) input.maxLength = Number(block.element.max_length);
      if (block.element.placeholder?.text) input.placeholder = String(block.element.placeholder.text);
      input.name = `${block.block_id}.${block.element.action_id}`;
      const error = el('div', 'input-error');
      wrap.append(input, error);
      body.append(wrap);
      inputs.push({ blockId: String(block.block_id), actionId: String(block.element.action_id), input, error });
    } else {
      body.append(renderBlocks([block], ctxBase));
    }
  }
  dialog.append(body);
  const footer = el('div', 'modal-footer');
  const cancel = /** @type {HTMLButtonElement} */ (el('button', 'btn', String(v.close?.text ?? 'Cancel')));
  cancel.type = 'button';
  const submit = /** @type {HTMLButtonElement} */ (el('button', 'btn btn-primary', String(v.submit?.text ?? 'Submit')));
  submit.type = 'submit';
  // A view without `submit` is read-only in Slack: only its close button shows.
  if (v.submit) footer.append(cancel, submit);
  else footer.append(cancel);
  dialog.append(footer);
  const dismiss = () => {
    state.dismissedViews.add(view.id);
    delete root.dataset.viewId;
    renderModal();
    // Closed in Slack too: a reload or another tab must not bring it back.
    void postJson('/_emulator/interactions/view-closed', { viewId: view.id, user: view.user }).catch(() => undefined);
  };
  cancel.addEventListener('click', dismiss);
  closeX.addEventListener('click', dismiss);
  dialog.addEventListener('submit', (e) => {
    e.preventDefault();
    if (!v.submit) return;
    /** @type {Record<string, Record<string, string>>} */
    const values = {};
    for (const i of inputs) (values[i.blockId] ??= {})[i.actionId] = i.input.value;
    submit.disabled = true;
    void postJson('/_emulator/interactions/view-submission', { viewId: view.id, user: state.currentUser, values })
      .then(({ status, json }) => {
        submit.disabled = false;
        const answer = json?.answer;
        if (status !== 200) return toast(`Slack could not submit: ${json?.error ?? status}`, 'error');
        if (answer?.outcome === 'errors') {
          const errors = answer.json?.errors ?? {};
          for (const i of inputs) i.error.textContent = typeof errors[i.blockId] === 'string' ? errors[i.blockId] : '';
          return undefined;
        }
        if (answer?.outcome === 'no_answer') return toast('The bot did not accept the submission', 'error');
        state.dismissedViews.add(view.id);
        delete root.dataset.viewId;
        renderModal();
        return undefined;
      })
      .catch(() => {
        submit.disabled = false;
        toast('The sandbox did not answer', 'error');
      });
  });
  holdFocus(dialog, dismiss);
  overlay.append(dialog);
  root.replaceChildren(overlay);
  // A view without inputs (Details) takes the focus on its close button, so Escape and Tab work at once.
  (inputs[0]?.input ?? cancel).focus();
}

// ---------------------------------------------------------------- composer (slash commands)

/** @param {string} text @param {any[]} blocks */
function localEphemeral(text, blocks = []) {
  const now = Date.now();
  // Unique, later than anything posted so far: the emulator's ts are seconds.micros of its clock.
  const ts = `${Math.floor(now / 1000)}.${String((now % 1000) * 1000 + (state.localEphemerals.length % 1000)).padStart(6, '0')}`;
  state.localEphemerals.push({ channel: state.currentChannel, user: state.currentUser, ts, text, blocks, local: true });
  renderMessages(true);
}

/** @param {string} line */
async function runComposer(line) {
  const text = line.trim();
  if (text === '') return;
  if (!text.startsWith('/')) {
    localEphemeral('This sandbox only runs `/handoff` commands here (try `/handoff help`).');
    return;
  }
  const [command = '', ...rest] = text.split(/\s+/);
  const { status, json } = await postJson('/_emulator/interactions/slash-command', {
    user: state.currentUser,
    channel: state.currentChannel,
    command,
    text: rest.join(' '),
  });
  const answer = json?.answer;
  // An unknown command is refused by Slack itself, at once, in Slack's own words.
  if (json?.error === 'invalid_command') return localEphemeral(String(json.message ?? `${command} is not a valid command.`));
  if (status !== 200 || !answer) return localEphemeral(`Slack could not send ${command}: ${json?.error ?? status}`);
  if (answer.timedOut) return localEphemeral(`${command} failed with the error "operation_timeout"`);
  if (answer.status !== 200) return localEphemeral(`${command} failed with the error "http_${answer.status}" (is it a command of this app?)`);
  const body = answer.json;
  if (body && typeof body === 'object' && (body.text || body.blocks)) localEphemeral(String(body.text ?? ''), Array.isArray(body.blocks) ? body.blocks : []);
  return undefined;
}

// ---------------------------------------------------------------- sample handoff form

function currentWorkflow() {
  const id = /** @type {HTMLSelectElement} */ ($('hf-workflow')).value;
  return state.setup.workflows.find((/** @type {any} */ w) => w.id === id) ?? state.setup.workflows[0];
}

function renderWorkflowForm() {
  const wf = currentWorkflow();
  const reason = /** @type {HTMLSelectElement} */ ($('hf-reason'));
  reason.replaceChildren(
    ...wf.reasons.map((/** @type {any} */ r) => {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', `${r.label} — ${r.severity}${r.sensitive ? ', sensitive' : ''}`));
      o.value = r.id;
      return o;
    }),
  );
  const fieldset = $('hf-fields');
  const legend = el('legend', '', 'Structured fields');
  fieldset.replaceChildren(
    legend,
    ...wf.fields.map((/** @type {any} */ f) => {
      const label = el('label', 'field-input');
      const name = el('span', 'field-name', f.label);
      if (f.required) name.append(el('span', 'req', ' *'));
      if (f.sensitive) name.append(el('span', 'tag', 'sensitive'));
      /** @type {HTMLInputElement | HTMLSelectElement} */
      let input;
      if (f.values) {
        const select = /** @type {HTMLSelectElement} */ (el('select'));
        const none = /** @type {HTMLOptionElement} */ (el('option', '', '(none)'));
        none.value = '';
        select.append(none, ...f.values.map((/** @type {string} */ v) => {
          const o = /** @type {HTMLOptionElement} */ (el('option', '', v));
          o.value = v;
          return o;
        }));
        input = select;
      } else {
        input = /** @type {HTMLInputElement} */ (el('input'));
      }
      input.name = f.name;
      input.dataset.type = f.type;
      input.value = wf.sample[f.name] ?? '';
      label.append(name, input);
      return label;
    }),
  );
}

/** Form values -> the handoff body; types follow the workflow's fields so valid input passes. */
function handoffFromForm() {
  const wf = currentWorkflow();
  /** @type {Record<string, unknown>} */
  const fields = {};
  for (const input of /** @type {NodeListOf<HTMLInputElement>} */ ($('hf-fields').querySelectorAll('input, select'))) {
    const raw = input.value.trim();
    if (raw === '') continue;
    const type = input.dataset.type;
    if (type === 'number' && raw !== '' && !Number.isNaN(Number(raw))) fields[input.name] = Number(raw);
    else if (type === 'boolean' && (raw === 'true' || raw === 'false')) fields[input.name] = raw === 'true';
    else fields[input.name] = raw;
  }
  /** @type {Record<string, unknown>} */
  const body = {
    workflow_id: wf.id,
    caller_id: /** @type {HTMLInputElement} */ ($('hf-caller')).value,
    call_status: /** @type {HTMLSelectElement} */ ($('hf-call-status')).value,
    structured_fields: fields,
    handoff_reason: /** @type {HTMLSelectElement} */ ($('hf-reason')).value,
  };
  const severity = /** @type {HTMLSelectElement} */ ($('hf-severity')).value;
  if (severity) body.severity = severity;
  const message = /** @type {HTMLTextAreaElement} */ ($('hf-message')).value.trim();
  if (message) body.caller_message = message;
  return body;
}

/** @param {unknown} handoff @param {string} [webhookId] */
async function sendHandoff(handoff, webhookId) {
  const send = /** @type {HTMLButtonElement} */ ($('hf-send'));
  send.disabled = true;
  try {
    const { status, json } = await postJson('/sandbox/api/handoffs', { handoff, ...(webhookId ? { webhook_id: webhookId } : {}) });
    const box = $('hf-answer');
    box.hidden = false;
    const statusLine = $('hf-status');
    if (status !== 200 || !json) {
      statusLine.textContent = `Sandbox error ${status}`;
      statusLine.dataset.kind = 'error';
      $('hf-body').textContent = JSON.stringify(json, null, 2);
      return;
    }
    const ok = json.status >= 200 && json.status < 300;
    statusLine.textContent = `${json.status} ${ok ? 'Accepted' : 'Refused'}${json.replayed ? ' · idempotent-replayed: true' : ''}`;
    statusLine.dataset.kind = ok ? 'ok' : 'error';
    // A refusal in words first (every problem, by field), the raw answer below it.
    const issues = !ok && Array.isArray(json.body?.issues) ? json.body.issues : [];
    const problems = $('hf-problems');
    problems.replaceChildren(
      ...(ok ? [] : [el('li', 'problem-summary', String(json.body?.message ?? json.body?.error ?? 'Refused'))]),
      ...issues.map((/** @type {any} */ i) => {
        // The bot's message names the field ("patient_name is required"); the full path is a hover away.
        const li = el('li', 'problem', String(i.message ?? ''));
        li.title = String(i.path || '(body)');
        return li;
      }),
    );
    problems.hidden = ok;
    $('hf-body').textContent = JSON.stringify(json.body, null, 2);
    state.lastSent = { webhookId: json.webhook_id, handoff };
    /** @type {HTMLButtonElement} */ ($('hf-resend')).disabled = false;
  } catch {
    toast('The sandbox did not answer', 'error');
  } finally {
    send.disabled = false;
  }
}

// ---------------------------------------------------------------- outbound panel

/** @param {any} data */
function renderOutbound(data) {
  const sms = Array.isArray(data.sms) ? data.sms : [];
  const callbacks = Array.isArray(data.callbacks) ? data.callbacks : [];
  $('sms-count').textContent = String(sms.length);
  $('callback-count').textContent = String(callbacks.length);
  $('sms-list').replaceChildren(
    ...(sms.length === 0
      ? [el('li', 'empty', 'None yet: an urgent clinic handoff texts the on-call numbers.')]
      : [...sms].reverse().map((/** @type {any} */ m) => {
          const li = el('li', 'sms');
          const head = el('div', 'outbound-head');
          head.append(el('span', 'to', `to ${m.to}`), el('span', 'time', new Date(m.at).toLocaleTimeString()));
          li.append(head, el('div', 'sms-body', m.body));
          return li;
        })),
  );
  const calls = Array.isArray(data.calls) ? data.calls : [];
  $('call-count').textContent = String(calls.length);
  $('call-list').replaceChildren(
    ...(calls.length === 0
      ? [el('li', 'empty', 'None yet: Call back on a card rings your phone (Alice and Bob have one under people).')]
      : [...calls].reverse().map((/** @type {any} */ c) => {
          const li = el('li', 'call');
          const head = el('div', 'outbound-head');
          head.append(el('span', 'to', `rings ${c.to}`), el('span', 'time', new Date(c.at).toLocaleTimeString()));
          // Each step on its own line, in the call's order: what is said after the dial is only heard when it ends.
          li.append(head, el('div', 'sms-body', `Says: ${(c.says ?? []).join(' ')}`));
          if (c.dials) li.append(el('div', 'callback-detail', `then dials ${c.dials} showing ${c.callerId ?? c.from}`));
          if ((c.saysAfterDial ?? []).length > 0) li.append(el('div', 'callback-detail call-after', `when that call ends, says: ${c.saysAfterDial.join(' ')}`));
          return li;
        })),
  );
  $('callback-list').replaceChildren(
    ...(callbacks.length === 0
      ? [el('li', 'empty', 'None yet: claim, escalate or resolve a handoff.')]
      : [...callbacks].reverse().map((/** @type {any} */ c) => {
          const li = el('li', 'callback');
          const head = el('div', 'outbound-head');
          head.append(el('span', 'event-type', c.type), el('span', 'time', new Date(c.at).toLocaleTimeString()));
          const sig = c.signatureValid === null ? 'unsigned check' : c.signatureValid ? '✓ signature valid' : '✗ signature invalid';
          const detail = [c.handoffId, c.status, c.actor ? `by ${userName(c.actor)}` : null].filter(Boolean).join(' · ');
          li.append(head, el('div', 'callback-detail', detail), el('div', `sig ${c.signatureValid ? 'ok' : 'bad'}`, `${sig} · answered ${c.answeredStatus ?? '—'}`));
          return li;
        })),
  );
}

// ---------------------------------------------------------------- wiring

function readHash() {
  const m = /^#([A-Z0-9]+)(?:\/(\d+\.\d+))?$/.exec(location.hash);
  if (!m || !m[1]) return;
  state.home = false;
  state.currentChannel = m[1];
  state.unread[m[1]] = 0;
  state.highlightTs = m[2] ?? '';
  renderAll();
}

async function start() {
  const res = await fetch('/sandbox/api/setup');
  state.setup = await res.json();
  document.title = state.setup.title;
  const wfSelect = /** @type {HTMLSelectElement} */ ($('hf-workflow'));
  wfSelect.replaceChildren(
    ...state.setup.workflows.map((/** @type {any} */ w) => {
      const o = /** @type {HTMLOptionElement} */ (el('option', '', w.name));
      o.value = w.id;
      return o;
    }),
  );
  wfSelect.addEventListener('change', renderWorkflowForm);
  // Slack suggests an app's subcommands as you type `/`: a datalist of the bot's own help lines.
  $('command-suggestions').replaceChildren(
    ...(Array.isArray(state.setup.commands) ? state.setup.commands : []).map((/** @type {{ example: string, text: string }} */ c) => {
      const o = /** @type {HTMLOptionElement} */ (el('option'));
      o.value = `/handoff ${c.example.replace(/ \[.*$/, '').replace('ho_…', '')}`.trimEnd();
      o.label = c.text;
      return o;
    }),
  );
  renderWorkflowForm();
  $('handoff-form').addEventListener('submit', (e) => {
    e.preventDefault();
    void sendHandoff(handoffFromForm());
  });
  $('hf-resend').addEventListener('click', () => {
    if (state.lastSent) void sendHandoff(state.lastSent.handoff, state.lastSent.webhookId);
  });
  // Narrow windows: the tools panel slides over the channel instead of squeezing it.
  $('tools-toggle').addEventListener('click', () => {
    const open = $('app').classList.toggle('tools-open');
    $('tools-toggle').setAttribute('aria-expanded', String(open));
  });
  /** @type {HTMLSelectElement} */ ($('user-select')).addEventListener('change', (e) => {
    state.currentUser = /** @type {HTMLSelectElement} */ (e.target).value;
    if (state.home) openHome();
    else renderAll();
  });
  $('composer').addEventListener('submit', (e) => {
    e.preventDefault();
    const input = /** @type {HTMLInputElement} */ ($('composer-input'));
    const line = input.value;
    input.value = '';
    void runComposer(line);
  });
  $('home-link').addEventListener('click', openHome);
  window.addEventListener('hashchange', readHash);
  connectEvents();
  window.setInterval(() => {
    for (const node of document.querySelectorAll('time[data-ago]')) {
      const t = /** @type {HTMLElement} */ (node);
      t.textContent = String(t.dataset.format).replace('{ago}', agoText(Number(t.dataset.ago)));
    }
  }, 30_000);
  readHash();
}

void start();

// ---------------------------------------------------------------- send as a voice platform
{
  const form = document.getElementById('voice-form');
  const result = /** @type {HTMLElement} */ (document.getElementById('vf-result'));
  const platformSelect = /** @type {HTMLSelectElement} */ (document.getElementById('vf-platform'));
  const waitButton = /** @type {HTMLButtonElement} */ (document.getElementById('vf-wait'));
  const endButton = /** @type {HTMLButtonElement} */ (document.getElementById('vf-end'));
  /** @type {{ platform: string, call_id: string } | null} */
  let last = null;
  // End that call needs a call of this platform to end (Twilio sends no post-call event); only Vapi and Retell hold a caller.
  const refresh = () => {
    const platform = platformSelect.value;
    endButton.disabled = !last || last.platform !== platform || platform === 'twilio';
    waitButton.disabled = platform !== 'vapi' && platform !== 'retell';
  };
  /** @param {'handoff' | 'wait_for_person' | 'call_ended'} event */
  const send = async (event) => {
    const platform = platformSelect.value;
    const workflow = /** @type {HTMLSelectElement | null} */ (document.getElementById('hf-workflow'))?.value || 'clinic-after-hours';
    const args = { handoff_reason: /** @type {HTMLSelectElement | null} */ (document.getElementById('hf-reason'))?.value || 'unspecified', patient_name: 'Sam Sample' };
    const body = { platform, workflow_id: workflow, event, args, ...(event === 'call_ended' && last?.platform === platform ? { call_id: last.call_id } : {}) };
    if (event === 'wait_for_person') {
      waitButton.disabled = true;
      result.textContent = `${platform}: the caller is on the line, waiting for a Claim on the card…`;
    }
    const res = await fetch('/sandbox/api/voice', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = await res.json();
    if (event !== 'call_ended' && json.call_id) last = { platform, call_id: json.call_id };
    result.textContent = json.status ? `${platform} got ${json.status}: ${answerLine(platform, event, json.answer)}` : json.message;
    refresh();
  };
  /** What the waiting platform was told, said plainly above the raw answer. @param {string} platform @param {string} event @param {string} text */
  const answerLine = (platform, event, text) => {
    if (event !== 'wait_for_person') return text;
    let answer;
    try {
      answer = JSON.parse(text);
    } catch {
      return text;
    }
    const number = platform === 'vapi' ? answer?.destination?.number : answer?.transfer_number;
    return `${number ? `transfer the caller to ${number}` : 'nobody could take the call: the caller hears the fallback'}\n${text}`;
  };
  form?.addEventListener('submit', (e) => {
    e.preventDefault();
    void send('handoff');
  });
  waitButton.addEventListener('click', () => void send('wait_for_person'));
  endButton.addEventListener('click', () => void send('call_ended'));
  platformSelect.addEventListener('change', refresh);
  refresh();
}
