import type { Button, KnownBlock } from '@slack/types';
import { FEEDBACK_REASON_LABELS, OFFERED_FEEDBACK_REASONS, type Vote } from '../advisor/feedback.js';
import { ANSWER_THRESHOLDS, type QaOutcome } from '../advisor/qa.js';
import type { Entry, Knowledge } from '../knowledge/knowledge.js';
import {
  PM_COMPARE_COMMAND,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
  QUESTIONNAIRE_START_ACTION,
} from '../slack-ids.js';
import { escapeMrkdwn } from '../slack-text.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  buildNote,
  button,
  context,
  echo,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';
import { buildSourceLine } from './source-line.js';
import { cachedView } from './view-cache.js';

const MAX_RELATED = ANSWER_THRESHOLDS.maxRelated;

/** How much of a question part is echoed when the reply names a part it can't answer. */
const PART_ECHO_LIMIT = 90;

type Answer = Extract<QaOutcome, { kind: 'answer' }>;
type Partial = Extract<QaOutcome, { kind: 'partial' }>;
type Unknown = Extract<QaOutcome, { kind: 'unknown' }>;

function relatedButtons(entries: readonly Entry[]): Button[] {
  return entries.map((entry) => button(entry.title, QA_RELATED_ACTION.with(entry.id), entry.id));
}

function relatedBlocks(entries: readonly Entry[], label: string): KnownBlock[] {
  const shown = entries.slice(0, MAX_RELATED);
  return shown.length > 0 ? [context(label), ...actions(relatedButtons(shown), 'qa-related')] : [];
}

function feedbackBlocks(answerId: string): KnownBlock[] {
  // No stored answer to attach a vote to (the log could not be written): no buttons that could only fail.
  if (!answerId) return [];
  return actions(
    [
      button('👍 Helpful', QA_HELPFUL_ACTION, answerId),
      button('👎 Not helpful', QA_NOT_HELPFUL_ACTION, answerId),
    ],
    'qa-feedback',
  );
}

function questionnaireOffer(): KnownBlock[] {
  return [
    section(
      'Which path fits *you* depends on you. A short questionnaire in a DM weighs your answers and explains its advice.',
    ),
    ...actions([button('Find my path', QUESTIONNAIRE_START_ACTION, 'start', 'primary')], 'qa-offer'),
  ];
}

function sourceBlock(knowledge: Knowledge, entries: readonly Entry[]): KnownBlock[] {
  const line = buildSourceLine(
    knowledge,
    entries.flatMap((entry) => entry.sources),
  );
  return line ? [context(line)] : [];
}

/** The answer to one part: the verdict first for a yes/no question, then why. */
function answerText(entry: Entry, verdict: string | undefined, heading: boolean): string {
  const lead = verdict ? `*${verdict}.* ` : '';
  return `${heading ? `*${escapeMrkdwn(entry.title)}*\n` : ''}${lead}${entry.body}`;
}

function echoPart(text: string): string {
  return `“${echo(text, PART_ECHO_LIMIT)}”`;
}

/**
 * An answer from the knowledge store: each covered part answered (verdict first), the parts it can't answer
 * named, one source line, a `/pm-compare` pointer when a comparison was asked, related topics and feedback.
 */
export function buildAnswerView(knowledge: Knowledge, outcome: Answer, answerId: string): SlackMessage {
  const answered = outcome.parts.flatMap((part) => (part.kind === 'answered' ? [part] : []));
  const missing = outcome.parts.filter((part) => part.kind !== 'answered');
  const headings = answered.length > 1;
  const blocks: KnownBlock[] = answered.map((part) =>
    section(answerText(part.entry, part.verdict, headings), `entry-${part.entry.id}`),
  );
  if (missing.length > 0) {
    const named = missing.map((part) => echoPart(part.part.text)).join(', ');
    blocks.push(section(`I can't answer ${missing.length > 1 ? 'these parts' : 'this part'} yet: ${named}.`));
  }
  blocks.push(...sourceBlock(knowledge, outcome.entries));
  if (outcome.dimension) {
    blocks.push(
      context(
        `Side by side: \`${PM_COMPARE_COMMAND} ${outcome.dimension.id}\` · all topics: \`${PM_COMPARE_COMMAND} help\``,
      ),
    );
  }
  if (outcome.offerQuestionnaire) blocks.push(...questionnaireOffer());
  const touched = missing.flatMap((part) => (part.kind === 'touches' ? [part.entry] : []));
  const related = [...new Set([...touched, ...outcome.related])].filter(
    (entry) => !outcome.entries.includes(entry),
  );
  blocks.push(...relatedBlocks(related, 'Related topics'), ...feedbackBlocks(answerId));
  const [first] = answered;
  return {
    text: truncate(
      first ? `${first.verdict ? `${first.verdict}. ` : ''}${first.entry.body}` : 'Answer',
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks,
  };
}

/** Nothing answers the question directly; the closest entry is offered for what it is, not as the answer. */
export function buildPartialAnswerView(
  knowledge: Knowledge,
  outcome: Partial,
  answerId: string,
): SlackMessage {
  const lead = `I can't answer that directly. What I can tell you about *${escapeMrkdwn(outcome.entry.title)}*:`;
  return {
    text: `I can't answer that directly. What I can tell you: ${outcome.entry.body}`,
    blocks: [
      section(`${lead}\n${outcome.entry.body}`, `entry-${outcome.entry.id}`),
      ...sourceBlock(knowledge, [outcome.entry]),
      ...(outcome.offerQuestionnaire ? questionnaireOffer() : []),
      ...relatedBlocks(outcome.related, 'Related topics'),
      ...feedbackBlocks(answerId),
    ],
  };
}

/** The honest "I don't know": short, naming an uncovered title when that is why, with close topics only. */
export function buildUnknownAnswerView(knowledge: Knowledge, outcome: Unknown): SlackMessage {
  const roles = knowledge.paths.map((role) => role.name).join(' and ');
  const names = outcome.titles.map((title) => title.name);
  const lead =
    names.length > 0
      ? `I can't answer that: I don't cover ${escapeMrkdwn(names.join(' or '))} yet, only ${roles}.`
      : `I can't answer that yet: it's beyond what I know about ${roles}.`;
  return {
    text: lead.replace(/\*/g, ''),
    blocks: [
      section(`${lead} I've noted the question so the knowledge can grow.`),
      ...relatedBlocks(outcome.closest, 'Closest topics I know'),
      ...(outcome.offerQuestionnaire ? questionnaireOffer() : []),
    ],
  };
}

/** A question outside product roles: what the advisor covers, with example questions. No questionnaire invite. */
export function buildOutOfScopeView(
  knowledge: Knowledge,
  reason: Extract<QaOutcome, { kind: 'out-of-scope' }>['reason'],
): SlackMessage {
  const roles = knowledge.paths.map((role) => role.name).join(' and ');
  const opening = {
    'about-the-bot': "I'm a bot, so I have no career of my own to tell.",
    forecast: "I can't predict what will happen.",
    'other-subject': "That's outside what I cover.",
  }[reason];
  const covers = `I help people choose between ${roles}: what the roles involve, the skills they ask for, and how to decide.`;
  const examples = knowledge.scope.examples.slice(0, 3).map((example) => `• ${escapeMrkdwn(example)}`);
  return {
    text: `${opening} ${covers}`,
    blocks: [
      section(`${opening} ${covers}${examples.length > 0 ? `\nTry asking:\n${examples.join('\n')}` : ''}`),
    ],
  };
}

/** What the advisor does, for "help" or "what can you do?" in a channel or with no question at all. */
export function buildCapabilitiesView(knowledge: Knowledge): SlackMessage {
  return cachedView(knowledge, 'capabilities', () => capabilitiesView(knowledge));
}

function capabilitiesView(knowledge: Knowledge): SlackMessage {
  const roles = knowledge.paths.map((role) => role.name).join(' and ');
  const examples = knowledge.scope.examples.slice(0, 3).map((example) => `• ${escapeMrkdwn(example)}`);
  const lines = [
    `I help people choose between ${roles}. Three things I do:`,
    `• *Compare the roles* side by side: \`${PM_COMPARE_COMMAND}\`, or \`${PM_COMPARE_COMMAND} help\` for the topics.`,
    '• *Help you choose*: say *help me choose* in a DM with me for a short questionnaire that explains its advice.',
    '• *Answer questions*: mention me in a channel or write to me in a DM.',
  ];
  return {
    text: `I help people choose between ${roles}: /pm-compare, a questionnaire in DMs, and answers to questions.`,
    blocks: [
      section(lines.join('\n')),
      ...(examples.length > 0 ? [context(`For example:\n${examples.join('\n')}`)] : []),
    ],
  };
}

/** The reply to any Q&A outcome; `answerId` is the stored answer the feedback buttons refer to. */
export function buildQaReplyView(knowledge: Knowledge, outcome: QaOutcome, answerId: string): SlackMessage {
  switch (outcome.kind) {
    case 'empty':
      return buildCapabilitiesView(knowledge);
    case 'out-of-scope':
      return buildOutOfScopeView(knowledge, outcome.reason);
    case 'unknown':
      return buildUnknownAnswerView(knowledge, outcome);
    case 'partial':
      return buildPartialAnswerView(knowledge, outcome, answerId);
    case 'answer':
      return buildAnswerView(knowledge, outcome, answerId);
  }
}

/** One entry on its own, shown to the person who clicked a related topic. */
export function buildEntryView(knowledge: Knowledge, entry: Entry): SlackMessage {
  return cachedView(knowledge, `entry ${entry.id}`, () => entryView(knowledge, entry));
}

function entryView(knowledge: Knowledge, entry: Entry): SlackMessage {
  const related = entry.related.flatMap((id) => knowledge.entriesById.get(id) ?? []);
  return {
    text: truncate(`${entry.title}: ${entry.body}`, BLOCK_KIT_LIMITS.messageText),
    blocks: [
      section(`*${escapeMrkdwn(entry.title)}*\n${entry.body}`, `entry-${entry.id}`),
      ...sourceBlock(knowledge, [entry]),
      ...relatedBlocks(related, 'Related topics'),
    ],
  };
}

function capitalize(text: string): string {
  return `${text.charAt(0).toUpperCase()}${text.slice(1)}`;
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
        OFFERED_FEEDBACK_REASONS.map((reason) =>
          button(capitalize(FEEDBACK_REASON_LABELS[reason]), QA_REASON_ACTION.with(reason), answerId),
        ),
        'qa-reasons',
      ),
    ],
  };
}

/** Above an answer that went to the asker's DM because it could not be posted where they asked. */
export function buildCouldNotPostThereNote(channelId: string): SlackMessage {
  return buildNote(`I couldn't post my answer in <#${channelId}>, so here it is.`);
}
