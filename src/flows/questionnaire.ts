import type { AllMiddlewareArgs } from '@slack/bolt';
import { type Person, personKey } from '../advisor/person.js';
import {
  currentFactor,
  goBack,
  isComplete,
  isExpired,
  type QuestionnaireSession,
  startSession,
  takeAnswer,
} from '../advisor/questionnaire.js';
import { scoreAnswers } from '../advisor/scoring.js';
import {
  matchTypedOption,
  parseQuestionnaireControl,
  type QuestionnaireControl,
} from '../advisor/typed-answer.js';
import type { Deps } from '../deps.js';
import { buildNote, type SlackMessage } from '../views/block-kit.js';
import {
  buildAnsweredQuestionView,
  buildQuestionnaireIntroView,
  buildQuestionnaireStatusView,
  buildQuestionView,
  buildRepromptView,
  buildResultView,
  buildRetiredQuestionView,
  buildSharedResultView,
} from '../views/questionnaire-view.js';
import { slackErrorCode } from './failure.js';
import { publishHome } from './home.js';

/**
 * The questionnaire's Slack side: posting questions, updating answered ones in place, posting the result.
 * Every read-change-save of a person's questionnaire runs under `deps.personLock` (and no Slack call runs under
 * it), so two deliveries of the same click, or a click and a typed answer, can never both apply.
 */
type Client = AllMiddlewareArgs['client'];

/**
 * The person's questionnaire, unless there is none or it has expired (then it is removed). Called under the
 * person's lock wherever the caller goes on to change it.
 */
export async function activeSession(deps: Deps, person: Person): Promise<QuestionnaireSession | undefined> {
  const key = personKey(person);
  const session = await deps.questionnaires.getSession(key);
  // An idle questionnaire expires; one whose next question left the knowledge can no longer finish.
  const stranded = session && !isComplete(session) && !currentFactor(deps.knowledge, session);
  if (session && (stranded || isExpired(session, deps.now(), deps.questionnaireTtlMs))) {
    await deps.questionnaires.deleteSession(key);
    return undefined;
  }
  return session;
}

/** Runs `work` on the person's open questionnaire (undefined when none), one change at a time per person. */
function withSession<T>(
  deps: Deps,
  person: Person,
  work: (session: QuestionnaireSession | undefined) => Promise<T>,
): Promise<T> {
  return deps.personLock.run(personKey(person), async () => work(await activeSession(deps, person)));
}

async function post(client: Client, channel: string, message: SlackMessage): Promise<string | undefined> {
  const response = await client.chat.postMessage({ channel, ...message });
  return response.ts;
}

/**
 * Posts a message asking the question the session waits on, and remembers it so it can be updated once
 * answered. An earlier copy of the same question (before a re-ask or a "back") loses its buttons first.
 */
async function postQuestion(
  deps: Deps,
  client: Client,
  person: Person,
  session: QuestionnaireSession,
  message: SlackMessage,
) {
  const factor = currentFactor(deps.knowledge, session);
  if (!factor) return;
  const earlier = session.questionTs[factor.id];
  if (earlier) {
    await client.chat
      .update({ channel: session.channelId, ts: earlier, ...buildRetiredQuestionView(factor) })
      .catch((error: unknown) => logUpdateFailure(deps, person, error));
  }
  const ts = await post(client, session.channelId, message);
  if (!ts) return;
  await withSession(deps, person, async (latest) => {
    if (latest?.id !== session.id || currentFactor(deps.knowledge, latest)?.id !== factor.id) return;
    latest.questionTs[factor.id] = ts;
    await deps.questionnaires.saveSession(personKey(person), latest);
  });
}

/** A question message Slack no longer has (deleted, or a local demo restarted) is not worth a warning. */
function logUpdateFailure(deps: Deps, person: Person, error: unknown): void {
  const slackError = slackErrorCode(error);
  const log = slackError === 'message_not_found' ? deps.logger.debug : deps.logger.warn;
  log.call(deps.logger, 'could not update a question message', { user: person.userId, slackError });
}

/** Asks the question the session waits on (again, below `lead`, after something else came in between). */
export async function askCurrentQuestion(
  deps: Deps,
  client: Client,
  person: Person,
  session: QuestionnaireSession,
  lead?: string,
) {
  const factor = currentFactor(deps.knowledge, session);
  if (!factor) return;
  const question = buildQuestionView(session, factor);
  const message = lead
    ? { text: `${lead} ${question.text}`, blocks: [...buildNote(lead).blocks, ...question.blocks] }
    : question;
  await postQuestion(deps, client, person, session, message);
}

/** How long a just-started questionnaire is kept when a start arrives again (a double-delivered click). */
const RESTART_GRACE_MS = 5_000;

/**
 * The question the session waits on was never shown: posting it failed (Slack trouble), and it is not merely still
 * being posted by the handler that took the previous answer (a few seconds' grace).
 */
function owedQuestion(deps: Deps, session: QuestionnaireSession): boolean {
  const factor = currentFactor(deps.knowledge, session);
  if (!factor || session.questionTs[factor.id]) return false;
  return deps.now().getTime() - Date.parse(session.updatedAt) > RESTART_GRACE_MS;
}

/**
 * After a click on a question that is no longer open: if the current question was never shown (its post
 * failed), it is posted now, so the person is not left on a stale one. False when there was nothing to re-ask.
 */
export async function reaskOwedQuestion(deps: Deps, client: Client, person: Person): Promise<boolean> {
  const session = await activeSession(deps, person);
  if (!session || !owedQuestion(deps, session)) return false;
  await askCurrentQuestion(deps, client, person, session, "I couldn't show you this question before:");
  return true;
}

/**
 * Starts (or restarts) the questionnaire in the person's DM with the bot, opening it when the caller does not
 * know it (a button or command elsewhere). Returns the DM's channel id.
 */
export async function startQuestionnaire(
  deps: Deps,
  client: Client,
  person: Person & { channelId?: string },
): Promise<string> {
  let channelId = person.channelId;
  if (!channelId) {
    const opened = await client.conversations.open({ users: person.userId });
    channelId = opened.channel?.id;
  }
  if (!channelId) throw new Error('could not open a DM');
  const dm = channelId;
  // A second delivery of the same start finds the first one's questionnaire and leaves it.
  const session = await withSession(deps, person, async (existing) => {
    const justStarted =
      existing &&
      existing.step === 0 &&
      existing.channelId === dm &&
      deps.now().getTime() - Date.parse(existing.startedAt) < RESTART_GRACE_MS;
    if (justStarted) return undefined;
    const started = startSession(deps.knowledge, { ...person, channelId: dm }, deps.now(), deps.newId());
    await deps.questionnaires.saveSession(personKey(person), started);
    return started;
  });
  if (!session) return dm;
  await post(client, dm, buildQuestionnaireIntroView(deps.knowledge, session.factorIds.length));
  await askCurrentQuestion(deps, client, person, session);
  await publishHome(deps, client, person);
  return dm;
}

/**
 * Applies an answer (clicked or typed). 'stale' when it is not for the question waiting for one:
 * an old button, an expired questionnaire, or the second delivery of a double click.
 */
export async function applyAnswer(
  deps: Deps,
  client: Client,
  person: Person,
  answer: { sessionId: string; factorId: string; optionId: string },
): Promise<'answered' | 'stale'> {
  const key = personKey(person);
  const settled = await withSession(deps, person, async (session) => {
    if (!session || session.id !== answer.sessionId) return undefined;
    const position = `Question ${session.step + 1} of ${session.factorIds.length}`;
    const outcome = takeAnswer(deps.knowledge, session, answer.factorId, answer.optionId, deps.now());
    if (outcome.kind === 'stale') return undefined;
    const result = isComplete(session) ? scoreAnswers(deps.knowledge, session.answers) : undefined;
    const resultId = deps.newId();
    if (result) {
      await deps.questionnaires.finish(key, {
        id: resultId,
        sessionId: session.id,
        at: deps.now().toISOString(),
        leanRoleId: result.leanRoleId,
        strength: result.strength,
        totals: result.totals,
        answers: { ...session.answers },
      });
    } else await deps.questionnaires.saveSession(key, session);
    return { session, outcome, result, resultId, position };
  });
  if (!settled) return 'stale';
  const { session, outcome, result, resultId, position } = settled;

  // State is settled; now tell Slack: the answered question is updated while the next one is posted.
  const questionTs = session.questionTs[outcome.factor.id];
  const markAnswered = questionTs
    ? client.chat
        .update({
          channel: session.channelId,
          ts: questionTs,
          ...buildAnsweredQuestionView(outcome.factor, outcome.option, position),
        })
        .catch((error: unknown) => logUpdateFailure(deps, person, error))
    : Promise.resolve();
  const next = result
    ? post(client, session.channelId, buildResultView(deps.knowledge, result, resultId))
    : askCurrentQuestion(deps, client, person, session);
  await Promise.all([markAnswered, next, publishHome(deps, client, person)]);
  return 'answered';
}

/**
 * back / restart / cancel / status, typed or clicked (`sessionId`: the questionnaire the clicked button belongs
 * to). "restart" with no questionnaire open, or after the clicked one ended, starts a new one; the other controls
 * then return false: there is nothing to steer.
 */
export async function applyControl(
  deps: Deps,
  client: Client,
  person: Person & { channelId?: string },
  control: QuestionnaireControl,
  sessionId?: string,
): Promise<boolean> {
  const key = personKey(person);
  // Decided and stored under the lock; what it means for Slack is posted after.
  const step = await withSession(deps, person, async (open) => {
    const session = open && (!sessionId || open.id === sessionId) ? open : undefined;
    if (!session)
      return { kind: control === 'restart' ? 'start' : 'none', channelId: open?.channelId } as const;
    if (control === 'back') {
      const moved = goBack(session, deps.now());
      await deps.questionnaires.saveSession(key, session);
      return {
        kind: 'ask',
        session,
        lead: moved ? undefined : 'This is the first question already.',
      } as const;
    }
    if (control === 'cancel') {
      await deps.questionnaires.deleteSession(key);
      return { kind: 'cancelled', session } as const;
    }
    // Nothing answered yet: a new questionnaire would be the same one. Say so and ask again, rather than leaving
    // the person without a reply (startQuestionnaire ignores a second start within seconds of the first).
    if (control === 'restart' && session.step === 0 && Object.keys(session.answers).length === 0)
      return { kind: 'ask', session, lead: 'You are at the start already: here is question 1.' } as const;
    if (control === 'restart') return { kind: 'start', channelId: session.channelId } as const;
    return { kind: 'status', session } as const;
  });
  switch (step.kind) {
    case 'none':
      return false;
    case 'start':
      await startQuestionnaire(deps, client, { ...person, channelId: step.channelId ?? person.channelId });
      return true;
    case 'ask':
      await askCurrentQuestion(deps, client, person, step.session, step.lead);
      await publishHome(deps, client, person);
      return true;
    case 'cancelled':
      await post(
        client,
        step.session.channelId,
        buildNote(
          'Stopped: I discarded the answers of this questionnaire. Say *start* whenever you want to try again.',
        ),
      );
      await publishHome(deps, client, person);
      return true;
    case 'status':
      await post(client, step.session.channelId, buildQuestionnaireStatusView(step.session));
      return true;
  }
}

/**
 * A typed DM while a questionnaire is in progress: a control word, an answer, or a polite re-ask. The
 * questionnaire continues where the person writes to the bot: their DM with it (`channelId`).
 */
export async function handleTypedReply(
  deps: Deps,
  client: Client,
  person: Person & { channelId: string },
  session: QuestionnaireSession,
  text: string,
): Promise<void> {
  if (session.channelId !== person.channelId) {
    await withSession(deps, person, async (latest) => {
      if (latest?.id !== session.id) return;
      latest.channelId = person.channelId;
      await deps.questionnaires.saveSession(personKey(person), latest);
    });
    session.channelId = person.channelId;
  }
  const control = parseQuestionnaireControl(text);
  if (control) {
    await applyControl(deps, client, person, control, session.id);
    return;
  }
  const factor = currentFactor(deps.knowledge, session);
  if (!factor) return;
  // A typed answer is for the question the person sees: when the current one was never shown, show it first.
  if (owedQuestion(deps, session)) {
    await askCurrentQuestion(deps, client, person, session, "I couldn't show you this question before:");
    return;
  }
  const option = matchTypedOption(factor, text);
  if (option) {
    await applyAnswer(deps, client, person, {
      sessionId: session.id,
      factorId: factor.id,
      optionId: option.id,
    });
    return;
  }
  await postQuestion(deps, client, person, session, buildRepromptView(session, factor, text));
}

/** How often idle questionnaires are looked for and pruned. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;

/**
 * Prunes expired questionnaires now (in the background: a start does not wait for it) and every few minutes;
 * returns what stops it. Only questionnaires not saved within the expiry time are read.
 */
export function schedulePruning(deps: Deps): () => void {
  const prune = async () => {
    try {
      const now = deps.now();
      const pruned = await deps.questionnaires.pruneSessions(
        (session) => isExpired(session, deps.now(), deps.questionnaireTtlMs),
        new Date(now.getTime() - deps.questionnaireTtlMs),
      );
      if (pruned > 0) deps.logger.info(`pruned ${pruned} expired questionnaire(s)`);
    } catch (error) {
      deps.logger.warn('pruning expired questionnaires failed', error);
    }
  };
  void prune();
  const timer = setInterval(() => void prune(), PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}

/**
 * Deletes everything stored about a person: questionnaire, results, questions asked and votes. With a client, their
 * Home tab is published again, empty.
 */
export async function forgetPerson(deps: Deps, person: Person, client?: Client): Promise<void> {
  await deps.personLock.run(personKey(person), async () => {
    await Promise.all([deps.questionnaires.forget(personKey(person)), deps.qaLog.forget(person)]);
  });
  if (client)
    await publishHome(deps, client, person, {
      notice: 'Done: I deleted everything I stored about you.',
    });
}

/** A Slack conversation id as Slack writes them (C…, G…, D…); anything else in a payload is forged or broken. */
const CONVERSATION_ID = /^[CDG][A-Z0-9]{2,}$/;

/**
 * Posts a short version of a past result in a channel the person picked; returns the note that tells them how
 * it went (shared, the bot is not in that channel, or the result is gone).
 */
export async function shareResult(
  deps: Deps,
  client: Client,
  person: Person,
  pick: { resultId: string; channel: string | undefined },
): Promise<SlackMessage> {
  const { channel } = pick;
  const stored = await deps.questionnaires.findResult(personKey(person), pick.resultId);
  if (!stored) return buildNote('I no longer have that result. Say *start* to take the questionnaire again.');
  if (!channel || !CONVERSATION_ID.test(channel))
    return buildNote("I can't post there: pick a channel from the list.");
  // One post per result and channel: a second pick of the same channel (or Slack's redelivery) is told so.
  const shareKey = `share-result:${personKey(person)}:${pick.resultId}:${channel}`;
  if (!(await deps.handledEvents.claim(shareKey))) return buildNote(`Already shared in <#${channel}>.`);
  const result = scoreAnswers(deps.knowledge, stored.answers);
  try {
    await client.chat.postMessage({
      channel,
      ...buildSharedResultView(deps.knowledge, result, person.userId),
    });
    return buildNote(`Shared in <#${channel}>.`);
  } catch (error) {
    await deps.handledEvents.release(shareKey);
    const code = slackErrorCode(error);
    if (code !== 'not_in_channel' && code !== 'channel_not_found') throw error;
    return buildNote(
      `I can't post in <#${channel}> yet: invite me there first (\`/invite @advisor\`), then pick it again.`,
    );
  }
}
