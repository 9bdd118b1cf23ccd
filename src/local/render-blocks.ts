import {
  flow,
  mrkdwnToTerminal,
  type Names,
  padVisible,
  paint,
  visibleLength,
  wrap,
} from './terminal-text.js';

/** The parts of Block Kit JSON the terminal shows; anything else is named, not dropped silently. */
interface TextObject {
  type?: string;
  text?: string;
}
interface BlockElement {
  type?: string;
  text?: TextObject | string;
  action_id?: string;
  value?: string;
  style?: string;
  url?: string;
  placeholder?: TextObject;
  alt_text?: string;
  elements?: BlockElement[];
  label?: TextObject;
}
export interface Block {
  type?: string;
  block_id?: string;
  text?: TextObject;
  fields?: TextObject[];
  accessory?: BlockElement;
  elements?: BlockElement[];
  alt_text?: string;
  title?: TextObject;
  label?: TextObject;
}

/** A button as shown (numbered from 1 in its message), with what a click on it must send. */
export interface RenderedButton {
  number: number;
  label: string;
  actionId: string;
  blockId: string;
  value?: string;
  style?: string;
  url?: string;
}

export interface RenderOptions {
  /** Columns available for the content. */
  width: number;
  color: boolean;
  names: Names;
}

export interface RenderedMessage {
  lines: string[];
  buttons: RenderedButton[];
}

const TWO_COLUMN_MIN_WIDTH = 20;
const SELECT_TYPES = new Set([
  'static_select',
  'external_select',
  'users_select',
  'conversations_select',
  'channels_select',
  'multi_static_select',
  'multi_external_select',
  'multi_users_select',
  'multi_conversations_select',
  'multi_channels_select',
]);

function textOf(value: TextObject | string | undefined, options: RenderOptions): string {
  if (value === undefined) return '';
  if (typeof value === 'string') return value;
  const text = value.text ?? '';
  return value.type === 'mrkdwn' ? mrkdwnToTerminal(text, options.names, options.color) : text;
}

/** Two fields a row, side by side like Slack shows them; one a row when the terminal is too narrow. */
function fieldRows(fields: TextObject[], options: RenderOptions): string[] {
  const texts = fields.map((field) => textOf(field, options));
  const column = Math.floor((options.width - 3) / 2);
  if (column < TWO_COLUMN_MIN_WIDTH) return texts.flatMap((text) => wrap(text, options.width));
  const rows: string[] = [];
  for (let index = 0; index < texts.length; index += 2) {
    const left = wrap(texts[index] ?? '', column);
    const right = index + 1 < texts.length ? wrap(texts[index + 1] ?? '', column) : [];
    for (let line = 0; line < Math.max(left.length, right.length); line++) {
      const leftText = left[line] ?? '';
      const rightText = right[line] ?? '';
      if (right.length === 0) rows.push(leftText);
      else if (rightText === '')
        rows.push(`${padVisible(leftText, column)}${paint(' │', 'dim', options.color)}`);
      else rows.push(`${padVisible(leftText, column)}${paint(' │ ', 'dim', options.color)}${rightText}`);
    }
  }
  return rows;
}

/** A one-line note for an element the terminal cannot offer (a menu, a date picker, a form input). */
function unavailable(element: BlockElement, options: RenderOptions): string {
  const type = element.type ?? 'element';
  const what = SELECT_TYPES.has(type)
    ? `menu “${textOf(element.placeholder, options) || 'Select'}”`
    : type.replace(/_/g, ' ');
  return paint(`(${what}: not available in the terminal, try it in Slack)`, 'dim', options.color);
}

/** Block Kit as lines of terminal text; buttons become numbered choices. */
export function renderMessage(
  message: { text?: string; blocks?: Block[] },
  options: RenderOptions,
): RenderedMessage {
  const lines: string[] = [];
  const buttons: RenderedButton[] = [];
  const { width, color } = options;

  const addButtons = (elements: BlockElement[], blockId: string): string[] => {
    const labels: string[] = [];
    for (const element of elements) {
      if (element.type !== 'button') {
        labels.push(unavailable(element, options));
        continue;
      }
      const label = textOf(element.text, options);
      const number = buttons.length + 1;
      buttons.push({
        number,
        label,
        actionId: element.action_id ?? '',
        blockId,
        ...(element.value !== undefined ? { value: element.value } : {}),
        ...(element.style ? { style: element.style } : {}),
        ...(element.url ? { url: element.url } : {}),
      });
      const styled =
        element.style === 'primary' || element.style === 'danger'
          ? paint(label, element.style, color)
          : label;
      labels.push(
        `${paint(`[${number}]`, 'accent', color)} ${styled}${element.url ? ` (${element.url})` : ''}`,
      );
    }
    return flow(labels, width, '   ');
  };

  const blocks = message.blocks ?? [];
  if (blocks.length === 0 && message.text)
    lines.push(...wrap(mrkdwnToTerminal(message.text, options.names, color), width));

  blocks.forEach((block, index) => {
    const blockId = block.block_id ?? `block-${index}`;
    switch (block.type) {
      case 'header': {
        const title = textOf(block.text, options);
        lines.push(...wrap(paint(title, 'bold', color), width));
        lines.push(paint('═'.repeat(Math.min(visibleLength(title), width)), 'dim', color));
        break;
      }
      case 'section': {
        if (block.text) lines.push(...wrap(textOf(block.text, options), width));
        if (block.fields?.length) lines.push(...fieldRows(block.fields, options));
        const accessory = block.accessory;
        if (accessory?.type === 'button') lines.push(...addButtons([accessory], blockId));
        else if (accessory?.type === 'image') lines.push(`[image: ${accessory.alt_text ?? ''}]`);
        else if (accessory) lines.push(unavailable(accessory, options));
        break;
      }
      case 'context': {
        const parts = (block.elements ?? []).map((element) =>
          element.type === 'image'
            ? `[${element.alt_text ?? 'image'}]`
            : textOf(element as TextObject, options),
        );
        lines.push(...wrap(parts.join('  '), width).map((line) => paint(line, 'dim', color)));
        break;
      }
      case 'divider':
        lines.push(paint('─'.repeat(width), 'dim', color));
        break;
      case 'actions':
        lines.push(...addButtons(block.elements ?? [], blockId));
        break;
      case 'image':
        lines.push(`[image: ${textOf(block.title, options) || block.alt_text || ''}]`);
        break;
      case 'markdown':
        lines.push(...wrap(typeof block.text === 'string' ? block.text : textOf(block.text, options), width));
        break;
      case 'rich_text': {
        const flatten = (elements: BlockElement[] = []): string =>
          elements
            .map((element) => (typeof element.text === 'string' ? element.text : flatten(element.elements)))
            .join('');
        lines.push(...wrap(flatten(block.elements), width));
        break;
      }
      case 'input':
        lines.push(
          paint(
            `(form input “${textOf(block.label, options)}”: not available in the terminal, try it in Slack)`,
            'dim',
            color,
          ),
        );
        break;
      default:
        lines.push(paint(`(${block.type ?? 'unknown'} block: not shown in the terminal)`, 'dim', color));
    }
  });
  return { lines, buttons };
}
