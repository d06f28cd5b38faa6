import { CARD_EDIT_PACE_KEY } from '../store/records.js';

/** Card edits share one pace key: chat.update is limited for the whole workspace, not per channel (the store gives it to every card edit). */
export const SLACK_UPDATE_PACE_KEY = CARD_EDIT_PACE_KEY;
