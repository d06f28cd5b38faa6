import type { Migration } from './migration.js';
import { handoffsMigration } from './0010-handoffs.js';
import { idempotencyMigration } from './0020-idempotency.js';
import { outboxMigration } from './0030-outbox.js';
import { desktopMigration } from './0040-desktop.js';
import { slackMessagesMigration } from './0050-slack-messages.js';
import { providerCallsMigration } from './0070-provider-calls.js';
import { connectMigration } from './0080-connect.js';
import { stormsMigration } from './0090-storms.js';
import { releaseReopenMigration } from './0100-release-reopen.js';
import { outcomesMigration } from './0110-outcomes.js';
import { statsIndexMigration } from './0111-stats-index.js';
import { weeklyDigestsMigration } from './0112-weekly-digests.js';
import { ladderMigration } from './0120-ladder.js';
import { noteMessagesMigration } from './0140-note-messages.js';
import { sourcePlatformMigration } from './0160-source-platform.js';
import { oneCardEditMigration } from './0170-one-card-edit.js';
import { detailsLinksMigration } from './0180-details-links.js';

/** In order; a new migration gets the next number and a file of its own. */
export const MIGRATIONS: readonly Migration[] = [
  handoffsMigration,
  idempotencyMigration,
  outboxMigration,
  desktopMigration,
  slackMessagesMigration,
  providerCallsMigration,
  connectMigration,
  stormsMigration,
  releaseReopenMigration,
  outcomesMigration,
  statsIndexMigration,
  weeklyDigestsMigration,
  ladderMigration,
  noteMessagesMigration,
  sourcePlatformMigration,
  oneCardEditMigration,
  detailsLinksMigration,
];
