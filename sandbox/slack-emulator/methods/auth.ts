import type { MethodHandler } from './context.js';

export const authTest: MethodHandler = (_params, { state }) => ({
  ok: true,
  url: `https://${state.team.domain}.slack.com/`,
  team: state.team.name,
  user: state.bot.name,
  team_id: state.team.id,
  user_id: state.bot.userId,
  bot_id: state.bot.botId,
  is_enterprise_install: false,
});
