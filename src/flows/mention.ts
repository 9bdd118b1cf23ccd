import type { AllMiddlewareArgs } from '@slack/bolt';
import { detectChannelCommand } from '../advisor/dm-intents.js';
import { answerQuestion } from '../advisor/qa.js';
import type { Deps } from '../deps.js';
import { buildCapabilitiesView, buildCouldNotPostThereNote } from '../views/answer-view.js';
import type { SlackMessage } from '../views/block-kit.js';
import { buildForgetConfirmView } from '../views/questionnaire-view.js';
import { type Asker, asQuestion, postInDmInstead, replyToOutcome } from './qa-reply.js';
import { answerInThread, rememberAnsweredThread, type ThreadAnswer } from './thread-follow-up.js';

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
 * A mention's question, read as a follow-up in a thread the app answered before ("@advisor and for a general PM?"),
 * else as it is.
 */
async function answerMentionText(deps: Deps, asker: Asker, mention: Mention): Promise<ThreadAnswer> {
  const earlier = mention.threadTs
    ? await deps.qaLog
        .answeredThread({ teamId: asker.teamId, channelId: asker.channelId, threadTs: mention.threadTs })
        .catch(() => undefined)
    : undefined;
  const inThread =
    earlier && (await answerInThread(deps, asker, mention.text, earlier.question, { addressed: true }));
  if (inThread && inThread !== 'duplicate') return inThread;
  const question = asQuestion(mention.text);
  const outcome = answerQuestion(await deps.knowledgeIndex, deps.knowledge, question);
  const message = await replyToOutcome(deps, asker, question, outcome);
  // Only a question the advisor took up is the thread's context (and stored as such): not an empty mention or one
  // outside what it covers, which are recorded nowhere else either.
  const takenUp = outcome.kind === 'answer' || outcome.kind === 'partial' || outcome.kind === 'unknown';
  return takenUp ? { message, question } : { message };
}

/**
 * A question is answered in the mention's thread, for everyone there (or, when posting there fails, in the
 * asker's DM; the failure is returned for the caller to log). "help" / "what can you do?" and
 * "forget me" are commands: answered only to the person who asked (ephemeral), and not recorded as questions.
 */
export async function answerMention(
  deps: Deps,
  client: Client,
  mention: Mention,
): Promise<{ delivered: 'thread' | 'private' } | { delivered: 'dm'; error: unknown }> {
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
    return { delivered: 'private' };
  }
  const threadTs = mention.threadTs ?? mention.ts;
  const { message: reply, question } = await answerMentionText(deps, asker, mention);
  try {
    await client.chat.postMessage({ channel: asker.channelId, thread_ts: threadTs, ...reply });
    // Replies in the thread are follow-ups now (listeners/messages/channel-message.ts).
    if (question) await rememberAnsweredThread(deps, asker, threadTs, question);
    return { delivered: 'thread' };
  } catch (error) {
    // The asker still gets the answer, in their DM with the bot, saying why; if that fails too, the first
    // failure is what the caller logs.
    await postInDmInstead(client, asker, buildCouldNotPostThereNote(asker.channelId), reply, error);
    return { delivered: 'dm', error };
  }
}
