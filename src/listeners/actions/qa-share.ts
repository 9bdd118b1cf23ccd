import { createHash } from 'node:crypto';
import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { buildSharedAnswer, shareInThread } from '../../flows/private-answer.js';
import { splitValue } from '../../slack-ids.js';
import { buildNote } from '../../views/block-kit.js';
import { claimOnce } from '../event-key.js';
import { ackThen } from './ack-then.js';
import { clickerOf, tellClicker } from './clicker.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

/** One public post per private answer, place and question: a second click (or Slack's redelivery) is told so. */
function shareKey(args: ButtonArgs, where: string, question: string): string {
  const { body } = args;
  const digest = createHash('sha256').update(question).digest('base64url').slice(0, 22);
  return `qa-share:${body.team?.id ?? ''}:${where}:${body.container?.message_ts ?? ''}:${digest}`;
}

function sharerOf(args: ButtonArgs) {
  const person = clickerOf(args.body);
  return { ...person, channelId: args.body.channel?.id ?? args.body.container?.channel_id ?? '' };
}

/** "Share in channel" under a private answer to `/pm-compare <question>`: the answer for everyone, credited. */
export function handleShareInChannel(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'sharing an answer in the channel', args, async () => {
      const question = args.action.value ?? '';
      const sharer = sharerOf(args);
      const key = shareKey(args, sharer.channelId, question);
      if (!(await claimOnce(deps, key))) {
        await tellClicker(args, buildNote('Already shared in this channel.'));
        return;
      }
      const view = await buildSharedAnswer(deps, sharer, question);
      await args
        .respond({ response_type: 'in_channel', replace_original: false, ...view })
        .catch(async (error: unknown) => {
          await deps.handledEvents.release(key);
          throw error;
        });
    });
}

/** "Share in thread" under a private answer to a message (the shortcut): the answer in that message's thread. */
export function handleShareInThread(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'sharing an answer in a thread', args, async () => {
      const [threadTs = '', ...rest] = splitValue(args.action.value);
      const question = rest.join('|');
      const sharer = sharerOf(args);
      const key = shareKey(args, `${sharer.channelId}:${threadTs}`, question);
      if (!(await claimOnce(deps, key))) {
        await tellClicker(args, buildNote('Already shared in this thread.'));
        return;
      }
      const posted = await shareInThread(deps, args.client, { sharer, threadTs, question }).catch(
        async (error: unknown) => {
          await deps.handledEvents.release(key);
          throw error;
        },
      );
      if (!posted) {
        await deps.handledEvents.release(key);
        await tellClicker(
          args,
          buildNote(
            "I can't post in this channel. Invite me first (type `/invite @advisor` there), then share again.",
          ),
        );
      }
    });
}
