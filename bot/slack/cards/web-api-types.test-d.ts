// Type tests (vitest typecheck mode, run by `npm test`): every builder's output is what
// `@slack/types` says the Web API takes, so the calls in delivery, steps and home pass it uncast.
import type * as slack from '@slack/types';
import { describe, expectTypeOf, it } from 'vitest';
import { buildClaimantNotice } from './claimant-notice.js';
import { buildDetailsModal } from './details-modal.js';
import { buildDigest } from './digest.js';
import { buildEscalationCard } from './escalation-card.js';
import { buildHandoffCard } from './handoff-card.js';
import { buildHomeView } from './home-view.js';
import { buildNoteModal, buildNoteReply } from './note-modal.js';
import { buildStatsReport } from './stats-report.js';
import { buildHelp, buildHandoffTimeline, buildMineReport, buildStatusReport } from './status-report.js';

type WebApiBlocks = (slack.KnownBlock | slack.Block)[];

describe('card builders against @slack/types', () => {
  it('messages carry blocks chat.postMessage, chat.update and respond() take', () => {
    expectTypeOf<ReturnType<typeof buildHandoffCard>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildEscalationCard>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildClaimantNotice>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildNoteReply>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildDigest>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildStatsReport>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildStatusReport>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildMineReport>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildHandoffTimeline>['blocks']>().toExtend<WebApiBlocks>();
    expectTypeOf<ReturnType<typeof buildHelp>['blocks']>().toExtend<WebApiBlocks>();
  });

  it('modals are views.open views and the Home tab a views.publish view', () => {
    expectTypeOf(buildNoteModal).returns.toExtend<slack.ModalView>();
    expectTypeOf(buildDetailsModal).returns.toExtend<slack.ModalView>();
    expectTypeOf(buildHomeView).returns.toExtend<slack.HomeView>();
  });

  it('would catch a block Slack does not know', () => {
    expectTypeOf<{ type: 'section'; text: { type: 'html'; text: string } }>().not.toExtend<slack.KnownBlock>();
    expectTypeOf<{ type: 'modal'; blocks: [] }>().not.toExtend<slack.ModalView>();
  });
});
