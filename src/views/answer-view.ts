import type { Button, KnownBlock } from '@slack/types';
import type { QaOutcome } from '../advisor/qa.js';
import { describeSources, type Entry, type Knowledge } from '../knowledge/knowledge.js';
import {
  PM_COMPARE_COMMAND,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION_PREFIX,
  QA_RELATED_ACTION_PREFIX,
  QUIZ_START_ACTION,
} from '../listeners/ids.js';
import { FEEDBACK_REASONS, type Vote } from '../store/advisor-store.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  button,
  context,
  escapeMrkdwn,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';

const ECHO_LIMIT = 200;

function entrySource(knowledge: Knowledge, entry: Entry): string {
  const sections = describeSources(knowledge, entry.sources);
  return `Source: *${escapeMrkdwn(entry.title)}* (knowledge entry \`${entry.id}\`) · ${escapeMrkdwn(sections.join('; '))}`;
}

function relatedButtons(entries: readonly Entry[]): Button[] {
  return entries.map((entry) => button(entry.title, `${QA_RELATED_ACTION_PREFIX}${entry.id}`, entry.id));
}

function entryBlocks(knowledge: Knowledge, entry: Entry): KnownBlock[] {
  return [
    section(`*${escapeMrkdwn(entry.title)}*\n${entry.body}`, `entry-${entry.id}`),
    context(entrySource(knowledge, entry)),
  ];
}

/** An answer from the knowledge store: the entries, their sources, a pointer, related topics and feedback buttons. */
export function buildAnswerView(
  knowledge: Knowledge,
  outcome: Extract<QaOutcome, { kind: 'answer' }>,
  answerId: string,
  options: { offerQuestionnaire?: boolean } = {},
): SlackMessage {
  const [first] = outcome.entries;
  const offer = options.offerQuestionnaire
    ? [
        section(
          'Deciding for yourself? A short conversation in a DM weighs your answers and explains its advice.',
        ),
        ...actions([button('Find my path', QUIZ_START_ACTION, 'start', 'primary')], 'qa-offer'),
      ]
    : [];
  const pointer = outcome.dimension
    ? [
        context(
          `Side by side: \`${PM_COMPARE_COMMAND} ${outcome.dimension.id}\` · all topics: \`${PM_COMPARE_COMMAND} help\``,
        ),
      ]
    : [];
  const related =
    outcome.related.length > 0
      ? [section('*Related topics*'), ...actions(relatedButtons(outcome.related), 'qa-related')]
      : [];
  return {
    text: truncate(first ? `${first.title}: ${first.body}` : 'Answer', BLOCK_KIT_LIMITS.messageText),
    blocks: [
      ...outcome.entries.flatMap((entry) => entryBlocks(knowledge, entry)),
      ...pointer,
      ...offer,
      ...related,
      ...actions(
        [
          button('👍 Helpful', QA_HELPFUL_ACTION, answerId),
          button('👎 Not helpful', QA_NOT_HELPFUL_ACTION, answerId),
        ],
        'qa-feedback',
      ),
    ],
  };
}

/** The honest "I don't know", with the closest topics to try instead. */
export function buildUnknownAnswerView(
  knowledge: Knowledge,
  question: string,
  closest: readonly Entry[],
): SlackMessage {
  const echoed = escapeMrkdwn(truncate(question.replace(/\s+/g, ' ').trim(), ECHO_LIMIT));
  const lead = `I don't have a good answer for “${echoed}” yet. I've noted the question so the knowledge can grow.`;
  const topics = knowledge.dimensions.map((dimension) => dimension.title.toLowerCase()).join(', ');
  return {
    text: `I don't have a good answer for that yet.`,
    blocks: [
      section(lead),
      ...(closest.length > 0
        ? [section('*Closest topics I know*'), ...actions(relatedButtons(closest), 'qa-related')]
        : []),
      context(`I can compare the two roles on ${escapeMrkdwn(topics)}: try \`${PM_COMPARE_COMMAND} help\`.`),
    ],
  };
}

/** A mention with no question in it: what the bot can do. */
export function buildAskMeView(knowledge: Knowledge): SlackMessage {
  const roles = knowledge.roles.map((role) => role.name).join(' and ');
  const examples = knowledge.entries.slice(0, 3).map((entry) => `• ${entry.title}`);
  return {
    text: `Ask me anything about ${roles}.`,
    blocks: [
      section(`Ask me anything about ${roles}, for example:\n${examples.join('\n')}`),
      context(`Or compare them side by side with \`${PM_COMPARE_COMMAND}\`.`),
    ],
  };
}

/** One entry on its own, shown to the person who clicked a related topic. */
export function buildEntryView(knowledge: Knowledge, entry: Entry): SlackMessage {
  const related = entry.related.flatMap((id) => knowledge.entriesById.get(id) ?? []);
  return {
    text: truncate(`${entry.title}: ${entry.body}`, BLOCK_KIT_LIMITS.messageText),
    blocks: [
      ...entryBlocks(knowledge, entry),
      ...(related.length > 0 ? actions(relatedButtons(related.slice(0, 3)), 'qa-related') : []),
    ],
  };
}

/** The private confirmation of a vote; after "Not helpful" it offers the optional reasons. */
export function buildVoteConfirmationView(
  vote: Vote,
  previous: Vote | undefined,
  answerId: string,
): SlackMessage {
  const changed = previous && previous !== vote ? ' (changed from your earlier vote)' : '';
  if (vote === 'helpful') {
    return {
      text: `Thanks! Your vote was recorded${changed}.`,
      blocks: [section(`Thanks! Your vote was recorded${changed}. Only you can see this.`)],
    };
  }
  return {
    text: `Thanks, noted${changed}. What was wrong with it?`,
    blocks: [
      section(
        `Thanks, noted${changed}. If you like, tell me what was wrong with it (optional, only you can see this):`,
      ),
      ...actions(
        FEEDBACK_REASONS.map((reason) =>
          button(reason.replace('-', ' '), `${QA_REASON_ACTION_PREFIX}${reason}`, answerId),
        ),
        'qa-reasons',
      ),
    ],
  };
}
