import type { AllMiddlewareArgs } from '@slack/bolt';
import { readsAsQuestion } from '../advisor/command-question.js';
import { readFollowUp } from '../advisor/follow-up.js';
import { answerQuestion } from '../advisor/qa.js';
import type { Deps } from '../deps.js';
import { buildCouldNotPostThereNote } from '../views/answer-view.js';
import type { SlackMessage } from '../views/block-kit.js';
import { buildFollowUpView, buildUnclearFollowUpView } from '../views/follow-up-view.js';
import { type Asker, asQuestion, postInDmInstead, replyToOutcome } from './qa-reply.js';

type Client = AllMiddlewareArgs['client'];

/** A reply in a channel thread, its text already plain. */
export interface ThreadReply {
  asker: Asker;
  threadTs: string;
  text: string;
}

/** What answering a text in a thread comes to: the reply, and the question it answered (remembered for the next). */
export interface ThreadAnswer {
  message: SlackMessage;
  /** The question answered, as read; undefined when none was (the reply says it cannot tell which). */
  question?: string;
}

/**
 * A text asked in a thread, read with the question answered there before when there was one: answered as
 * itself, as the question it stands for ("and for a general PM?"), or honestly not ("I can't answer that").
 * Undefined when it is no question for the advisor (chatter in the thread, or nothing it covers and not asked as a
 * question): left alone. Not `addressed` to the app (a reply without a mention, among colleagues), it is answered
 * only when the knowledge has an answer: "when is lunch?" or "is it raining?" get no public "I can't answer that",
 * and nothing of them is recorded.
 */
export async function answerInThread(
  deps: Deps,
  asker: Asker,
  text: string,
  earlier: string | undefined,
  options: { addressed: boolean; claim?: () => Promise<boolean> },
): Promise<ThreadAnswer | 'duplicate' | undefined> {
  const claim = options.claim ?? (async () => true);
  const index = await deps.knowledgeIndex;
  const own = asQuestion(text);
  const reading =
    earlier === undefined
      ? { kind: 'own' as const, question: own }
      : readFollowUp(index, deps.knowledge, earlier, own);
  if (reading.kind === 'not-a-question') return undefined;
  if (reading.kind === 'unclear') {
    if (!options.addressed) return undefined;
    return (await claim()) ? { message: buildUnclearFollowUpView() } : 'duplicate';
  }
  const outcome = answerQuestion(index, deps.knowledge, reading.question);
  const answered = outcome.kind === 'answer' || outcome.kind === 'partial';
  if (!options.addressed && !answered) return undefined;
  const answers = answered || outcome.kind === 'unknown';
  // Outside what it covers, or nothing asked: people talking in the thread, not to the advisor.
  if (!answers && (earlier !== undefined || !readsAsQuestion(own))) return undefined;
  // Claimed before it is recorded: a retry of the same event records nothing twice.
  if (!(await claim())) return 'duplicate';
  const reply = await replyToOutcome(deps, asker, reading.question, outcome);
  return {
    message: buildFollowUpView(reply, reading.kind === 'with-context' ? reading.question : undefined),
    question: reading.question,
  };
}

/** Remembers that the app answered in a thread (a failure to write it only costs the next follow-up its context). */
export async function rememberAnsweredThread(
  deps: Deps,
  asker: Asker,
  threadTs: string,
  question: string,
): Promise<void> {
  await deps.qaLog
    .rememberThread({
      teamId: asker.teamId,
      channelId: asker.channelId,
      threadTs,
      userId: asker.userId,
      question,
    })
    .catch((error: unknown) => deps.logger.warn('could not remember an answered thread', error));
}

/**
 * A reply without a mention in a channel thread: answered as a follow-up when the app answered in that thread
 * before; anything else is left alone, at the cost of one lookup. `claim` is asked only before replying (a retry of
 * the same event then finds it claimed), so channel chatter writes nothing.
 */
export async function answerThreadReply(
  deps: Deps,
  client: Client,
  reply: ThreadReply,
  claim: () => Promise<boolean>,
): Promise<'ignored' | 'answered' | 'duplicate'> {
  const { asker } = reply;
  const thread = await deps.qaLog.answeredThread({
    teamId: asker.teamId,
    channelId: asker.channelId,
    threadTs: reply.threadTs,
  });
  if (!thread) return 'ignored';
  const answer = await answerInThread(deps, asker, reply.text, thread.question, { addressed: false, claim });
  if (!answer) return 'ignored';
  if (answer === 'duplicate') return 'duplicate';
  try {
    await client.chat.postMessage({ channel: asker.channelId, thread_ts: reply.threadTs, ...answer.message });
  } catch (error) {
    // Claimed already, so Slack's retry would be refused: the asker gets the answer in their DM instead.
    await postInDmInstead(client, asker, buildCouldNotPostThereNote(asker.channelId), answer.message, error);
    return 'answered';
  }
  if (answer.question) await rememberAnsweredThread(deps, asker, reply.threadTs, answer.question);
  return 'answered';
}
