import { RespondError, type App, type BlockAction } from '@slack/bolt';
import { splitCommand } from '../commands/parse-command.js';
import { unknownCommand } from './route-table.js';
import type { SlackRouteDeps, SlackRouteTable } from './route-types.js';

function elementValue(action: Record<string, unknown>): string {
  if (typeof action.value === 'string') return action.value;
  const selected = action.selected_option as { value?: unknown } | undefined;
  return typeof selected?.value === 'string' ? selected.value : '';
}

/**
 * Wires the route table into Bolt. Each handler acks first (Slack's 3 s), then runs its step;
 * a subcommand is answered in the ack itself, with no second round trip.
 */
export function registerSlackRoutes(app: App, table: SlackRouteTable, deps: SlackRouteDeps): void {
  for (const [actionId, step] of Object.entries(table.actions)) {
    app.action<BlockAction>(actionId, async ({ ack, body, action, client, respond }) => {
      await ack();
      await step(deps, {
        actionId,
        value: elementValue(action as unknown as Record<string, unknown>),
        userId: body.user.id,
        triggerId: body.trigger_id,
        element: action as unknown as Record<string, unknown>,
        client,
        reply: async (text) => {
          try {
            await respond({ response_type: 'ephemeral', replace_original: false, text });
          } catch (err) {
            // Bolt 5's respond() throws RespondError when Slack refuses the response_url (used five times, or
            // past its 30 minutes). The action is done by then; only its ephemeral answer is lost, so that is a
            // warning with the status, not an unhandled error.
            if (!(err instanceof RespondError)) throw err;
            deps.logger.warn({ action: actionId, err_code: err.code, http_status: err.statusCode }, 'slack reply not delivered');
          }
        },
      });
    });
  }

  for (const [callbackId, step] of Object.entries(table.views)) {
    app.view(callbackId, async ({ ack, body, view }) => {
      const answer = await step(deps, {
        callbackId,
        userId: body.user.id,
        privateMetadata: view.private_metadata,
        values: view.state.values,
      });
      await ack(answer);
    });
  }

  app.command('/handoff', async ({ ack, command }) => {
    const now = deps.clock();
    const { subcommand, args } = splitCommand(command.text ?? '');
    const route = table.commands[subcommand];
    const step = route?.step ?? unknownCommand;
    const message = await step(deps, { subcommand, args, userId: command.user_id, now });
    await ack({ response_type: 'ephemeral', text: message.text, blocks: message.blocks });
    deps.logger.info({ command: route ? subcommand : 'unknown', ms: deps.clock() - now }, 'slash command');
  });
}
