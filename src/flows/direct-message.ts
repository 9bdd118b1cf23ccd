import type { AllMiddlewareArgs } from '@slack/bolt';
import { type DmRoute, routeDirectMessage } from '../advisor/dm-intents.js';
import { type Person, personKey } from '../advisor/person.js';
import type { QuestionnaireSession } from '../advisor/questionnaire.js';
import { parseQuestionnaireControl } from '../advisor/typed-answer.js';
import type { Deps } from '../deps.js';
import { buildNote, type SlackMessage } from '../views/block-kit.js';
import { buildDmHelpView } from '../views/dm-help-view.js';
import { buildForgetConfirmView, buildHistoryView } from '../views/questionnaire-view.js';
import { withStatus } from './agent-surface.js';
import { replyToQuestion } from './qa-reply.js';
import {
  activeSession,
  applyControl,
  handleTypedReply,
  pointToWaitingQuestion,
  startQuestionnaire,
} from './questionnaire.js';

type Client = AllMiddlewareArgs['client'];

/** A direct message to the bot, its text already plain (see slack-text.ts). */
export interface DirectMessage {
  person: Person;
  channelId: string;
  text: string;
  /** The message's ts and thread, where the "looking that up…" status goes while it is answered. */
  ts?: string;
  threadTs?: string;
}

interface DmContext {
  deps: Deps;
  client: Client;
  dm: DirectMessage;
  /** The questionnaire in progress, if any. */
  session: QuestionnaireSession | undefined;
  say(message: SlackMessage): Promise<unknown>;
}

const NO_QUESTIONNAIRE_TEXT = 'There is no questionnaire in progress. Say *start* to begin one.';

/** The person as the questionnaire and the Q&A log know them: where they wrote from. */
function asker(dm: DirectMessage) {
  return { ...dm.person, channelId: dm.channelId };
}

/** Answers a question, with the agent surface's status on the message until the answer is posted (where available). */
function answerWithStatus({ deps, client, dm, say }: DmContext) {
  const threadTs = dm.threadTs ?? dm.ts;
  const place = threadTs ? { teamId: dm.person.teamId, channelId: dm.channelId, threadTs } : undefined;
  return withStatus(deps, client, place, async () => say(await replyToQuestion(deps, asker(dm), dm.text)));
}

/**
 * Mid-questionnaire, "my results" or "help" pushes the waiting question up like a side question does: one line
 * points back at it (and it is posted again once it is far up).
 */
async function pointBackIfWaiting({ deps, client, dm, session }: DmContext): Promise<void> {
  if (session) await pointToWaitingQuestion(deps, client, dm.person, session.id, 2);
}

/** What each kind of direct message does: the DM's routing table. */
const DM_ROUTES: Record<DmRoute, (context: DmContext) => Promise<unknown>> = {
  start: (context) => startQuestionnaire(context.deps, context.client, asker(context.dm)),
  history: async (context) => {
    const { deps, dm, say } = context;
    await say(buildHistoryView(deps.knowledge, await deps.questionnaires.results(personKey(dm.person))));
    await pointBackIfWaiting(context);
  },
  forget: ({ say }) => say(buildForgetConfirmView()),
  help: async (context) => {
    await context.say(buildDmHelpView(context.deps.knowledge));
    await pointBackIfWaiting(context);
  },
  question: answerWithStatus,
  'question-during-questionnaire': async (context) => {
    // Answered (with the agent surface's status while it works), then one line pointing back at the question
    // that waits (in full again only once it is far up).
    await answerWithStatus(context);
    if (context.session)
      await pointToWaitingQuestion(context.deps, context.client, context.dm.person, context.session.id, 3);
  },
  'questionnaire-reply': async ({ deps, client, dm, session }) => {
    if (session) await handleTypedReply(deps, client, asker(dm), session, dm.text);
  },
  'control-without-questionnaire': async (context) => {
    const control = parseQuestionnaireControl(context.dm.text);
    const applied = control && (await applyControl(context.deps, context.client, asker(context.dm), control));
    if (!applied) await context.say(buildNote(NO_QUESTIONNAIRE_TEXT));
  },
};

/** Starts or continues the questionnaire, lists results, forgets, shows help, or answers it as a question. */
export async function answerDirectMessage(deps: Deps, client: Client, dm: DirectMessage): Promise<void> {
  const session = await activeSession(deps, dm.person);
  const say = (message: SlackMessage) => client.chat.postMessage({ channel: dm.channelId, ...message });
  await DM_ROUTES[routeDirectMessage(dm.text, Boolean(session))]({ deps, client, dm, session, say });
}
