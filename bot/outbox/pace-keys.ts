/** Card edits share one pace key: chat.update is limited for the whole workspace, not per channel. */
export const SLACK_UPDATE_PACE_KEY = 'slack.update';
