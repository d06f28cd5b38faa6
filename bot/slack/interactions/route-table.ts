import { HANDOFF_ACTION_IDS } from '../cards/actions.js';
import { NOTE_MODAL } from '../cards/note-modal.js';
import { OUTCOME_ACTION_ID } from '../cards/outcome-picker.js';
import { buildHelp } from '../cards/status-report.js';
import { desktopCommand, mineCommand, simpleReply, statsCommand, statusCommand } from '../commands/command-steps.js';
import { oncallCommand } from '../commands/oncall-command.js';
import type { CommandRoute, CommandStep, CommandUsage, SlackRouteTable } from './route-types.js';
import { callBack } from './steps/call-back-step.js';
import { openDetails } from './steps/details-step.js';
import { openNoteModal, submitNote } from './steps/note-steps.js';
import { pickOutcome } from './steps/outcome-step.js';
import { performStep } from './steps/perform-step.js';

/**
 * Every Slack interaction the bot answers, in one place (as Grafana OnCall routes its "steps"):
 * a card's block actions by `action_id`, modal submissions by `callback_id`, and `/handoff`
 * subcommands by their first word. `register-routes.ts` wires this into Bolt; nothing else
 * registers a Slack handler.
 */
const COMMANDS: Readonly<Record<string, CommandRoute>> = {
  status: {
    step: statusCommand,
    usage: [
      { example: 'status', text: 'open, claimed and escalated handoffs by severity, and the oldest unclaimed' },
      { example: 'status ho_…', text: 'one handoff and its timeline' },
    ],
  },
  mine: { step: mineCommand, usage: [{ example: 'mine', text: 'the handoffs you have claimed' }] },
  stats: {
    step: statsCommand,
    usage: [{ example: 'stats [7d|30d] [workflow]', text: 'per workflow and reason, how many, how fast claimed and resolved, how many were not needed' }],
  },
  oncall: {
    step: oncallCommand,
    usage: [{ example: 'oncall', text: 'where a handoff of each workflow would go now: business or after hours and until when, channels, who is paged' }],
  },
  desktop: {
    step: desktopCommand,
    usage: [
      { example: 'desktop', text: 'a one-time code to pair the desktop app (valid 10 minutes)' },
      { example: 'desktop revoke', text: 'sign out every paired desktop' },
    ],
  },
  help: { step: () => helpMessage(), usage: [{ example: 'help', text: 'this list' }] },
};

/** The lines of `/handoff help` (and the sandbox's autocomplete), from the table: help never lists a subcommand that does not exist. */
export function commandUsage(): CommandUsage[] {
  return Object.values(COMMANDS).flatMap((c) => c.usage);
}

function helpMessage() {
  return buildHelp(commandUsage());
}

/** An unknown subcommand: say which word was not understood, then the list. */
export const unknownCommand: CommandStep = (_deps, input) => {
  const help = helpMessage();
  const word = input.subcommand.slice(0, 30).replace(/[`<>&]/g, '');
  const intro = simpleReply(`\`/handoff ${word}\` is not a handoff command. These are:`);
  return { text: `/handoff ${word} is not a handoff command`, blocks: [...intro.blocks, ...help.blocks.slice(1)] };
};

export const SLACK_ROUTES: SlackRouteTable = {
  actions: {
    [HANDOFF_ACTION_IDS.claim]: performStep('claim'),
    [HANDOFF_ACTION_IDS.release]: performStep('release'),
    [HANDOFF_ACTION_IDS.escalate]: performStep('escalate'),
    [HANDOFF_ACTION_IDS.resolve]: performStep('resolve'),
    [HANDOFF_ACTION_IDS.reopen]: performStep('reopen'),
    [HANDOFF_ACTION_IDS.note]: openNoteModal,
    [HANDOFF_ACTION_IDS.details]: openDetails,
    [OUTCOME_ACTION_ID]: pickOutcome,
    [HANDOFF_ACTION_IDS.callBack]: callBack,
  },
  views: {
    [NOTE_MODAL.callbackId]: submitNote,
  },
  commands: COMMANDS,
};
