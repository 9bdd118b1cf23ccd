import type { Button, KnownBlock } from '@slack/types';
import {
  type CompareRequest,
  type CompareTarget,
  compareSubcommands,
  compareTargetIds,
  defaultPair,
  type RolePair,
} from '../advisor/compare-request.js';
import type { Dimension, Knowledge } from '../knowledge/knowledge.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_PICK_ACTION,
  COMPARE_SHARE_ACTION,
  encodeCompareValue,
  OVERVIEW_VALUE,
  PM_COMPARE_COMMAND,
  QUESTIONNAIRE_START_ACTION,
} from '../slack-ids.js';
import { escapeMrkdwn } from '../slack-text.js';
import {
  actions,
  BLOCK_KIT_LIMITS,
  button,
  context,
  divider,
  echo,
  fieldsSection,
  header,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';
import { buildSourceLine } from './source-line.js';
import { cachedView } from './view-cache.js';

export interface CompareViewOptions {
  /** Who shared it publicly; a shared message has no "Share" button. */
  sharedBy?: string;
  /** The two roles compared; the first two paths when not given. */
  roles?: RolePair;
}

function bullets(points: readonly string[]): string {
  return points.map((point) => `• ${point}`).join('\n');
}

function rolesVersus(roles: RolePair, useShortNames: boolean): string {
  return roles.map((role) => (useShortNames ? role.shortName : role.name)).join(' vs ');
}

/** The dimensions on which both roles have something to say (every dimension, for two paths). */
export function sharedDimensions(knowledge: Knowledge, roles: RolePair): Dimension[] {
  return knowledge.dimensions.filter((dimension) => roles.every((role) => dimension.roles[role.id]));
}

/** A comparison as a button value. */
function compareValue(target: CompareTarget): string {
  return encodeCompareValue(compareTargetIds(target));
}

function dimensionButton(dimension: Dimension, roles: RolePair): Button {
  return button(
    dimension.title,
    COMPARE_DIMENSION_ACTION.with(dimension.id),
    compareValue({ roles, dimension }),
  );
}

function navigationButtons(
  knowledge: Knowledge,
  target: CompareTarget,
  options: CompareViewOptions,
): Button[] {
  const buttons: Button[] = [];
  if (!options.sharedBy)
    buttons.push(button('Share in channel', COMPARE_SHARE_ACTION, compareValue(target), 'primary'));
  buttons.push(button('Find my path', QUESTIONNAIRE_START_ACTION, 'start'));
  if (target.dimension) {
    const overview = compareValue({ roles: target.roles });
    buttons.push(button('Overview', COMPARE_OVERVIEW_ACTION, overview));
  }
  for (const dimension of sharedDimensions(knowledge, target.roles))
    if (dimension.id !== target.dimension?.id) buttons.push(dimensionButton(dimension, target.roles));
  return buttons;
}

function sharedByLine(options: CompareViewOptions): KnownBlock[] {
  return options.sharedBy ? [context(`Shared by <@${options.sharedBy}> with \`${PM_COMPARE_COMMAND}\``)] : [];
}

/** One section a dimension, one column a role: the heart of the side-by-side comparison. */
export function buildDimensionRows(
  knowledge: Knowledge,
  dimensions: readonly Dimension[],
  roles: RolePair = defaultPair(knowledge),
): KnownBlock[] {
  return dimensions.map((dimension) =>
    fieldsSection(
      roles.map((role) => `*${role.shortName}*\n${dimension.roles[role.id]?.summary ?? '—'}`),
      { title: `*${dimension.title}*`, blockId: `dimension-${dimension.id}` },
    ),
  );
}

export function buildRoleSummaries(roles: RolePair): KnownBlock {
  return fieldsSection(roles.map((role) => `*${role.name}*\n${role.summary}`));
}

/** The sources of what a comparison shows: the dimensions' and, for nearby roles, the roles' own. */
export function compareSourceLine(
  knowledge: Knowledge,
  dimensions: readonly Dimension[] = knowledge.dimensions,
  roles: RolePair = defaultPair(knowledge),
): KnownBlock {
  return context(
    buildSourceLine(knowledge, [
      ...dimensions.flatMap((dimension) => [
        ...dimension.sources,
        ...roles.flatMap((role) => dimension.roles[role.id]?.sources ?? []),
      ]),
      ...roles.flatMap((role) => role.sources),
    ]),
  );
}

/** Which two roles, as a cache key. */
function pairKey(roles: RolePair | undefined): string {
  return roles ? roles.map((role) => role.id).join('+') : 'default';
}

/** Two roles side by side: one section a dimension, one column a role. */
export function buildCompareOverviewView(
  knowledge: Knowledge,
  options: CompareViewOptions = {},
): SlackMessage {
  // A shared one names who shared it; the others are the same for everyone.
  if (options.sharedBy) return overviewView(knowledge, options);
  return cachedView(knowledge, `overview ${pairKey(options.roles)}`, () => overviewView(knowledge, options));
}

function overviewView(knowledge: Knowledge, options: CompareViewOptions): SlackMessage {
  const roles = options.roles ?? defaultPair(knowledge);
  const dimensions = sharedDimensions(knowledge, roles);
  const fixed: KnownBlock[] = [header(rolesVersus(roles, false)), buildRoleSummaries(roles), divider()];
  const actionBlocks = actions(navigationButtons(knowledge, { roles }, options), 'compare-actions');
  const footer = [compareSourceLine(knowledge, dimensions, roles), ...sharedByLine(options)];
  const room = BLOCK_KIT_LIMITS.blocksPerMessage - fixed.length - actionBlocks.length - footer.length - 1;
  const shown = dimensions.slice(0, room);
  const more =
    shown.length < dimensions.length
      ? [context(`…and ${dimensions.length - shown.length} more topics: \`${PM_COMPARE_COMMAND} help\``)]
      : [];
  return {
    text: truncate(
      `${rolesVersus(roles, false)}: compared on ${dimensions.map((d) => d.title.toLowerCase()).join(', ')}.`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [...fixed, ...buildDimensionRows(knowledge, shown, roles), ...more, ...actionBlocks, ...footer],
  };
}

/** One dimension in depth for every role, plus what the roles share on it. */
export function buildDimensionView(
  knowledge: Knowledge,
  dimension: Dimension,
  options: CompareViewOptions = {},
): SlackMessage {
  if (options.sharedBy) return dimensionView(knowledge, dimension, options);
  return cachedView(knowledge, `dimension ${dimension.id} ${pairKey(options.roles)}`, () =>
    dimensionView(knowledge, dimension, options),
  );
}

function dimensionView(
  knowledge: Knowledge,
  dimension: Dimension,
  options: CompareViewOptions,
): SlackMessage {
  const roles = options.roles ?? defaultPair(knowledge);
  const roleBlocks = roles.map((role) => {
    const cell = dimension.roles[role.id];
    return section(
      `*${role.name}*\n${cell ? `${cell.summary}\n${bullets(cell.points)}` : '—'}`,
      `role-${role.id}`,
    );
  });
  const shared =
    dimension.shared.length > 0 && roles.every((role) => role.path)
      ? [section(`*What both share*\n${bullets(dimension.shared)}`, 'shared')]
      : [];
  return {
    text: truncate(
      `${dimension.title}: ${rolesVersus(roles, false)}. ${dimension.description}`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [
      header(`${dimension.title}: ${rolesVersus(roles, true)}`),
      context(`_${dimension.description}_`),
      ...roleBlocks,
      ...shared,
      ...actions(navigationButtons(knowledge, { roles, dimension }, options), 'compare-actions'),
      compareSourceLine(knowledge, [dimension], roles),
      ...sharedByLine(options),
    ],
  };
}

/** Usage of `/pm-compare`, generated from the subcommand registry, the roles and the dimensions. */
export function compareUsageLines(knowledge: Knowledge): string[] {
  const [first] = knowledge.roles.filter((role) => !role.path);
  const example = first ? `${first.aliases[0] ?? first.shortName.toLowerCase()} pm` : 'it pm pm';
  return [
    `\`${PM_COMPARE_COMMAND}\` — ${rolesVersus(defaultPair(knowledge), false)}, side by side`,
    `\`${PM_COMPARE_COMMAND} <role> <role>\` — any two roles, e.g. \`${PM_COMPARE_COMMAND} ${example}\``,
    `\`${PM_COMPARE_COMMAND} <topic>\` — one topic in depth, e.g. \`${PM_COMPARE_COMMAND} ${knowledge.dimensions[0]?.id ?? ''}\``,
    ...compareSubcommands.map(
      (command) => `\`${PM_COMPARE_COMMAND} ${command.id}\` — ${command.description}`,
    ),
  ];
}

/** Lines into sections of at most Slack's section length, the first headed by `title`. */
function chunkedSections(title: string, lines: readonly string[]): KnownBlock[] {
  const sections: KnownBlock[] = [];
  let chunk = title;
  for (const line of lines) {
    if (chunk.length + line.length + 1 > BLOCK_KIT_LIMITS.sectionText) {
      sections.push(section(chunk));
      chunk = line;
    } else chunk = `${chunk}\n${line}`;
  }
  sections.push(section(chunk));
  return sections;
}

export function buildCompareHelpView(knowledge: Knowledge): SlackMessage {
  return cachedView(knowledge, 'compare help', () => compareHelpView(knowledge));
}

function compareHelpView(knowledge: Knowledge): SlackMessage {
  const roleLines = knowledge.roles.map((role) => {
    const aliases = role.aliases.slice(0, 5).map((alias) => `\`${alias}\``);
    return `• *${role.name}*${aliases.length > 0 ? ` — ${aliases.join(', ')}` : ''}`;
  });
  const topicLines = knowledge.dimensions.map((dimension) => {
    const aliases = dimension.aliases.slice(0, 4).map((alias) => `\`${alias}\``);
    return `• \`${dimension.id}\` — ${dimension.description}${aliases.length > 0 ? ` (also ${aliases.join(', ')})` : ''}`;
  });
  const lists = [...chunkedSections('*Roles*', roleLines), ...chunkedSections('*Topics*', topicLines)];
  return {
    text: truncate(
      `How to use ${PM_COMPARE_COMMAND}: roles ${knowledge.roles.map((r) => r.shortName).join(', ')}; topics ${knowledge.dimensions.map((d) => d.id).join(', ')}; ${compareSubcommands.map((c) => c.id).join(', ')}.`,
      BLOCK_KIT_LIMITS.messageText,
    ),
    blocks: [
      header(`How to use ${PM_COMPARE_COMMAND}`),
      section(compareUsageLines(knowledge).join('\n')),
      ...lists.slice(0, BLOCK_KIT_LIMITS.blocksPerMessage - 4),
      context('Case and extra words do not matter: `/pm-compare PO vs PM skills please` works too.'),
      compareSourceLine(knowledge),
    ],
  };
}

/** The answer to text that names no topic: what was not understood, and the nearest topic when there is one. */
export function buildNotUnderstoodView(
  knowledge: Knowledge,
  input: string,
  suggestion?: Dimension,
): SlackMessage {
  const echoed = echo(input);
  const topics = knowledge.dimensions.map((dimension) => `\`${dimension.id}\``).join(', ');
  const hint = suggestion ? `Did you mean *${escapeMrkdwn(suggestion.title)}*?` : `Topics I know: ${topics}.`;
  const buttons = [
    ...(suggestion ? [dimensionButton(suggestion, defaultPair(knowledge))] : []),
    button('Overview', COMPARE_OVERVIEW_ACTION, OVERVIEW_VALUE),
    button('Help', COMPARE_HELP_ACTION, 'help'),
  ];
  return {
    text: truncate(`I didn't understand "${echoed}". ${hint}`, BLOCK_KIT_LIMITS.messageText),
    blocks: [section(`I didn't understand “${echoed}”. ${hint}`), ...actions(buttons, 'compare-actions')],
  };
}

/** A title that names several roles ("tpm"): which comparison was meant, one button each. */
export function buildWhichRoleView(term: string, choices: readonly CompareTarget[]): SlackMessage {
  const echoed = echo(term);
  const names = choices.map((choice) => choice.roles[0].name);
  const question = `“${echoed}” can mean ${names.slice(0, -1).join(', ')} or ${names.at(-1)}. Which did you mean?`;
  const buttons = choices.map((choice, index) =>
    button(
      truncate(
        `${rolesVersus(choice.roles, true)}${choice.dimension ? `: ${choice.dimension.title}` : ''}`,
        75,
      ),
      COMPARE_PICK_ACTION.with(index),
      compareValue(choice),
    ),
  );
  return {
    text: truncate(question.replace(/[“”]/g, '"'), BLOCK_KIT_LIMITS.messageText),
    blocks: [section(question), ...actions(buttons, 'compare-pick')],
  };
}

/** The comparison a target names: the overview of its roles, or one dimension in depth. */
export function buildCompareTargetView(
  knowledge: Knowledge,
  target: CompareTarget,
  options: CompareViewOptions = {},
): SlackMessage {
  const withRoles = { ...options, roles: target.roles };
  return target.dimension
    ? buildDimensionView(knowledge, target.dimension, withRoles)
    : buildCompareOverviewView(knowledge, withRoles);
}

/** The message for a parsed `/pm-compare` request. */
export function buildCompareView(
  knowledge: Knowledge,
  request: CompareRequest,
  options: CompareViewOptions = {},
): SlackMessage {
  switch (request.kind) {
    case 'overview':
      return buildCompareOverviewView(knowledge, { ...options, roles: request.roles });
    case 'dimension':
      return buildDimensionView(knowledge, request.dimension, { ...options, roles: request.roles });
    case 'ambiguous':
      return buildWhichRoleView(request.term, request.choices);
    case 'help':
      return buildCompareHelpView(knowledge);
    case 'unknown':
      return buildNotUnderstoodView(knowledge, request.input, request.suggestion);
    case 'quiz':
      return {
        text: 'The questionnaire is in our direct message.',
        blocks: [
          section(
            'The questionnaire is in our direct message: its first question, or the one you are on if you have started it.',
          ),
        ],
      };
  }
}
