/** Pure Slack message builders: handoff state in, Block Kit JSON out. No I/O. */
export * from './blocks.js';
export * from './card-input.js';
export * from './limits.js';
export { formatAge } from './format.js';
export { HANDOFF_ACTION_IDS, actionIdsFor, type HandoffActionId } from './actions.js';
export { buildHandoffCard, handoffCardMetadata, HANDOFF_CARD_BLOCK_IDS, FIELD_LIMITS } from './handoff-card.js';
export { buildEscalationCard, ESCALATION_CARD_BLOCK_IDS, type EscalationCardInput } from './escalation-card.js';
export {
  buildStatusReport,
  buildMineReport,
  buildHandoffTimeline,
  buildHelp,
  LIST_LIMIT,
  TIMELINE_LIMIT,
  type StatusCounts,
  type StatusSummary,
  type HandoffListItem,
  type TimelineEvent,
  type TimelineHandoff,
} from './status-report.js';
export { buildNoteModal, buildNoteReply, NOTE_MODAL } from './note-modal.js';
export {
  buildDetailsModal,
  toDetailsModalInput,
  DETAILS_MODAL,
  type DetailsHandoff,
  type DetailsModalInput,
  type DetailsWorkflow,
} from './details-modal.js';
