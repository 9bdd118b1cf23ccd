import type { AllMiddlewareArgs, MessageShortcut, SlackShortcutMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { logFailure } from '../../flows/failure.js';
import { answerAskedMessage } from '../../flows/private-answer.js';
import { slackToPlainText } from '../../slack-text.js';

type ShortcutArgs = AllMiddlewareArgs & SlackShortcutMiddlewareArgs<MessageShortcut>;

/** "Ask the advisor" on a message: its text answered to the person who used it, privately, where it was. */
export function handleAskAdvisor(deps: Deps) {
  return async ({ shortcut, ack, client, context }: ShortcutArgs): Promise<void> => {
    await ack();
    const threadTs = typeof shortcut.message.thread_ts === 'string' ? shortcut.message.thread_ts : undefined;
    const asker = {
      teamId: context.teamId ?? shortcut.team?.id ?? shortcut.user.team_id ?? '',
      channelId: shortcut.channel.id,
      userId: shortcut.user.id,
    };
    const where = {
      team: asker.teamId,
      channel: asker.channelId,
      user: asker.userId,
      event: shortcut.callback_id,
    };
    try {
      const outcome = await answerAskedMessage(deps, client, {
        asker,
        threadTs: threadTs ?? shortcut.message.ts,
        inThread: threadTs !== undefined,
        text: slackToPlainText(shortcut.message.text ?? ''),
      });
      if (outcome.delivered === 'dm')
        logFailure(
          deps.logger,
          'answering a message privately in its channel (sent by DM instead)',
          where,
          outcome.error,
        );
    } catch (error) {
      logFailure(deps.logger, 'answering a message (the shortcut)', where, error);
    }
  };
}
