/**
 * What the tray shows, as plain data: icon state, badge count, tooltip and menu.
 * main/ turns it into an Electron Menu; nothing here knows Electron.
 */
import type { HandoffView } from '../../shared/schemas/handoff-view.js';
import type { ConnectionState } from '../shared/ipc.js';
import { SEVERITY_RANK } from './queue-order.js';
import { reasonText } from './view-text.js';
import { isSlackPermalink } from './url-policy.js';

export enum TrayIconState {
  Idle = 'idle',
  Urgent = 'urgent',
  Offline = 'offline',
  Error = 'error',
}

export type HandoffMenuAction = 'claim' | 'resolve' | 'open-slack';
export type TrayCommand = 'open-window' | 'pause-notifications' | 'resume-notifications' | 'quit';

export type TrayMenuItem =
  | { kind: 'status'; label: string }
  | { kind: 'separator' }
  | {
      kind: 'handoff';
      id: string;
      label: string;
      actions: { action: HandoffMenuAction; label: string; enabled: boolean }[];
    }
  | { kind: 'command'; command: TrayCommand; label: string };

export interface TrayModel {
  icon: TrayIconState;
  badgeCount: number;
  tooltip: string;
  menu: TrayMenuItem[];
}

export interface TrayInput {
  handoffs: readonly HandoffView[];
  connection: ConnectionState;
  paused: boolean;
  now: number;
  maxMenuHandoffs?: number;
}


export function needsOwner(h: HandoffView): boolean {
  return h.status === 'open' && (h.severity === 'urgent' || h.escalation_level > 0);
}

export function formatAge(receivedAt: string, now: number): string {
  const ms = Math.max(0, now - Date.parse(receivedAt));
  const min = Math.floor(ms / 60_000);
  if (Number.isNaN(min)) return '';
  if (min < 1) return 'just now';
  if (min < 60) return `${min} min`;
  const h = Math.floor(min / 60);
  if (h < 24) return `${h} h`;
  return `${Math.floor(h / 24)} d`;
}

function iconFor(connection: ConnectionState, urgentCount: number): TrayIconState {
  // A broken link is shown before urgent work: with no connection the list may be stale.
  if (connection === 'unauthorized' || connection === 'unpaired') return TrayIconState.Error;
  if (connection === 'offline') return TrayIconState.Offline;
  return urgentCount > 0 ? TrayIconState.Urgent : TrayIconState.Idle;
}

const STATUS_LABEL: Record<ConnectionState, string> = {
  unpaired: 'Not paired: open the window to pair',
  connecting: 'Connecting…',
  online: 'Online',
  offline: 'Offline: reconnecting',
  unauthorized: 'Pairing expired: pair again',
};

export function buildTrayModel(input: TrayInput): TrayModel {
  const max = input.maxMenuHandoffs ?? 10;
  const unclaimed = input.handoffs
    .filter((h) => h.status === 'open')
    .sort(
      (a, b) =>
        SEVERITY_RANK[a.severity] - SEVERITY_RANK[b.severity] ||
        b.escalation_level - a.escalation_level ||
        Date.parse(a.received_at) - Date.parse(b.received_at),
    );
  const badgeCount = unclaimed.filter(needsOwner).length;
  const icon = iconFor(input.connection, badgeCount);

  const menu: TrayMenuItem[] = [{ kind: 'status', label: STATUS_LABEL[input.connection] }, { kind: 'separator' }];
  if (unclaimed.length === 0) menu.push({ kind: 'status', label: 'No unclaimed handoffs' });
  for (const h of unclaimed.slice(0, max)) {
    const esc = (h.escalation_level > 0 ? ` ↑${h.escalation_level}` : '') + (h.caller_hung_up ? ' · caller hung up: call back' : '');
    menu.push({
      kind: 'handoff',
      id: h.id,
      label: `${h.severity.toUpperCase()}${esc} · ${h.workflow_name} · ${reasonText(h)} · ${formatAge(h.received_at, input.now)}`,
      actions: [
        { action: 'claim', label: 'Claim', enabled: true },
        { action: 'resolve', label: 'Resolve', enabled: true },
        // Without a link yet the controller asks the server for it (the card may have been posted since).
        { action: 'open-slack', label: 'Open in Slack', enabled: h.slack_permalink === null || isSlackPermalink(h.slack_permalink) },
      ],
    });
  }
  if (unclaimed.length > max) menu.push({ kind: 'status', label: `+${unclaimed.length - max} more in the window` });
  menu.push(
    { kind: 'separator' },
    { kind: 'command', command: 'open-window', label: 'Open window' },
    input.paused
      ? { kind: 'command', command: 'resume-notifications', label: 'Resume notifications' }
      : { kind: 'command', command: 'pause-notifications', label: 'Pause notifications for 1 hour' },
    { kind: 'command', command: 'quit', label: 'Quit Handoff' },
  );

  const tooltip =
    badgeCount > 0 ? `Handoff: ${badgeCount} need${badgeCount === 1 ? 's' : ''} an owner` : `Handoff: ${STATUS_LABEL[input.connection]}`;
  return { icon, badgeCount, tooltip, menu };
}
