import { expect } from '@jest/globals';
import type { SectionBlock } from '@slack/types';
import type { SlackMessage } from '../../src/views/block-kit.js';

/** 5000 characters that would ping the channel, mention someone and link, if echoed back raw. */
export const HOSTILE_TEXT = (() => {
  const unit = '<!channel> & <@U1> <https://evil.example|click> *bold* `x`\n> quote ';
  return unit.repeat(Math.ceil(5000 / unit.length)).slice(0, 5000);
})();

/**
 * Checks a message that echoes HOSTILE_TEXT: nothing raw can ping, mention or link, the echo is escaped,
 * and the first section (where it is echoed) was shortened to under `maxLength`. Returns that section's text.
 */
export function expectSafeEcho(message: SlackMessage, maxLength: number): string {
  const everything = JSON.stringify(message);
  for (const raw of ['<!channel>', '<@U1>', '<https://']) expect(everything).not.toContain(raw);
  expect(everything).toContain('&lt;!channel&gt; &amp; &lt;@U1&gt;');
  const first = message.blocks[0];
  expect(first?.type).toBe('section');
  const text = (first as SectionBlock).text?.text ?? '';
  expect(text).toContain('…');
  expect(text.length).toBeLessThan(maxLength);
  return text;
}
