import type { HomeView, KnownBlock } from '@slack/types';
import { defaultPair } from '../advisor/compare-request.js';
import { type CuratorSummary, reasonsLine } from '../advisor/curation.js';
import { describeResult } from '../advisor/result-wording.js';
import { type SavedResult, scoreAnswers } from '../advisor/scoring.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import {
  HOME_COMPARE_ACTION,
  HOME_FORGET_ACTION,
  HOME_QUESTIONNAIRE_ACTION,
  PM_COMPARE_COMMAND,
  RESULT_OPEN_ACTION,
} from '../slack-ids.js';
import { escapeMrkdwn } from '../slack-text.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  button,
  context,
  divider,
  echo,
  header,
  section,
  truncate,
} from './block-kit.js';
import {
  buildDimensionRows,
  buildRoleSummaries,
  compareSourceLine,
  compareUsageLines,
} from './compare-view.js';
import { buildForgetConfirmView, buildResultLine, resultDate, resultLean } from './questionnaire-view.js';
import { cachedView } from './view-cache.js';

/** Slack allows 100 blocks in a Home tab. */
export const HOME_TAB_BLOCK_LIMIT = 100;

/** How much of each list the Home tab shows (the rest is a DM or `npm run report` away). */
export const HOME_LIMITS = {
  pastResults: 5,
  unansweredQuestions: 5,
  entries: 10,
  /** How much of a question a curator sees in the list. */
  questionLength: 150,
} as const;

/** What one person's Home tab shows besides what the knowledge says. */
export interface HomeState {
  /** The questionnaire in progress: the question it waits on (0-based) and how many it has. */
  questionnaire?: { step: number; questions: number };
  /** Past results, oldest first. */
  results: readonly SavedResult[];
  /** Only for curators (CURATORS): their workspace's unanswered questions and feedback per entry. */
  curator?: CuratorSummary;
  /** "Forget me" was clicked: the confirmation is shown in its place. */
  confirmForget?: boolean;
  /** What just happened, shown at the top ("Done: I deleted everything…"). */
  notice?: string;
}

/**
 * The Home tab: the person's dashboard (the questionnaire, their results, how to ask, "forget me", and for curators
 * what the knowledge lacks), then the comparison at a glance in the room that is left. The comparison and the
 * usage lines come from the knowledge alone and are built once.
 */
export function buildHomeView(knowledge: Knowledge, state: HomeState = { results: [] }): HomeView {
  const shared = cachedView(knowledge, 'home', () => homeParts(knowledge));
  const personal = [
    ...(state.notice ? [section(state.notice)] : []),
    ...questionnaireBlocks(knowledge, state),
    ...askBlocks(),
    ...resultBlocks(knowledge, state.results),
    ...forgetBlocks(state),
    ...(state.curator ? curatorBlocks(knowledge, state.curator) : []),
  ];
  const top = [header('pm-advisor'), ...personal, divider(), ...shared.intro];
  const room = Math.max(0, HOME_TAB_BLOCK_LIMIT - top.length - shared.usage.length);
  return { type: 'home', blocks: [...top, ...shared.rows.slice(0, room), ...shared.usage] };
}

function homeParts(knowledge: Knowledge) {
  const roles = knowledge.paths.map((role) => role.name).join(' or ');
  return {
    intro: [
      section(`*The roles at a glance*\nNot sure whether ${roles} suits you? Here they are side by side.`),
      buildRoleSummaries(defaultPair(knowledge)),
    ],
    rows: buildDimensionRows(knowledge, knowledge.dimensions),
    usage: [
      divider(),
      section(`*How to use me*\n${compareUsageLines(knowledge).join('\n')}`),
      compareSourceLine(knowledge),
    ],
  };
}

function questionnaireBlocks(knowledge: Knowledge, state: HomeState): KnownBlock[] {
  const roles = knowledge.paths.map((role) => role.shortName).join(' or ');
  const open = state.questionnaire;
  const [text, label, value] = open
    ? [
        `*Find your path*\nYou're on question ${Math.min(open.step + 1, open.questions)} of ${open.questions}. Pick up where you left off: I'll ask it again in our DM.`,
        'Resume the questionnaire',
        'resume',
      ]
    : [
        `*Find your path*\nA short questionnaire in our DM weighs what you enjoy toward ${roles} and explains its advice.${state.results.length > 0 ? ' Take it again any time.' : ''}`,
        state.results.length > 0 ? 'Retake the questionnaire' : 'Start the questionnaire',
        'start',
      ];
  return [
    section(text, 'home-questionnaire'),
    ...actions(
      [
        button(label, HOME_QUESTIONNAIRE_ACTION, value, 'primary'),
        button('Compare the roles', HOME_COMPARE_ACTION, 'overview'),
      ],
      'home-actions',
    ),
  ];
}

function askBlocks(): KnownBlock[] {
  return [
    section(
      `*Ask me a question*\nMention me in a channel (the answer comes in a thread), write to me in our DM, or compare roles with \`${PM_COMPARE_COMMAND}\` (\`${PM_COMPARE_COMMAND} help\` lists the roles and topics).`,
      'home-ask',
    ),
  ];
}

function resultBlocks(knowledge: Knowledge, results: readonly SavedResult[]): KnownBlock[] {
  const newest = [...results].reverse();
  const [latest, ...past] = newest;
  if (!latest) return [];
  const result = scoreAnswers(knowledge, latest.answers);
  const wording = describeResult(knowledge, result);
  const shown = past.slice(0, HOME_LIMITS.pastResults);
  const more = past.length - shown.length;
  return [
    divider(),
    {
      type: 'section',
      block_id: 'home-latest-result',
      text: {
        type: 'mrkdwn',
        text: truncate(
          `*Your latest result* (${resultDate(latest)}): ${resultLean(knowledge, result)}\n${escapeMrkdwn(wording.sentence)}`,
          BLOCK_KIT_LIMITS.sectionText,
        ),
      },
      accessory: button('Open in full', RESULT_OPEN_ACTION, latest.id),
    },
    ...(shown.length > 0
      ? [section('*Past results*'), ...shown.map((result) => buildResultLine(knowledge, result))]
      : []),
    ...(more > 0 ? [context(`${more} older result(s): say *my results* in our DM to see them all.`)] : []),
  ];
}

function forgetBlocks(state: HomeState): KnownBlock[] {
  if (state.confirmForget) return [divider(), ...buildForgetConfirmView().blocks];
  return [
    divider(),
    {
      type: 'section',
      block_id: 'home-forget',
      text: {
        type: 'mrkdwn',
        text: '*Your data*\nI keep your questionnaire, your results, the questions you ask me and your feedback. *Forget me* deletes all of it (I ask first).',
      },
      accessory: button('Forget me', HOME_FORGET_ACTION, 'forget', 'danger'),
    },
  ];
}

function curatorBlocks(knowledge: Knowledge, summary: CuratorSummary): KnownBlock[] {
  const questions = summary.frequent
    .slice(0, HOME_LIMITS.unansweredQuestions)
    .map(
      ({ question, count }) =>
        `• ${count > 1 ? `${count}× ` : ''}${echo(question, HOME_LIMITS.questionLength)}`,
    );
  const disliked = summary.entries.filter((entry) => entry.notHelpful > 0);
  const entries = disliked.slice(0, HOME_LIMITS.entries).map((entry) => {
    const title = knowledge.entriesById.get(entry.entryId)?.title;
    const reasons = reasonsLine(entry);
    return `• *${escapeMrkdwn(title ?? entry.entryId)}*${title ? '' : ' (no longer in the knowledge)'}: ${entry.notHelpful} not helpful, ${entry.helpful} helpful, shown ${entry.shown}×${reasons ? ` — ${reasons}` : ''}`;
  });
  const moreEntries = disliked.length - entries.length;
  return [
    divider(),
    header('For curators'),
    section(
      `*Unanswered questions: ${summary.unansweredCount}*${questions.length > 0 ? `\nAsked most often:\n${questions.join('\n')}` : ''}`,
      'home-curator-unanswered',
    ),
    section(
      `*"Not helpful" votes per knowledge entry*\n${entries.length > 0 ? entries.join('\n') : 'None yet.'}${moreEntries > 0 ? `\n…and ${moreEntries} more.` : ''}`,
      'home-curator-feedback',
    ),
    context('Your workspace only. The whole list, every workspace: `npm run report` where the app runs.'),
  ];
}
