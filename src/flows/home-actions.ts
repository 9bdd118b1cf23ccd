import type { AllMiddlewareArgs } from '@slack/bolt';
import type { Person } from '../advisor/person.js';
import type { Deps } from '../deps.js';
import { buildCompareOverviewView } from '../views/compare-view.js';
import { publishHome } from './home.js';
import { startQuestionnaire } from './questionnaire.js';
import { openDm } from './results.js';

type Client = AllMiddlewareArgs['client'];

/**
 * The Home tab's questionnaire button: an open questionnaire's question is asked again in the DM (nothing is lost);
 * with none open, a new one starts there. Either way the Home tab is published again.
 */
export async function startOrResumeFromHome(deps: Deps, client: Client, person: Person): Promise<void> {
  // A new questionnaire publishes the Home tab itself once it is saved; a resumed one changed nothing it shows,
  // but the click is answered with the tab as it stands.
  const { resumed } = await startQuestionnaire(deps, client, person);
  if (resumed) await publishHome(deps, client, person);
}

/** "Compare the roles" on the Home tab: the overview comparison, posted in the person's DM. */
export async function postComparisonToDm(deps: Deps, client: Client, person: Person): Promise<void> {
  await client.chat.postMessage({
    channel: await openDm(client, person),
    ...buildCompareOverviewView(deps.knowledge),
  });
}

/** "Forget me" on the Home tab: the same confirmation as in DMs, shown in its place. */
export async function confirmForgetOnHome(deps: Deps, client: Client, person: Person): Promise<void> {
  await publishHome(deps, client, person, { confirmForget: true });
}

/** "Keep it" on the Home tab: nothing deleted, the Home tab as it was. */
export async function keepOnHome(deps: Deps, client: Client, person: Person): Promise<void> {
  await publishHome(deps, client, person, { notice: 'OK, nothing was deleted.' });
}
