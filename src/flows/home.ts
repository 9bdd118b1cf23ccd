import type { AllMiddlewareArgs } from '@slack/bolt';
import { type CuratorSummary, summarizeForCurators } from '../advisor/curation.js';
import { type Person, personKey } from '../advisor/person.js';
import { currentFactor, isComplete, isExpired } from '../advisor/questionnaire.js';
import type { Deps } from '../deps.js';
import { buildHomeView, type HomeState } from '../views/home-view.js';
import { slackErrorCode } from './failure.js';
import { KeyedLock } from './keyed-lock.js';

type Client = AllMiddlewareArgs['client'];

/** What a publish may add to the person's own state: the forget confirmation, or a line about what just happened. */
export type HomeOptions = Pick<HomeState, 'confirmForget' | 'notice'> & {
  /** Opening the tab: the curators' part is read afresh (re-publishes after a change may reuse a recent one). */
  fresh?: boolean;
};

/**
 * One publish at a time per person, each reading the state when its turn comes, so two changes in quick
 * succession (two answers) can never leave the older Home tab on top. Not the person lock: a slow Slack call here
 * never holds a change to their questionnaire.
 */
const publishing = new WeakMap<Deps, KeyedLock>();

function publishLock(deps: Deps): KeyedLock {
  let lock = publishing.get(deps);
  if (!lock) {
    lock = new KeyedLock();
    publishing.set(deps, lock);
  }
  return lock;
}

/**
 * How long a workspace's curator summary is reused. Building it reads the whole Q&A log (every row, on
 * PostgreSQL), and a curator's Home tab is published again after each of their questionnaire answers.
 */
const CURATOR_SUMMARY_TTL_MS = 30_000;
const curatorSummaries = new WeakMap<Deps, Map<string, { until: number; summary: CuratorSummary }>>();

async function curatorSummaryFor(deps: Deps, teamId: string, fresh: boolean): Promise<CuratorSummary> {
  let byTeam = curatorSummaries.get(deps);
  if (!byTeam) {
    byTeam = new Map();
    curatorSummaries.set(deps, byTeam);
  }
  const now = deps.now().getTime();
  const cached = byTeam.get(teamId);
  if (cached && cached.until > now && !fresh) return cached.summary;
  const summary = summarizeForCurators(await deps.qaLog.read({ teamId }), { teamId });
  // Few workspaces have curators on one replica; expired summaries go as new ones are made.
  for (const [team, entry] of byTeam) if (entry.until <= now) byTeam.delete(team);
  byTeam.set(teamId, { until: now + CURATOR_SUMMARY_TTL_MS, summary });
  return summary;
}

/**
 * Drops the summaries kept for re-publishes (of these workspaces, or all): after a "forget me" or an uninstall,
 * no curator's Home is built from what was deleted. (Another replica's copy lasts at most CURATOR_SUMMARY_TTL_MS.)
 */
export function forgetCuratorSummaries(deps: Deps, teamIds?: readonly string[]): void {
  const byTeam = curatorSummaries.get(deps);
  if (!byTeam) return;
  if (!teamIds) byTeam.clear();
  else for (const teamId of teamIds) byTeam.delete(teamId);
}

/** The person's Home tab as it stands: read only, so it needs no lock (an expired questionnaire shows as none). */
export async function homeStateFor(
  deps: Deps,
  person: Person,
  options: HomeOptions = {},
): Promise<HomeState> {
  const key = personKey(person);
  const curator = deps.curators?.has(person.userId) ?? false;
  const [session, results, curatorSummary] = await Promise.all([
    deps.questionnaires.getSession(key),
    deps.questionnaires.results(key),
    curator ? curatorSummaryFor(deps, person.teamId, options.fresh === true) : undefined,
  ]);
  const open =
    session &&
    !isComplete(session) &&
    currentFactor(deps.knowledge, session) &&
    !isExpired(session, deps.now(), deps.questionnaireTtlMs)
      ? session
      : undefined;
  return {
    ...(open ? { questionnaire: { step: open.step, questions: open.factorIds.length } } : {}),
    results,
    ...(curatorSummary ? { curator: curatorSummary } : {}),
    ...(options.confirmForget ? { confirmForget: options.confirmForget } : {}),
    ...(options.notice ? { notice: options.notice } : {}),
  };
}

/**
 * Publishes the person's Home tab (views.publish) with what is stored now. Called after a change that shows there
 * is saved (a questionnaire started, answered, finished or cancelled; "forget me"), outside the person lock. A
 * failure is logged, never thrown: the change itself has happened and the person was told.
 */
export async function publishHome(
  deps: Deps,
  client: Client,
  person: Person,
  options: HomeOptions = {},
): Promise<void> {
  try {
    await publishLock(deps).run(personKey(person), async () => {
      const state = await homeStateFor(deps, person, options);
      await client.views.publish({ user_id: person.userId, view: buildHomeView(deps.knowledge, state) });
    });
  } catch (error) {
    deps.logger.warn('publishing the Home tab failed', {
      team: person.teamId,
      user: person.userId,
      slackError: slackErrorCode(error),
      error,
    });
  }
}
