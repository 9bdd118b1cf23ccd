import type {
  ActionsBlock,
  Button,
  ContextBlock,
  DividerBlock,
  HeaderBlock,
  KnownBlock,
  SectionBlock,
} from '@slack/types';
import { escapeMrkdwn } from '../slack-text.js';

/** Slack's documented Block Kit limits for messages (https://docs.slack.dev/reference/block-kit/blocks). */
export const BLOCK_KIT_LIMITS = {
  blocksPerMessage: 50,
  headerText: 150,
  sectionText: 3000,
  sectionFields: 10,
  sectionFieldText: 2000,
  contextElements: 10,
  contextText: 3000,
  actionsElements: 25,
  buttonText: 75,
  buttonValue: 2000,
  actionId: 255,
  blockId: 255,
  /** Slack truncates message text longer than this. */
  messageText: 4000,
} as const;

/** A message the app sends: blocks plus the fallback text used in notifications and screen readers. */
export interface SlackMessage {
  text: string;
  blocks: KnownBlock[];
}

/** A message of one short section. */
export function buildNote(text: string): SlackMessage {
  return { text, blocks: [section(text)] };
}

/** What a person sees when something broke on our side; the details go to the log, never to Slack. */
export const SORRY_TEXT = 'Sorry, something went wrong on my side. Please try again in a moment.';
/** What a person sees when what they did could not be saved (the disk is full or read-only). */
export const COULD_NOT_SAVE_TEXT = "Sorry, I couldn't save that. Please try again in a minute.";

/** How much of a person's own words a reply quotes back. */
export const ECHO_LIMIT = 200;

/** A person's words quoted back in mrkdwn: on one line, at most `max` characters, unable to ping or link. */
export function echo(text: string, max = ECHO_LIMIT): string {
  return escapeMrkdwn(truncateWords(text, max));
}

/** Shortens text to at most `max` characters, ending in an ellipsis when it had to cut. */
export function truncate(text: string, max: number): string {
  return text.length <= max ? text : `${text.slice(0, max - 1).trimEnd()}…`;
}

/** Shortens text to at most `max` characters at a word boundary, so an echo never ends mid-word. */
export function truncateWords(text: string, max: number): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  if (flat.length <= max) return flat;
  const cut = flat.slice(0, max - 1);
  const space = cut.lastIndexOf(' ');
  // (?<!…): the trailing run is matched from its start only, so "----…x" is scanned once, not once per "-".
  return `${(space > max / 2 ? cut.slice(0, space) : cut).replace(/(?<![\s,;:.!?-])[\s,;:.!?-]+$/, '')}…`;
}

export function header(text: string): HeaderBlock {
  return {
    type: 'header',
    text: { type: 'plain_text', text: truncate(text, BLOCK_KIT_LIMITS.headerText), emoji: true },
  };
}

export function section(mrkdwn: string, blockId?: string): SectionBlock {
  return {
    type: 'section',
    ...(blockId ? { block_id: blockId } : {}),
    text: { type: 'mrkdwn', text: truncate(mrkdwn, BLOCK_KIT_LIMITS.sectionText) },
  };
}

/** A section of side-by-side columns (Slack renders fields two to a row), with an optional title above them. */
export function fieldsSection(
  fields: string[],
  options: { title?: string; blockId?: string } = {},
): SectionBlock {
  return {
    type: 'section',
    ...(options.blockId ? { block_id: options.blockId } : {}),
    ...(options.title
      ? { text: { type: 'mrkdwn', text: truncate(options.title, BLOCK_KIT_LIMITS.sectionText) } }
      : {}),
    fields: fields
      .slice(0, BLOCK_KIT_LIMITS.sectionFields)
      .map((field) => ({ type: 'mrkdwn', text: truncate(field, BLOCK_KIT_LIMITS.sectionFieldText) })),
  };
}

export function context(...mrkdwn: string[]): ContextBlock {
  return {
    type: 'context',
    elements: mrkdwn
      .slice(0, BLOCK_KIT_LIMITS.contextElements)
      .map((text) => ({ type: 'mrkdwn', text: truncate(text, BLOCK_KIT_LIMITS.contextText) })),
  };
}

export function divider(): DividerBlock {
  return { type: 'divider' };
}

export function button(text: string, actionId: string, value: string, style?: 'primary' | 'danger'): Button {
  return {
    type: 'button',
    text: { type: 'plain_text', text: truncate(text, BLOCK_KIT_LIMITS.buttonText), emoji: true },
    action_id: actionId,
    value,
    ...(style ? { style } : {}),
  };
}

/** One or more actions blocks: Slack allows 25 elements per block, so longer rows are split. */
export function actions(buttons: Button[], blockId?: string): ActionsBlock[] {
  const blocks: ActionsBlock[] = [];
  for (let start = 0; start < buttons.length; start += BLOCK_KIT_LIMITS.actionsElements) {
    const id = blockId && start > 0 ? `${blockId}-${start / BLOCK_KIT_LIMITS.actionsElements}` : blockId;
    blocks.push({
      type: 'actions',
      ...(id ? { block_id: id } : {}),
      elements: buttons.slice(start, start + BLOCK_KIT_LIMITS.actionsElements),
    });
  }
  return blocks;
}

/** Every way a message breaks Slack's Block Kit limits; empty when it is safe to send. */
export function findBlockKitProblems(message: SlackMessage): string[] {
  const L = BLOCK_KIT_LIMITS;
  const problems: string[] = [];
  const check = (ok: boolean, problem: string) => {
    if (!ok) problems.push(problem);
  };
  check(message.text.trim().length > 0, 'fallback text is empty');
  check(
    message.text.length <= L.messageText,
    `fallback text is ${message.text.length} > ${L.messageText} chars`,
  );
  check(
    message.blocks.length <= L.blocksPerMessage,
    `${message.blocks.length} blocks > ${L.blocksPerMessage}`,
  );
  const blockIds = new Set<string>();
  message.blocks.forEach((block, index) => {
    const at = `blocks[${index}] (${block.type})`;
    if (block.block_id !== undefined) {
      check(block.block_id.length <= L.blockId, `${at} block_id too long`);
      check(!blockIds.has(block.block_id), `${at} repeats block_id ${block.block_id}`);
      blockIds.add(block.block_id);
    }
    switch (block.type) {
      case 'header':
        check(
          block.text.text.length > 0 && block.text.text.length <= L.headerText,
          `${at} header text length ${block.text.text.length}`,
        );
        break;
      case 'section':
        check(Boolean(block.text || block.fields?.length), `${at} has neither text nor fields`);
        if (block.text) {
          check(
            block.text.text.length > 0 && block.text.text.length <= L.sectionText,
            `${at} text length ${block.text.text.length}`,
          );
        }
        if (block.fields) {
          check(block.fields.length <= L.sectionFields, `${at} has ${block.fields.length} fields`);
          for (const field of block.fields) {
            check(
              field.text.length > 0 && field.text.length <= L.sectionFieldText,
              `${at} field length ${field.text.length}`,
            );
          }
        }
        break;
      case 'context':
        check(
          block.elements.length > 0 && block.elements.length <= L.contextElements,
          `${at} has ${block.elements.length} elements`,
        );
        for (const element of block.elements) {
          if ('text' in element && typeof element.text === 'string') {
            check(
              element.text.length > 0 && element.text.length <= L.contextText,
              `${at} element text length`,
            );
          }
        }
        break;
      case 'actions': {
        check(
          block.elements.length > 0 && block.elements.length <= L.actionsElements,
          `${at} has ${block.elements.length} elements`,
        );
        const actionIds = new Set<string>();
        for (const element of block.elements) {
          if (element.type !== 'button') continue;
          const label = element.text.text;
          check(
            label.length > 0 && label.length <= L.buttonText,
            `${at} button "${label}" text length ${label.length}`,
          );
          check((element.value ?? '').length <= L.buttonValue, `${at} button "${label}" value too long`);
          const actionId = element.action_id ?? '';
          check(
            actionId.length > 0 && actionId.length <= L.actionId,
            `${at} button "${label}" action_id length`,
          );
          check(!actionIds.has(actionId), `${at} repeats action_id ${actionId}`);
          actionIds.add(actionId);
        }
        break;
      }
      default:
        break;
    }
  });
  return problems;
}
