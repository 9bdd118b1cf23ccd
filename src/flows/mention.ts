import type { AllMiddlewareArgs } from '@slack/bolt';
import { detectChannelCommand } from '../advisor/dm-intents.js';
import type { Deps } from '../deps.js';
import { buildCapabilitiesView } from '../views/answer-view.js';
import type { SlackMessage } from '../views/block-kit.js';
import { buildForgetConfirmView } from '../views/questionnaire-view.js';
import { type Asker, replyToQuestion } from './qa-reply.js';

type Client = AllMiddlewareArgs['client'];

/** An @mention of the bot in a channel, its text already plain (see slack-text.ts). */
export interface Mention {
  asker: Asker;
  ts: string;
  /** The thread it was posted in, if any. */
  threadTs?: string;
  text: string;
}

/**
 * A question is answered in the mention's thread, for everyone there. "help" / "what can you do?" and
 * "forget me" are commands: answered only to the person who asked (ephemeral), and not recorded as questions.
 */
export async function answerMention(deps: Deps, client: Client, mention: Mention): Promise<void> {
  const { asker } = mention;
  const command = detectChannelCommand(mention.text);
  if (command) {
    const message: SlackMessage =
      command === 'forget' ? buildForgetConfirmView() : buildCapabilitiesView(deps.knowledge);
    await client.chat.postEphemeral({
      channel: asker.channelId,
      user: asker.userId,
      ...(mention.threadTs ? { thread_ts: mention.threadTs } : {}),
      ...message,
    });
    return;
  }
  await client.chat.postMessage({
    channel: asker.channelId,
    thread_ts: mention.threadTs ?? mention.ts,
    ...(await replyToQuestion(deps, asker, mention.text)),
  });
}
