/**
 * Slack Block Kit limits the builders respect (https://api.slack.com/reference/block-kit).
 * Constants only: the sandbox's Web API emulator is what enforces them.
 */
export const SLACK_LIMITS = {
  blocksPerMessage: 50,
  blocksPerModal: 100,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  blockId: 255,
  actionId: 255,
  modalTitle: 24,
  modalButton: 24,
  privateMetadata: 3000,
  callbackId: 255,
  inputLabel: 2000,
  plainTextInputMax: 3000,
  /** Slack truncates longer top-level `text`; we stay far below. */
  messageText: 4000,
} as const;
