import type { AllMiddlewareArgs } from '@slack/bolt';
import { type Person, personKey } from '../advisor/person.js';
import {
  answeredCount,
  checkDropConfirmation,
  currentFactor,
  goBack,
  isComplete,
  isExpired,
  markQuestionAsked,
  noteMessagesBelow,
  pendingDropOf,
  type QuestionnaireSession,
  revisionOf,
  startSession,
  takeAnswer,
} from '../advisor/questionnaire.js';
import { scoreAnswers } from '../advisor/scoring.js';
import {
  matchTypedOption,
  parseConfirmationReply,
  parseQuestionnaireControl,
  type QuestionnaireControl,
} from '../advisor/typed-answer.js';
import type { Deps } from '../deps.js';
import { buildNote, type SlackMessage } from '../views/block-kit.js';
import {
  buildAmbiguousConfirmationView,
  buildDropConfirmView,
  buildDroppedView,
  buildKeptView,
  buildQuestionPointerView,
  buildStaleDropView,
  buildStoppedView,
  type DropControl,
  repostLead,
  resumeLead,
  statusLead,
} from '../views/questionnaire-steer-view.js';
import {
  buildAnsweredQuestionView,
  buildQuestionnaireIntroView,
  buildQuestionView,
  buildResultView,
  buildSharedResultView,
} from '../views/questionnaire-view.js';
import { slackErrorCode } from './failure.js';
import { forgetCuratorSummaries, publishHome } from './home.js';

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
 * Posts a message asking the question the session waits on, and remembers it (its ts, so it can be updated once
 * answered, and that nothing is below it yet). Only the newest copy of a question is kept: an earlier one (before a
 * re-post, `status`, a resume or a "back") is deleted once the new one is up, so no question is shown twice with
 * live buttons and none is left behind as a stub.
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
  const ts = await post(client, session.channelId, message);
  if (!ts) return;
  const earlier = await withSession(deps, person, async (latest) => {
    if (latest?.id !== session.id || currentFactor(deps.knowledge, latest)?.id !== factor.id)
      return undefined;
    const previous = latest.questionTs[factor.id];
    markQuestionAsked(latest, factor.id, ts, deps.now());
    await deps.questionnaires.saveSession(personKey(person), latest);
    return previous;
  });
  if (earlier && earlier !== ts)
    await client.chat
      .delete({ channel: session.channelId, ts: earlier })
      .catch((error: unknown) => logUpdateFailure(deps, person, error));
}

/** A question message Slack no longer has (deleted, or a local demo restarted) is not worth a warning. */
function logUpdateFailure(deps: Deps, person: Person, error: unknown): void {
  const slackError = slackErrorCode(error);
  const log = slackError === 'message_not_found' ? deps.logger.debug : deps.logger.warn;
  log.call(deps.logger, 'could not update or delete a questionnaire message', {
    user: person.userId,
    slackError,
  });
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
  await askCurrentQuestion(deps, client, person, session, OWED_LEAD);
  return true;
}

const OWED_LEAD = "I couldn't show you this question before:";

/**
 * Points the person back at the question that waits after `added` messages went below it (a side question and its
 * answer; a reply that matched no option, quoted back as `unmatched`): one short line, or the question again in full
 * once it has scrolled far up (QUESTION_OUT_OF_SIGHT) or if it was never shown. The count is stored first.
 */
export async function pointToWaitingQuestion(
  deps: Deps,
  client: Client,
  person: Person,
  sessionId: string,
  added: number,
  unmatched?: string,
): Promise<void> {
  const found = await withSession(deps, person, async (latest) => {
    if (latest?.id !== sessionId || !currentFactor(deps.knowledge, latest)) return undefined;
    if (owedQuestion(deps, latest)) return { session: latest, how: 'owed' } as const;
    const how = noteMessagesBelow(latest, added, deps.now());
    await deps.questionnaires.saveSession(personKey(person), latest);
    return { session: latest, how };
  });
  if (!found) return;
  const { session, how } = found;
  if (how === 'pointer') await post(client, session.channelId, buildQuestionPointerView(session, unmatched));
  else
    await askCurrentQuestion(
      deps,
      client,
      person,
      session,
      how === 'owed' ? OWED_LEAD : repostLead(session, unmatched),
    );
}

/**
 * Starts the questionnaire in the person's DM with the bot, opening it when the caller does not know it (a button
 * or command elsewhere); one in progress is resumed, never restarted: its question is shown again, with where the
 * person is and a "Start over" button (which asks before dropping anything). Returns the DM's channel id, and
 * whether a questionnaire in progress was found.
 */
export async function startQuestionnaire(
  deps: Deps,
  client: Client,
  person: Person & { channelId?: string },
): Promise<{ channelId: string; resumed: boolean }> {
  let channelId = person.channelId;
  if (!channelId) {
    const opened = await client.conversations.open({ users: person.userId });
    channelId = opened.channel?.id;
  }
  if (!channelId) throw new Error('could not open a DM');
  const dm = channelId;
  const found = await withSession(deps, person, async (existing) => {
    if (existing) {
      // A second delivery of the same start finds the first one's questionnaire and leaves it.
      const justStarted =
        existing.step === 0 &&
        existing.channelId === dm &&
        deps.now().getTime() - Date.parse(existing.startedAt) < RESTART_GRACE_MS;
      if (justStarted) return { kind: 'none' } as const;
      if (existing.channelId !== dm) {
        existing.channelId = dm;
        await deps.questionnaires.saveSession(personKey(person), existing);
      }
      return { kind: 'resume', session: existing } as const;
    }
    const started = startSession(deps.knowledge, { ...person, channelId: dm }, deps.now(), deps.newId());
    await deps.questionnaires.saveSession(personKey(person), started);
    return { kind: 'start', session: started } as const;
  });
  if (found.kind === 'resume')
    await askCurrentQuestion(deps, client, person, found.session, resumeLead(found.session));
  if (found.kind === 'start') {
    await post(client, dm, buildQuestionnaireIntroView(deps.knowledge, found.session.factorIds.length));
    await askCurrentQuestion(deps, client, person, found.session);
    await publishHome(deps, client, person);
  }
  return { channelId: dm, resumed: found.kind !== 'start' };
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
 * to). `cancel` and `restart` with answers given drop nothing: they ask for confirmation (confirmDrop). "restart"
 * with no questionnaire open starts one (and after the clicked one ended, resumes the one open, if any); the other
 * controls then return false: there is nothing to steer.
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
    if (control === 'status') return { kind: 'ask', session, lead: statusLead(session) } as const;
    // Answers given: nothing is dropped until the person confirms (the confirmation names this revision).
    if (answeredCount(session) > 0) {
      // Remembered, so a typed "yes" or "no" answers the confirmation as its buttons do.
      session.pendingDrop = { control, revision: revisionOf(session) };
      await deps.questionnaires.saveSession(key, session);
      return { kind: 'confirm', session, control } as const;
    }
    if (control === 'cancel') {
      await deps.questionnaires.deleteSession(key);
      return { kind: 'stopped', session } as const;
    }
    // Nothing answered yet: a new questionnaire would be the same one. Say so and ask again, rather than leaving
    // the person without a reply.
    return { kind: 'ask', session, lead: 'You are at the start already: here is question 1.' } as const;
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
    case 'confirm':
      await post(client, step.session.channelId, buildDropConfirmView(step.session, step.control));
      return true;
    case 'stopped':
      await post(client, step.session.channelId, buildStoppedView());
      await publishHome(deps, client, person);
      return true;
  }
}

/** The confirmation message a click came from, to update in place (absent: the reply is posted instead). */
export interface ClickedMessage {
  channel: string;
  ts: string;
}

/**
 * "Yes, drop my N answers", clicked: drops the questionnaire (`cancel`) or replaces it with a new one
 * (`restart`) only if it is still the one, at the revision, that the confirmation was asked for. A second
 * delivery of the click, a click on an old confirmation, or one after the person answered more finds otherwise
 * ('ended', 'moved-on') and changes nothing. Decided under the person's lock, which holds across replicas.
 */
export async function confirmDrop(
  deps: Deps,
  client: Client,
  person: Person,
  confirmation: { control: DropControl; sessionId: string; revision: number; message?: ClickedMessage },
): Promise<'dropped' | 'moved-on' | 'ended'> {
  const key = personKey(person);
  const settled = await withSession(deps, person, async (session) => {
    const check = checkDropConfirmation(session, confirmation);
    if (check !== 'confirmed') return { outcome: check } as const;
    if (!session) return { outcome: 'ended' } as const;
    const count = answeredCount(session);
    if (confirmation.control === 'cancel') {
      await deps.questionnaires.deleteSession(key);
      return { outcome: 'dropped', count, channelId: session.channelId } as const;
    }
    // One write replaces the questionnaire: there is never a moment with neither.
    const started = startSession(
      deps.knowledge,
      { teamId: person.teamId, userId: person.userId, channelId: session.channelId },
      deps.now(),
      deps.newId(),
    );
    await deps.questionnaires.saveSession(key, started);
    return { outcome: 'dropped', count, channelId: session.channelId, started } as const;
  });
  if (settled.outcome !== 'dropped') return settled.outcome;
  await showOnConfirmation(
    deps,
    client,
    person,
    settled.channelId,
    confirmation.message,
    buildDroppedView(settled.count, confirmation.control),
  );
  if (settled.started) await askCurrentQuestion(deps, client, person, settled.started);
  await publishHome(deps, client, person);
  return 'dropped';
}

/**
 * "Keep going", clicked: nothing is dropped; the confirmation says so and points at the question that waits (or
 * the question follows in full when it has scrolled far up). False when that questionnaire has ended.
 */
export async function keepGoing(
  deps: Deps,
  client: Client,
  person: Person,
  pick: { sessionId: string; message?: ClickedMessage },
): Promise<boolean> {
  const found = await withSession(deps, person, async (session) => {
    if (session?.id !== pick.sessionId || !currentFactor(deps.knowledge, session)) return undefined;
    if (owedQuestion(deps, session)) return { session, repost: true };
    delete session.pendingDrop;
    // Below the question now: what asked to drop it, and the confirmation.
    const repost = noteMessagesBelow(session, 2, deps.now()) === 'repost';
    await deps.questionnaires.saveSession(personKey(person), session);
    return { session, repost };
  });
  if (!found) return false;
  const { session, repost } = found;
  await showOnConfirmation(
    deps,
    client,
    person,
    session.channelId,
    pick.message,
    buildKeptView(session, repost),
  );
  if (repost) await askCurrentQuestion(deps, client, person, session, repostLead(session));
  return true;
}

/** Replaces the clicked confirmation (its buttons go), or posts the message when the click names none. */
async function showOnConfirmation(
  deps: Deps,
  client: Client,
  person: Person,
  channelId: string,
  clicked: ClickedMessage | undefined,
  message: SlackMessage,
): Promise<void> {
  if (!clicked) {
    await post(client, channelId, message);
    return;
  }
  await client.chat
    .update({ channel: clicked.channel, ts: clicked.ts, ...message })
    .catch((error: unknown) => logUpdateFailure(deps, person, error));
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
  // "yes" / "no, keep going" typed to the confirmation of a drop, as its buttons would answer it.
  const pending = pendingDropOf(session);
  const confirmation = pending && parseConfirmationReply(text);
  const factorNow = currentFactor(deps.knowledge, session);
  // "ok" may be an answer to the question as much as a yes: nothing is dropped on a guess.
  if (confirmation && factorNow && matchTypedOption(factorNow, text)) {
    await post(client, session.channelId, buildAmbiguousConfirmationView());
    return;
  }
  if (pending && confirmation === 'yes') {
    const outcome = await confirmDrop(deps, client, person, { ...pending, sessionId: session.id });
    if (outcome !== 'dropped') await post(client, session.channelId, buildStaleDropView(outcome));
    return;
  }
  if (confirmation === 'no') {
    await keepGoing(deps, client, person, { sessionId: session.id });
    return;
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
    await askCurrentQuestion(deps, client, person, session, OWED_LEAD);
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
  // Below the question: the reply and the pointer to it.
  await pointToWaitingQuestion(deps, client, person, session.id, 2, text);
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
  forgetCuratorSummaries(deps, [person.teamId]);
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
