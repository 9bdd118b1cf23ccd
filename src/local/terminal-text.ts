import { decodeEntities } from '../slack-text.js';
/** Text for the terminal: Slack mrkdwn made readable, ANSI styles (only when colour is on), and word wrapping. */

export type Style = 'bold' | 'italic' | 'strike' | 'dim' | 'code' | 'accent' | 'primary' | 'danger';

const SGR: Record<Style, [open: string, close: string]> = {
  bold: ['\u001b[1m', '\u001b[22m'],
  dim: ['\u001b[2m', '\u001b[22m'],
  italic: ['\u001b[3m', '\u001b[23m'],
  strike: ['\u001b[9m', '\u001b[29m'],
  code: ['\u001b[36m', '\u001b[39m'],
  accent: ['\u001b[36m', '\u001b[39m'],
  primary: ['\u001b[32m', '\u001b[39m'],
  danger: ['\u001b[31m', '\u001b[39m'],
};

// biome-ignore lint/suspicious/noControlCharactersInRegex: matching ANSI escape sequences is the point
const ANSI_PATTERN = /\u001b\[[0-9;]*m/g;

/** Wraps text in an ANSI style, or returns it unchanged when colour is off. */
export function paint(text: string, style: Style, color: boolean): string {
  if (!color || text.length === 0) return text;
  const [open, close] = SGR[style];
  // Bold and dim share one "off" code: keep a dimmed line dim after a bold word inside it.
  const inner = style === 'dim' ? text.replaceAll('\u001b[22m', '\u001b[22m\u001b[2m') : text;
  return `${open}${inner}${close}`;
}

export function stripAnsi(text: string): string {
  return text.replace(ANSI_PATTERN, '');
}

/** The width the text takes on screen (ANSI codes take none). */
export function visibleLength(text: string): number {
  return [...stripAnsi(text)].length;
}

export function padVisible(text: string, width: number): string {
  return text + ' '.repeat(Math.max(0, width - visibleLength(text)));
}

/** How mentions of the people and channels of the local workspace read: id → name. */
export interface Names {
  users: Record<string, string>;
  channels: Record<string, string>;
}

/** `<@U…>`, `<#C…|name>`, `<!here>`, `<url|label>`: the way Slack would show them. */
function resolveSpecials(text: string, names: Names): string {
  return text.replace(/<([^<>\s][^<>]*)>/g, (_whole, inner: string) => {
    const [target = '', label] = inner.split('|', 2);
    if (target.startsWith('@')) return `@${label ?? names.users[target.slice(1)] ?? target.slice(1)}`;
    if (target.startsWith('#')) return `#${label ?? names.channels[target.slice(1)] ?? target.slice(1)}`;
    if (target.startsWith('!subteam^')) return label ?? '@team';
    if (target.startsWith('!date^')) return label ?? '';
    if (target.startsWith('!')) return `@${target.slice(1)}`;
    if (target.startsWith('mailto:')) return label ?? target.slice('mailto:'.length);
    return label && label !== target ? `${label} (${target})` : target;
  });
}

const EDGE_BEFORE = '(^|[\\s(\\[“"\'‘])';
const EDGE_AFTER = '(?=$|[\\s.,;:!?)\\]”"\'’…])';

/** `*bold*`, `_italic_`, `~strike~` spans between word edges, one pattern per marker (exported for the regex check). */
export const SPANS = (
  [
    ['*', 'bold'],
    ['_', 'italic'],
    ['~', 'strike'],
  ] as const
).map(([marker, style]) => {
  const m = marker.replace(/[*~]/g, '\\$&');
  return { style, pattern: new RegExp(`${EDGE_BEFORE}${m}([^${m}\\n]+?)${m}${EDGE_AFTER}`, 'g') };
});

/**
 * Slack mrkdwn as terminal text. With colour, *bold*, _italic_, ~strike~ and `code` become ANSI styles;
 * without, the markers stay (they read well as they are). Mentions, channels and links are resolved either way.
 */
export function mrkdwnToTerminal(text: string, names: Names, color: boolean): string {
  let out = resolveSpecials(text, names);
  if (color) {
    out = out.replace(/`([^`\n]+)`/g, (_whole, inner: string) => paint(inner, 'code', color));
    for (const { style, pattern } of SPANS)
      out = out.replace(
        pattern,
        (_whole, before: string, inner: string) => `${before}${paint(inner, style, color)}`,
      );
  }
  return decodeEntities(out);
}

/** Breaks one word that is wider than the line (a long URL) into pieces; words with ANSI codes are left whole. */
function splitLongWord(word: string, width: number): string[] {
  if (visibleLength(word) <= width || word !== stripAnsi(word)) return [word];
  const chars = [...word];
  const pieces: string[] = [];
  for (let start = 0; start < chars.length; start += width)
    pieces.push(chars.slice(start, start + width).join(''));
  return pieces;
}

/** Re-opens at the start of each line the styles still open at the end of the line before, and closes them there. */
function carryStyles(lines: string[]): string[] {
  const open = new Map<string, string>();
  const categoryOf = (code: string): string | undefined => {
    const n = Number(code);
    if (n === 1 || n === 2 || n === 22) return 'weight';
    if (n === 3 || n === 23) return 'italic';
    if (n === 9 || n === 29) return 'strike';
    if ((n >= 30 && n <= 37) || n === 39) return 'fg';
    return undefined;
  };
  return lines.map((line) => {
    const prefix = [...open.values()].join('');
    for (const match of line.matchAll(ANSI_PATTERN)) {
      const code = match[0].slice(2, -1);
      if (code === '0' || code === '') {
        open.clear();
        continue;
      }
      const category = categoryOf(code);
      if (!category) continue;
      if (['22', '23', '29', '39'].includes(code)) open.delete(category);
      else open.set(category, match[0]);
    }
    const suffix = open.size > 0 ? '\u001b[0m' : '';
    return `${prefix}${line}${suffix}`;
  });
}

/** A list item's marker ("• ", "- ", "1. "): its continuation lines are indented to line up after it. */
const LIST_ITEM = /^(\s*(?:[•◦▪‣–-]|\d{1,2}[.)])\s+)/;

/** Word-wraps text (ANSI-aware) to `width` columns; newlines in the text are kept, list items get a hanging indent. */
export function wrap(text: string, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split('\n')) {
    const hanging = ' '.repeat(Math.min(LIST_ITEM.exec(stripAnsi(paragraph))?.[1]?.length ?? 0, width / 2));
    const words = paragraph.split(' ').flatMap((word) => splitLongWord(word, width - hanging.length));
    let line = '';
    for (const word of words) {
      if (line === '') line = word;
      else if (visibleLength(line) + 1 + visibleLength(word) <= width) line = `${line} ${word}`;
      else {
        lines.push(line);
        line = `${hanging}${word}`;
      }
    }
    lines.push(line.trimEnd());
  }
  return carryStyles(lines);
}

/** Lays items (buttons) out in rows no wider than `width`, never splitting an item. */
export function flow(items: string[], width: number, gap = '  '): string[] {
  const rows: string[] = [];
  let row = '';
  for (const item of items) {
    if (row === '') row = item;
    else if (visibleLength(row) + gap.length + visibleLength(item) <= width) row = `${row}${gap}${item}`;
    else {
      rows.push(row);
      row = item;
    }
  }
  if (row !== '') rows.push(row);
  return rows;
}
