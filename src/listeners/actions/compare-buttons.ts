import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import { resolveCompareTarget } from '../../advisor/compare-request.js';
import type { Deps } from '../../deps.js';
import { decodeCompareValue } from '../../slack-ids.js';
import { buildNote, type SlackMessage } from '../../views/block-kit.js';
import {
  buildCompareHelpView,
  buildCompareOverviewView,
  buildCompareTargetView,
  type CompareViewOptions,
} from '../../views/compare-view.js';
import { claimOnce } from '../event-key.js';
import { ackThen } from './ack-then.js';
import { showToClicker, tellClicker } from './clicker.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** The comparison a button's value names; undefined when the knowledge no longer has its roles or topic. */
function viewForValue(
  deps: Deps,
  value: string | undefined,
  options: CompareViewOptions = {},
): SlackMessage | undefined {
  const target = resolveCompareTarget(decodeCompareValue(value), deps.knowledge);
  return target ? buildCompareTargetView(deps.knowledge, target, options) : undefined;
}

const GONE_TEXT = 'That topic is no longer in my knowledge. Here is the overview instead.';

/** A topic button, "Overview" or a role picked after an ambiguous title: that comparison, to the clicker only. */
export function handleCompareNavigation(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'compare navigation', args, async () => {
      const view = viewForValue(deps, args.action.value);
      await showToClicker(args, view ?? { ...buildCompareOverviewView(deps.knowledge), text: GONE_TEXT });
    });
}

export function handleCompareHelp(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'compare help', args, async () => {
      await showToClicker(args, buildCompareHelpView(deps.knowledge));
    });
}

/** "Share in channel": posts the same comparison publicly, credited to the person who shared it. */
export function handleCompareShare(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'compare share', args, async () => {
      const view = viewForValue(deps, args.action.value, { sharedBy: args.body.user.id });
      if (!view) {
        await showToClicker(args, { ...buildCompareOverviewView(deps.knowledge), text: GONE_TEXT });
        return;
      }
      // One public post per message, comparison and channel: a second click (or Slack's redelivery) is told so.
      const { body } = args;
      const shareKey = `share:${body.team?.id ?? ''}:${body.channel?.id ?? ''}:${body.container?.message_ts ?? ''}:${args.action.value ?? ''}`;
      if (!(await claimOnce(deps, shareKey))) {
        await tellClicker(args, buildNote('Already shared in this channel.'));
        return;
      }
      await args
        .respond({ response_type: 'in_channel', replace_original: false, ...view })
        .catch(async (error: unknown) => {
          await deps.handledEvents.release(shareKey);
          throw error;
        });
    });
}
