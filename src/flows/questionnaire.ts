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
} from '../views/questionnaire-view.js';
import { slackErrorCode } from './failure.js';

/**
 * The questionnaire's Slack side: posting questions, updating answered ones in place, posting the result.
 * Every state change happens synchronously before the first await, so two deliveries of the same click
 * (or a click and a typed answer) can never both apply.
 */
type Client = AllMiddlewareArgs['client'];

/** The person's questionnaire, unless there is none or it has expired (then it is removed). */
export function activeSession(deps: Deps, person: Person): QuestionnaireSession | undefined {
  const key = personKey(person);
  const session = deps.users.getSession(key);
  // An idle questionnaire expires; one whose next question left the knowledge can no longer finish.
  const stranded = session && !isComplete(session) && !currentFactor(deps.knowledge, session);
  if (session && (stranded || isExpired(session, deps.now(), deps.questionnaireTtlMs))) {
    deps.users.deleteSession(key);
    return undefined;
  }
  return session;
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
  const latest = deps.users.getSession(personKey(person));
  if (ts && latest?.id === session.id && currentFactor(deps.knowledge, latest)?.id === factor.id) {
    latest.questionTs[factor.id] = ts;
    deps.users.saveSession(personKey(person), latest);
  }
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
  // From here to saving the new session nothing awaits, so a second delivery of the same start sees the first.
  const existing = activeSession(deps, person);
  const justStarted =
    existing &&
    existing.step === 0 &&
    existing.channelId === channelId &&
    deps.now().getTime() - Date.parse(existing.startedAt) < RESTART_GRACE_MS;
  if (justStarted) return channelId;
  const session = startSession(deps.knowledge, { ...person, channelId }, deps.now(), deps.newId());
  deps.users.saveSession(personKey(person), session);
  await post(client, channelId, buildQuestionnaireIntroView(deps.knowledge, session.factorIds.length));
  await askCurrentQuestion(deps, client, person, session);
  return channelId;
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
  const session = activeSession(deps, person);
  if (!session || session.id !== answer.sessionId) return 'stale';
  const position = `Question ${session.step + 1} of ${session.factorIds.length}`;
  const outcome = takeAnswer(deps.knowledge, session, answer.factorId, answer.optionId, deps.now());
  if (outcome.kind === 'stale') return 'stale';
  const complete = isComplete(session);
  const result = complete ? scoreAnswers(deps.knowledge, session.answers) : undefined;
  const resultId = deps.newId();
  if (result) {
    deps.users.finish(key, {
      id: resultId,
      at: deps.now().toISOString(),
      leanRoleId: result.leanRoleId,
      strength: result.strength,
      totals: result.totals,
      answers: { ...session.answers },
    });
  } else deps.users.saveSession(key, session);

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
  await Promise.all([markAnswered, next]);
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
  const open = activeSession(deps, person);
  const session = open && (!sessionId || open.id === sessionId) ? open : undefined;
  if (!session) {
    if (control !== 'restart') return false;
    await startQuestionnaire(deps, client, { ...person, channelId: open?.channelId ?? person.channelId });
    return true;
  }
  switch (control) {
    case 'back': {
      const moved = goBack(session, deps.now());
      deps.users.saveSession(key, session);
      await askCurrentQuestion(
        deps,
        client,
        person,
        session,
        moved ? undefined : 'This is the first question already.',
      );
      return true;
    }
    case 'restart':
      // Nothing answered yet: a new questionnaire would be the same one. Say so and ask again, rather than
      // leaving the person without a reply (startQuestionnaire ignores a second start within seconds of the first).
      if (session.step === 0 && Object.keys(session.answers).length === 0) {
        await askCurrentQuestion(
          deps,
          client,
          person,
          session,
          'You are at the start already: here is question 1.',
        );
        return true;
      }
      await startQuestionnaire(deps, client, { ...person, channelId: session.channelId });
      return true;
    case 'cancel':
      deps.users.deleteSession(key);
      await post(
        client,
        session.channelId,
        buildNote(
          'Stopped: I discarded the answers of this questionnaire. Say *start* whenever you want to try again.',
        ),
      );
      return true;
    case 'status':
      await post(client, session.channelId, buildQuestionnaireStatusView(session));
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
    session.channelId = person.channelId;
    deps.users.saveSession(personKey(person), session);
  }
  const control = parseQuestionnaireControl(text);
  if (control) {
    await applyControl(deps, client, person, control, session.id);
    return;
  }
  const factor = currentFactor(deps.knowledge, session);
  if (!factor) return;
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

/** Prunes expired questionnaires now and every few minutes; returns what stops it. */
export function schedulePruning(deps: Deps): () => void {
  const prune = () => {
    const pruned = deps.users.pruneSessions((session) =>
      isExpired(session, deps.now(), deps.questionnaireTtlMs),
    );
    if (pruned > 0) deps.logger.info(`pruned ${pruned} expired questionnaire(s)`);
  };
  prune();
  const timer = setInterval(prune, PRUNE_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
