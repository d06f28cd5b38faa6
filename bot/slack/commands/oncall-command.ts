import { routingAt, routingChangeAfter } from '../../domain/routing.js';
import { formatLocal } from '../../domain/zoned-time.js';
import { maskCallerId } from '../../observability/mask.js';
import { visibleWorkflows } from '../../stats/collect-stats.js';
import { buildOncallReport, type OncallRoute } from '../cards/oncall-report.js';
import type { CommandStep } from '../interactions/route-types.js';

/**
 * `/handoff oncall`: for each workflow the asker may act on (restricted ones stay hidden, as in
 * `/handoff status`), the routing in force at the command's instant: business hours or after hours and
 * until when, the card channel, the escalation channel, mention and waits, the SMS numbers masked.
 */
export const oncallCommand: CommandStep = (deps, input) => {
  const routes = visibleWorkflows(deps.config, input.userId).map((configured): OncallRoute => {
    const route = routingAt(configured, input.now);
    const until = routingChangeAfter(configured, input.now);
    const wf = route.workflow;
    const zone = configured.hours?.time_zone ?? null;
    return {
      workflowName: wf.name,
      block: route.block,
      until,
      timeZone: zone,
      untilLocal: zone && until !== null ? formatLocal(zone, until) : null,
      ownerChannel: wf.owner_channel,
      levels: wf.ladder.map((l) => ({ channel: l.channel, mention: l.mention, waitMs: l.waitMs, smsTo: l.smsTo.map(maskCallerId) })),
      smsTo: wf.sms_to.map(maskCallerId),
      chatData: configured.chat_data,
    };
  });
  return buildOncallReport(routes, deps.callBack === true);
};
