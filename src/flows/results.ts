import type { AllMiddlewareArgs } from '@slack/bolt';
import { type Person, personKey } from '../advisor/person.js';
import { scoreAnswers } from '../advisor/scoring.js';
import type { Deps } from '../deps.js';
import { buildNote, type SlackMessage } from '../views/block-kit.js';
import { buildResultView, resultDate } from '../views/questionnaire-view.js';

type Client = AllMiddlewareArgs['client'];

/** The person's DM with the bot, opened if need be (a Home tab click has no channel). */
export async function openDm(client: Client, person: Person): Promise<string> {
  const opened = await client.conversations.open({ users: person.userId });
  const channel = opened.channel?.id;
  if (!channel) throw new Error('could not open a DM');
  return channel;
}

/**
 * "Open" on a past result ("my results" or the Home tab): the result in full, with its reasons, posted in the
 * person's DM. Scored again from its answers, as a shared result is.
 */
export async function openResult(
  deps: Deps,
  client: Client,
  person: Person,
  resultId: string,
): Promise<void> {
  const stored = await deps.questionnaires.findResult(personKey(person), resultId);
  let message: SlackMessage;
  if (!stored) message = buildNote('I no longer have that result. Say *my results* to see the ones I keep.');
  else {
    const lead = `Your result of ${resultDate(stored)}, in full:`;
    const view = buildResultView(deps.knowledge, scoreAnswers(deps.knowledge, stored.answers), stored.id);
    message = { text: `${lead} ${view.text}`, blocks: [...buildNote(lead).blocks, ...view.blocks] };
  }
  await client.chat.postMessage({ channel: await openDm(client, person), ...message });
}
