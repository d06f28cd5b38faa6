import type { EmulatorState } from '../state.js';
import type { EmulatorUser } from '../types.js';
import type { MethodHandler } from './context.js';
import { ArgError, str } from './params.js';

function userObject(state: EmulatorState, u: EmulatorUser): Record<string, unknown> {
  return {
    id: u.id,
    team_id: state.team.id,
    name: u.name,
    real_name: u.real_name,
    deleted: false,
    is_bot: false,
    // No display name set (Slack's default for a new account): Slack, and so the bot's users.info
    // names, then fall to the full name, which is how the page draws a mention. One name per person.
    profile: { real_name: u.real_name, display_name: '' },
  };
}

export const usersInfo: MethodHandler = (params, { state }) => {
  const id = str(params, 'user');
  const user = id === undefined ? undefined : state.user(id);
  if (!user) throw new ArgError('user_not_found');
  return { ok: true, user: userObject(state, user) };
};

export const usersList: MethodHandler = (_params, { state }) => ({
  ok: true,
  members: state.listUsers().map((u) => userObject(state, u)),
  response_metadata: { next_cursor: '' },
});
