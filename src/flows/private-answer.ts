import type { AllMiddlewareArgs } from '@slack/bolt';
import { readCommandQuestion } from '../advisor/command-question.js';
import { answerQuestion } from '../advisor/qa.js';
import type { Deps } from '../deps.js';
import { joinValue, QA_SHARE_CHANNEL_ACTION, QA_SHARE_THREAD_ACTION } from '../slack-ids.js';
import { buildNote, type SlackMessage } from '../views/block-kit.js';
import {
  buildMovedToDmNote,
  buildPrivateAnswerView,
  buildSharedAnswerView,
  SHARED_QUESTION_LIMIT,
} from '../views/private-answer-view.js';
import { slackErrorCode } from './failure.js';
import { type Asker, asQuestion, postInDmInstead, replyToOutcome } from './qa-reply.js';
import { rememberAnsweredThread } from './thread-follow-up.js';

type Client = AllMiddlewareArgs['client'];

/**
 * `/pm-compare <text>` that names no dimension or role: answered as a question, privately, with "Share in
 * channel" when the knowledge answers it; a question it cannot answer gets the honest "I can't answer that"
 * (recorded for the curators). Undefined when the text is no question at all: the command's own "I didn't
 * understand" is the better reply.
 */
export async function answerCommandQuestion(
  deps: Deps,
  asker: Asker,
  text: string,
): Promise<SlackMessage | undefined> {
  const read = readCommandQuestion(await deps.knowledgeIndex, deps.knowledge, asQuestion(text));
  if (read.kind === 'not-a-question') return undefined;
  const reply = await replyToOutcome(deps, asker, read.question, read.outcome);
  if (read.kind === 'unanswered') return buildPrivateAnswerView(reply);
  return buildPrivateAnswerView(reply, {
    ...(read.asItWas ? {} : { readAs: read.question }),
    share: {
      label: 'Share in channel',
      actionId: QA_SHARE_CHANNEL_ACTION,
      value: read.question.slice(0, SHARED_QUESTION_LIMIT),
    },
  });
}

/** A message someone asked the advisor about (the "Ask the advisor" shortcut), its text already plain. */
export interface AskedMessage {
  asker: Asker;
  /** The thread the message is in, or the message's own ts: where a shared answer goes. */
  threadTs: string;
  /** Whether the message itself is a reply in a thread (the private answer then goes in that thread too). */
  inThread: boolean;
  text: string;
}

/**
 * Answers a message's text to the person who used the shortcut only (chat.postEphemeral in that channel, in the
 * thread when the message is in one), with "Share in thread"; when the app cannot post there (not in the channel,
 * a DM it is not part of), in the person's DM with the app instead, without the share button. Returns where it went.
 */
export async function answerAskedMessage(
  deps: Deps,
  client: Client,
  asked: AskedMessage,
): Promise<{ delivered: 'ephemeral' } | { delivered: 'dm'; error: unknown }> {
  const { asker } = asked;
  const question = asQuestion(asked.text);
  if (!question) {
    await postPrivately(
      client,
      asked,
      buildNote("That message has no text I can read, so there's nothing to answer."),
    );
    return { delivered: 'ephemeral' };
  }
  const outcome = answerQuestion(await deps.knowledgeIndex, deps.knowledge, question);
  const reply = await replyToOutcome(deps, asker, question, outcome);
  const shareable = outcome.kind === 'answer' || outcome.kind === 'partial';
  const view = buildPrivateAnswerView(
    reply,
    shareable
      ? {
          share: {
            label: 'Share in thread',
            actionId: QA_SHARE_THREAD_ACTION,
            value: joinValue(asked.threadTs, question.slice(0, SHARED_QUESTION_LIMIT)),
          },
        }
      : {},
  );
  try {
    await postPrivately(client, asked, view);
    return { delivered: 'ephemeral' };
  } catch (error) {
    await postInDmInstead(client, asker, buildMovedToDmNote(asker.channelId), reply, error);
    return { delivered: 'dm', error };
  }
}

function postPrivately(client: Client, asked: AskedMessage, message: SlackMessage) {
  return client.chat.postEphemeral({
    channel: asked.asker.channelId,
    user: asked.asker.userId,
    ...(asked.inThread ? { thread_ts: asked.threadTs } : {}),
    ...message,
  });
}

/**
 * A private answer shared for everyone: the question answered again (the same knowledge, the same answer).
 * `aboutMessage`: the question is someone else's message (the shortcut), so the credit quotes nothing.
 */
export async function buildSharedAnswer(
  deps: Deps,
  sharer: Asker,
  question: string,
  aboutMessage = false,
): Promise<SlackMessage> {
  const outcome = answerQuestion(await deps.knowledgeIndex, deps.knowledge, asQuestion(question));
  const reply = await replyToOutcome(deps, sharer, asQuestion(question), outcome);
  return buildSharedAnswerView(reply, sharer.userId, aboutMessage ? { aboutMessage: true } : { question });
}

/** Where a privately given answer is shared: the thread of the message it answered. */
export interface ThreadShare {
  sharer: Asker;
  threadTs: string;
  question: string;
}

/**
 * "Share in thread": the answer posted in the message's thread for everyone. False when the app may not post there
 * (not in the channel, or the channel archived): the caller tells the person.
 */
export async function shareInThread(deps: Deps, client: Client, share: ThreadShare): Promise<boolean> {
  const view = await buildSharedAnswer(deps, share.sharer, share.question, true);
  try {
    await client.chat.postMessage({ channel: share.sharer.channelId, thread_ts: share.threadTs, ...view });
  } catch (error) {
    if (CANNOT_POST_THERE.has(slackErrorCode(error) ?? '')) return false;
    throw error;
  }
  // Replies in the thread are follow-ups now, as after an answer to a mention.
  await rememberAnsweredThread(deps, share.sharer, share.threadTs, asQuestion(share.question));
  return true;
}

/** Slack errors that mean the app may not post in a conversation. */
const CANNOT_POST_THERE = new Set([
  'not_in_channel',
  'channel_not_found',
  'is_archived',
  'restricted_action',
]);
