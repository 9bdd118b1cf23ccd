import { describe, expect, it } from '@jest/globals';
import { normalizeText } from '../../../src/knowledge/text.js';

const words = (text: string) => normalizeText(text).split(' ').filter(Boolean);

describe('normalizeText', () => {
  // KnowledgeIndex.frame reads a text once and appends the words it implies ("duties") to its words, instead of
  // normalizing the text with them appended: the two must always agree.
  it.each([
    'what does an IT PM do all day?',
    '',
    '   ',
    '?!',
    'café naïve résumé',
    'e\u0301',
    'ends with a combining mark e\u0301',
    'an unclosed <tag',
    'a <b>bold</b> claim and a < sign',
    "it's the PM's job’s",
    'ΣΑΣ ends in a sigma Σ',
    'emoji 🙂 at the end 🙂',
    'trailing punctuation...',
    '<<<<',
    'x>',
  ])('appending a word to %j only appends it to the words', (text) => {
    expect(words(`${text} duties`)).toEqual([...words(text), 'duties']);
    expect(words(`${text} duties salary`)).toEqual([...words(text), 'duties', 'salary']);
  });
});
