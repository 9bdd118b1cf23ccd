import type { Button, KnownBlock } from '@slack/types';
import type { CompareRequest } from '../advisor/compare-request.js';
import { compareSubcommands } from '../advisor/compare-request.js';
import type { Dimension, Knowledge } from '../knowledge/knowledge.js';
import {
  COMPARE_DIMENSION_ACTION_PREFIX,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_SHARE_ACTION,
  OVERVIEW_VALUE,
  PM_COMPARE_COMMAND,
  QUIZ_START_ACTION,
} from '../listeners/ids.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  button,
  context,
  divider,
  escapeMrkdwn,
  fieldsSection,
  header,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';
import { buildSourceLine } from './source-line.js';

export interface CompareViewOptions {
  /** Who shared it publicly; a shared message has no "Share" button. */
  sharedBy?: string;
}

const ECHO_LIMIT = 200;

function bullets(points: readonly string[]): string {
  return points.map((point) => `• ${point}`).join('\n');
}

function rolesVersus(knowledge: Knowledge, useShortNames: boolean): string {
  return knowledge.roles.map((role) => (useShortNames ? role.shortName : role.name)).join(' vs ');
}

function dimensionButton(dimension: Dimension): Button {
  return button(dimension.title, `${COMPARE_DIMENSION_ACTION_PREFIX}${dimension.id}`, dimension.id);
}

function navigationButtons(
  knowledge: Knowledge,
  shareValue: string,
  options: CompareViewOptions,
  except?: string,
): Button[] {
  const buttons: Button[] = [];
  if (!options.sharedBy)
    buttons.push(button('Share in channel', COMPARE_SHARE_ACTION, shareValue, 'primary'));
  buttons.push(button('Find my path', QUIZ_START_ACTION, 'start'));
  if (except) buttons.push(button('Overview', COMPARE_OVERVIEW_ACTION, OVERVIEW_VALUE));
  for (const dimension of knowledge.dimensions)
    if (dimension.id !== except) buttons.push(dimensionButton(dimension));
  return buttons;
}

function sharedByLine(options: CompareViewOptions): KnownBlock[] {
  return options.sharedBy ? [context(`Shared by <@${options.sharedBy}> with \`${PM_COMPARE_COMMAND}\``)] : [];
}

/** One section a dimension, one column a role: the heart of the side-by-side comparison. */
export function buildDimensionRows(knowledge: Knowledge, dimensions: readonly Dimension[]): KnownBlock[] {
  return dimensions.map((dimension) =>
    fieldsSection(
      knowledge.roles.map((role) => `*${role.shortName}*\n${dimension.roles[role.id]?.summary ?? '—'}`),
      { title: `*${dimension.title}*`, blockId: `dimension-${dimension.id}` },
    ),
  );
}

export function buildRoleSummaries(knowledge: Knowledge): KnownBlock {
  return fieldsSection(knowledge.roles.map((role) => `*${role.name}*\n${role.summary}`));
}

export function compareSourceLine(knowledge: Knowledge): KnownBlock {
  return context(
    buildSourceLine(
      knowledge,
      knowledge.dimensions.flatMap((dimension) => dimension.sources),
    ),
  );
}

/** Both roles side by side: one section a dimension, one column a role. */
export function buildCompareOverviewView(
  knowledge: Knowledge,
  options: CompareViewOptions = {},
): SlackMessage {
  const fixed: KnownBlock[] = [
    header(rolesVersus(knowledge, false)),
    buildRoleSummaries(knowledge),
    divider(),
  ];
  const actionBlocks = actions(navigationButtons(knowledge, OVERVIEW_VALUE, options), 'compare-actions');
  const footer = [compareSourceLine(knowledge), ...sharedByLine(options)];
  const room = BLOCK_KIT_LIMITS.blocksPerMessage - fixed.length - actionBlocks.length - footer.length - 1;
  const shown = knowledge.dimensions.slice(0, room);
  const more =
    shown.length < knowledge.dimensions.length
      ? [
          context(
            `…and ${knowledge.dimensions.length - shown.length} more topics: \`${PM_COMPARE_COMMAND} help\``,
          ),
        ]
      : [];
  return {
    text: truncate(
      `${rolesVersus(knowledge, false)}: compared on ${knowledge.dimensions.map((d) => d.title.toLowerCase()).join(', ')}.`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [...fixed, ...buildDimensionRows(knowledge, shown), ...more, ...actionBlocks, ...footer],
  };
}

/** One dimension in depth for every role, plus what the roles share on it. */
export function buildDimensionView(
  knowledge: Knowledge,
  dimension: Dimension,
  options: CompareViewOptions = {},
): SlackMessage {
  const roleBlocks = knowledge.roles.map((role) => {
    const cell = dimension.roles[role.id];
    return section(
      `*${role.name}*\n${cell ? `${cell.summary}\n${bullets(cell.points)}` : '—'}`,
      `role-${role.id}`,
    );
  });
  const shared =
    dimension.shared.length > 0 ? [section(`*What both share*\n${bullets(dimension.shared)}`, 'shared')] : [];
  return {
    text: truncate(
      `${dimension.title}: ${rolesVersus(knowledge, false)}. ${dimension.description}`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [
      header(`${dimension.title}: ${rolesVersus(knowledge, true)}`),
      context(`_${dimension.description}_`),
      ...roleBlocks,
      ...shared,
      ...actions(navigationButtons(knowledge, dimension.id, options, dimension.id), 'compare-actions'),
      context(buildSourceLine(knowledge, dimension.sources)),
      ...sharedByLine(options),
    ],
  };
}

/** Usage of `/pm-compare`, generated from the subcommand registry and the knowledge's dimensions. */
export function compareUsageLines(knowledge: Knowledge): string[] {
  return [
    `\`${PM_COMPARE_COMMAND}\` — ${rolesVersus(knowledge, false)}, side by side`,
    `\`${PM_COMPARE_COMMAND} <topic>\` — one topic in depth, e.g. \`${PM_COMPARE_COMMAND} ${knowledge.dimensions[0]?.id ?? ''}\``,
    ...compareSubcommands.map(
      (command) => `\`${PM_COMPARE_COMMAND} ${command.id}\` — ${command.description}`,
    ),
  ];
}

export function buildCompareHelpView(knowledge: Knowledge): SlackMessage {
  const topicLines = knowledge.dimensions.map((dimension) => {
    const aliases = dimension.aliases.slice(0, 4).map((alias) => `\`${alias}\``);
    return `• \`${dimension.id}\` — ${dimension.description}${aliases.length > 0 ? ` (also ${aliases.join(', ')})` : ''}`;
  });
  // A long topic list is split over several sections so each stays under the section text limit.
  const topicSections: KnownBlock[] = [];
  let chunk = '*Topics*';
  for (const line of topicLines) {
    if (chunk.length + line.length + 1 > BLOCK_KIT_LIMITS.sectionText) {
      topicSections.push(section(chunk));
      chunk = line;
    } else chunk = `${chunk}\n${line}`;
  }
  topicSections.push(section(chunk));
  return {
    text: truncate(
      `How to use ${PM_COMPARE_COMMAND}: ${knowledge.dimensions.map((d) => d.id).join(', ')}, ${compareSubcommands.map((c) => c.id).join(', ')}.`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [
      header(`How to use ${PM_COMPARE_COMMAND}`),
      section(compareUsageLines(knowledge).join('\n')),
      ...topicSections.slice(0, BLOCK_KIT_LIMITS.blocksPerMessage - 4),
      context('Case and extra words do not matter: `/pm-compare Skills please` works too.'),
      context(
        buildSourceLine(
          knowledge,
          knowledge.dimensions.flatMap((dimension) => dimension.sources),
        ),
      ),
    ],
  };
}

/** The answer to text that names no topic: what was not understood, and the nearest topic when there is one. */
export function buildNotUnderstoodView(
  knowledge: Knowledge,
  input: string,
  suggestion?: Dimension,
): SlackMessage {
  const echoed = escapeMrkdwn(truncate(input.replace(/\s+/g, ' '), ECHO_LIMIT));
  const topics = knowledge.dimensions.map((dimension) => `\`${dimension.id}\``).join(', ');
  const hint = suggestion ? `Did you mean *${escapeMrkdwn(suggestion.title)}*?` : `Topics I know: ${topics}.`;
  const buttons = [
    ...(suggestion ? [dimensionButton(suggestion)] : []),
    button('Overview', COMPARE_OVERVIEW_ACTION, OVERVIEW_VALUE),
    button('Help', COMPARE_HELP_ACTION, 'help'),
  ];
  return {
    text: truncate(`I didn't understand "${echoed}". ${hint}`, BLOCK_KIT_LIMITS.messageText),
    blocks: [section(`I didn't understand “${echoed}”. ${hint}`), ...actions(buttons, 'compare-actions')],
  };
}

/** The message for a parsed `/pm-compare` request. */
export function buildCompareView(
  knowledge: Knowledge,
  request: CompareRequest,
  options: CompareViewOptions = {},
): SlackMessage {
  switch (request.kind) {
    case 'overview':
      return buildCompareOverviewView(knowledge, options);
    case 'dimension':
      return buildDimensionView(knowledge, request.dimension, options);
    case 'help':
      return buildCompareHelpView(knowledge);
    case 'unknown':
      return buildNotUnderstoodView(knowledge, request.input, request.suggestion);
    case 'quiz':
      return {
        text: 'I sent you a direct message with the first question.',
        blocks: [section('I sent you a direct message with the first question of the career conversation.')],
      };
  }
}
