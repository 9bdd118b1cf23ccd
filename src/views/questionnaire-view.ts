import type { KnownBlock } from '@slack/types';
import type { QuestionnaireSession } from '../advisor/questionnaire.js';
import { describeContribution, describeResult } from '../advisor/result-wording.js';
import { type QuestionnaireResult, type SavedResult, scoreAnswers } from '../advisor/scoring.js';
import { QUESTIONNAIRE_CONTROLS } from '../advisor/typed-answer.js';
import type { Factor, FactorOption, Knowledge } from '../knowledge/knowledge.js';
import {
  COMPARE_DIMENSION_ACTION,
  FORGET_CANCEL_ACTION,
  FORGET_CONFIRM_ACTION,
  joinValue,
  QUESTIONNAIRE_ANSWER_ACTION,
  QUESTIONNAIRE_CONTROL_ACTION,
  QUESTIONNAIRE_SHARE_ACTION,
  QUESTIONNAIRE_SHARE_BLOCK,
  QUESTIONNAIRE_START_ACTION,
  RESULT_OPEN_ACTION,
} from '../slack-ids.js';
import { escapeMrkdwn } from '../slack-text.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  buildNote,
  button,
  context,
  divider,
  header,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';
import { buildSourceLine } from './source-line.js';
import { cachedView } from './view-cache.js';

function roleName(knowledge: Knowledge, roleId: string | undefined): string {
  return (roleId && knowledge.rolesById.get(roleId)?.name) || 'both paths equally';
}

function progress(session: QuestionnaireSession): string {
  return `Question ${Math.min(session.step + 1, session.factorIds.length)} of ${session.factorIds.length}`;
}

function controlsHint(): string {
  return `Reply with a button, a number or a few words · type ${QUESTIONNAIRE_CONTROLS.map((c) => `*${c.id}*`).join(', ')} at any time`;
}

/** The opening message of a questionnaire. */
export function buildQuestionnaireIntroView(knowledge: Knowledge, questions: number): SlackMessage {
  return cachedView(knowledge, `questionnaire intro ${questions}`, () =>
    questionnaireIntroView(knowledge, questions),
  );
}

function questionnaireIntroView(knowledge: Knowledge, questions: number): SlackMessage {
  const roles = knowledge.paths.map((role) => role.name).join(' or ');
  const text = `Let's find your path: ${questions} short questions about what you enjoy and where you want to go, then I'll weigh your answers toward ${roles} and explain why. Nothing here asks who you are (age, gender, origin or family): only what you like doing.`;
  return { text, blocks: [section(text), context(controlsHint())] };
}

/** One question with a button per option (numbered, so typing the number works too) and the controls. */
export function buildQuestionView(session: QuestionnaireSession, factor: Factor): SlackMessage {
  const options = factor.options.map((option, index) =>
    button(
      `${index + 1}. ${option.label}`,
      QUESTIONNAIRE_ANSWER_ACTION.with(option.id),
      joinValue(session.id, factor.id),
    ),
  );
  const controls = [
    ...(session.step > 0 ? [button('← Back', QUESTIONNAIRE_CONTROL_ACTION.with('back'), session.id)] : []),
    button('Start over', QUESTIONNAIRE_CONTROL_ACTION.with('restart'), session.id),
    button('Cancel', QUESTIONNAIRE_CONTROL_ACTION.with('cancel'), session.id, 'danger'),
  ];
  const numbered = factor.options.map((option, index) => `${index + 1}) ${option.label}`).join('  ');
  return {
    text: truncate(`${progress(session)}: ${factor.question} ${numbered}`, BLOCK_KIT_LIMITS.messageText),
    blocks: [
      section(`*${progress(session)}*\n${factor.question}`, `question-${factor.id}`),
      context(`_${factor.why}_`),
      ...actions(options, `answers-${factor.id}`),
      ...actions(controls, `controls-${factor.id}`),
    ],
  };
}

/** The question message once answered (shown by chat.update): the chosen answer, no live buttons. */
export function buildAnsweredQuestionView(
  factor: Factor,
  option: FactorOption,
  position: string,
): SlackMessage {
  return {
    text: `${position}: ${factor.question} — ${option.label}`,
    blocks: [
      section(`*${position}*\n${factor.question}`),
      context(`✓ You answered: *${escapeMrkdwn(option.label)}*`),
    ],
  };
}

function strengthSentence(knowledge: Knowledge, result: QuestionnaireResult): string {
  const { summary, detail } = describeResult(knowledge, result);
  const lead = `*${escapeMrkdwn(summary)}*`;
  return `${lead}${detail ? `. ${escapeMrkdwn(detail)}` : ''}.`;
}

function contributionLines(knowledge: Knowledge, result: QuestionnaireResult, limit: number): string[] {
  return result.contributions
    .slice(0, limit)
    .map(
      (contribution) =>
        `• ${contribution.factor.question} — _${escapeMrkdwn(contribution.option.label)}_ → ${describeContribution(knowledge, contribution)}`,
    );
}

function resultSources(knowledge: Knowledge, result: QuestionnaireResult): string {
  const sectionIds = [
    ...result.contributions.flatMap((contribution) => contribution.factor.sources),
    ...knowledge.principles.flatMap((principle) => principle.sources),
    ...(result.leanRoleId ? (knowledge.rolesById.get(result.leanRoleId)?.sources ?? []) : []),
  ];
  return buildSourceLine(knowledge, sectionIds);
}

/** The recommendation, with why, what would change it, what to build next, and what both paths share. */
export function buildResultView(
  knowledge: Knowledge,
  result: QuestionnaireResult,
  resultId: string,
): SlackMessage {
  const leaning = result.leanRoleId ? knowledge.rolesById.get(result.leanRoleId) : undefined;
  const skillRoles = leaning ? [leaning] : knowledge.paths;
  // What the person brings comes first: an engineer's gaps are not a banker's.
  const tailored = (lines: (option: FactorOption) => string[]) =>
    result.advice.flatMap((option) => lines(option).map((line) => `• ${line}`));
  const skills = [
    ...tailored((option) => option.skillsToBuild),
    ...skillRoles.flatMap((role) =>
      (leaning ? role.skillsToBuild : role.skillsToBuild.slice(0, 3)).map(
        (skill) => `• ${skill}${leaning ? '' : ` (${role.shortName})`}`,
      ),
    ),
  ];
  const steps = [
    ...tailored((option) => option.nextSteps),
    ...skillRoles.flatMap((role) =>
      (leaning ? role.nextSteps : role.nextSteps.slice(0, 2)).map((step) => `• ${step}`),
    ),
  ];
  const pivot = result.pivot
    ? `If you had answered _${escapeMrkdwn(result.pivot.to.label)}_ instead of _${escapeMrkdwn(result.pivot.from.label)}_ to “${result.pivot.factor.question}”, the result would ${
        result.pivot.leanRoleIdAfter
          ? `lean toward *${roleName(knowledge, result.pivot.leanRoleIdAfter)}*`
          : 'be *balanced*'
      }.`
    : 'No single answer would change the result: it is consistent across your answers.';
  const sources = resultSources(knowledge, result);
  const blocks: KnownBlock[] = [
    header(leaning ? `Your result: leaning ${leaning.name}` : 'Your result: balanced'),
    section(strengthSentence(knowledge, result)),
    section(`*What pushed it*\n${contributionLines(knowledge, result, 10).join('\n')}`),
    section(`*What would change it*\n${pivot}`),
    divider(),
    section(`*Skills to build${leaning ? ` for ${leaning.shortName}` : ''}*\n${skills.join('\n')}`),
    section(`*Next steps*\n${steps.join('\n')}`),
    ...(knowledge.principles.length > 0
      ? [
          section(
            `*What both paths share*\n${knowledge.principles.map((principle) => `• ${principle.text}`).join('\n')}`,
          ),
        ]
      : []),
    ...(sources ? [context(sources)] : []),
    ...actions(
      [
        button('Retake', QUESTIONNAIRE_START_ACTION, 'retake'),
        ...knowledge.dimensions.map((dimension) =>
          button(`Compare: ${dimension.title}`, COMPARE_DIMENSION_ACTION.with(dimension.id), dimension.id),
        ),
      ],
      'result-actions',
    ),
    {
      type: 'actions',
      block_id: QUESTIONNAIRE_SHARE_BLOCK.with(resultId),
      elements: [
        {
          type: 'conversations_select',
          action_id: QUESTIONNAIRE_SHARE_ACTION,
          placeholder: { type: 'plain_text', text: 'Share this result in a channel…' },
          filter: { include: ['public', 'private'], exclude_bot_users: true },
        },
      ],
    },
  ];
  return {
    text: truncate(
      `Your result: ${leaning ? `leaning ${leaning.name}` : 'balanced'}. ${strengthSentence(knowledge, result)}`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks,
  };
}

/** The short, public version of a result that a person chose to share in a channel. */
export function buildSharedResultView(
  knowledge: Knowledge,
  result: QuestionnaireResult,
  userId: string,
): SlackMessage {
  const lean = result.leanRoleId
    ? `leans toward ${roleName(knowledge, result.leanRoleId)}`
    : 'is balanced between the paths';
  return {
    text: `<@${userId}>'s pm-advisor result ${lean}.`,
    blocks: [
      section(`<@${userId}>'s career check ${lean}.\n${strengthSentence(knowledge, result)}`),
      section(`*What pushed it*\n${contributionLines(knowledge, result, 3).join('\n')}`),
      context(`Shared by <@${userId}> · try it yourself: send me a DM saying *help me choose*`),
    ],
  };
}

/** When a result was saved, as people read it: "2026-11-27 10:00 UTC". */
export function resultDate(result: SavedResult): string {
  return `${result.at.slice(0, 16).replace('T', ' ')} UTC`;
}

/** A result in a few words: "strong lean toward IT Product Management" or "balanced between the paths". */
export function resultLean(knowledge: Knowledge, result: { leanRoleId?: string; strength: string }): string {
  return result.leanRoleId
    ? `${result.strength} lean toward ${roleName(knowledge, result.leanRoleId)}`
    : 'balanced between the paths';
}

/**
 * A past result as one line with a button that opens it in full (in the DM). It is scored again from its answers,
 * as opening it does, so the line and the full result agree.
 */
export function buildResultLine(knowledge: Knowledge, saved: SavedResult): KnownBlock {
  const result = scoreAnswers(knowledge, saved.answers);
  const { summary } = describeResult(knowledge, result);
  return {
    type: 'section',
    text: {
      type: 'mrkdwn',
      text: truncate(
        `*${resultDate(saved)}* — ${resultLean(knowledge, result)}\n${escapeMrkdwn(summary)}`,
        BLOCK_KIT_LIMITS.sectionText,
      ),
    },
    accessory: button('Open', RESULT_OPEN_ACTION, saved.id),
  };
}

/** How many past results "my results" lists (each one block). */
export const HISTORY_LIMIT = 20;

/** Past results, newest first, each with a button that opens it in full. */
export function buildHistoryView(knowledge: Knowledge, results: readonly SavedResult[]): SlackMessage {
  if (results.length === 0)
    return buildNote('You have no saved results yet. Say *start* to take the questionnaire.');
  const newest = [...results].reverse().slice(0, HISTORY_LIMIT);
  const more = results.length - newest.length;
  return {
    text: `Your past results: ${results.length}`,
    blocks: [
      section(`*Your past results* (${results.length}, newest first)`),
      ...newest.map((result) => buildResultLine(knowledge, result)),
      context(
        `${more > 0 ? `${more} older result(s) not shown. ` : ''}*Open* shows a result in full. Say *start* to take it again, or *forget me* to delete them.`,
      ),
    ],
  };
}

/** "forget me" asks first: the deletion cannot be undone. */
export function buildForgetConfirmView(): SlackMessage {
  const text =
    'This deletes everything I store about you: a questionnaire in progress, your answers and results, the questions you asked me and your feedback votes. It cannot be undone. Delete it all?';
  return {
    text,
    blocks: [
      section(text),
      ...actions(
        [
          button('Delete everything', FORGET_CONFIRM_ACTION, 'forget', 'danger'),
          button('Keep it', FORGET_CANCEL_ACTION, 'keep'),
        ],
        'forget-actions',
      ),
    ],
  };
}
