import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { type FollowUpReading, readFollowUp } from '../../../src/advisor/follow-up.js';
import { KnowledgeIndex } from '../../../src/advisor/knowledge-index.js';
import { answerQuestion, type QaOutcome } from '../../../src/advisor/qa.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

/** "answer:<ids>", "partial:<id>" or the kind: one string, so a failure shows what came back. */
function describeOutcome(outcome: QaOutcome): string {
  if (outcome.kind === 'answer') return `answer:${outcome.entries.map((entry) => entry.id).join('+')}`;
  if (outcome.kind === 'partial') return `partial:${outcome.entry.id}`;
  return outcome.kind;
}

describe('readFollowUp: a reply in a thread, read with the question answered there', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    index = new KnowledgeIndex(knowledge);
  });
  const read = (earlier: string, text: string): FollowUpReading =>
    readFollowUp(index, knowledge, earlier, text);
  /** What the reply is answered with: the reading's kind and the outcome of the question it stands for. */
  const answered = (earlier: string, text: string) => {
    const reading = read(earlier, text);
    if (reading.kind === 'not-a-question') return 'ignored';
    if (reading.kind === 'unclear') return 'unclear';
    return `${reading.kind} ${describeOutcome(answerQuestion(index, knowledge, reading.question))}`;
  };

  it.each([
    // The subject changes, the question stays.
    ['what does an IT PM earn?', 'and for a general PM?', 'what does a general PM earn?'],
    ['what does an IT PM earn?', 'wat about genral PMs?', 'what does genral PMs earn?'],
    ['what does a general PM earn?', 'and for an IT PM?', 'what does an IT PM earn?'],
    ['What skills does a PM need?', 'what about a TPM?', 'What skills does a TPM need?'],
    ['do IT PMs need to code?', 'what about for general PMs?', 'do general PMs need to code?'],
    ['What does an IT product manager do?', 'and a general one?', 'What does a General PM do?'],
    // The question changes, the subject stays.
    ['what does an IT PM do?', 'do they need to code?', 'do IT PM need to code?'],
    ['what does an IT PM do?', 'and the skills?', 'the skills for IT PM?'],
    // A condition added to the earlier question.
    ['what does an IT PM earn?', 'and in Berlin?', 'what does an IT PM earn in Berlin?'],
  ])('after "%s", "%s" is asked as "%s"', (earlier, text, question) => {
    expect(read(earlier, text)).toEqual({ kind: 'with-context', question });
  });

  it('answers the follow-up with the earlier subject, not as it reads alone', () => {
    // Alone, "and for a general PM?" would be answered as "what is general PM?".
    expect(describeOutcome(answerQuestion(index, knowledge, 'and for a general PM?'))).toBe(
      'answer:what-is-general-pm',
    );
    expect(answered('what does an IT PM earn?', 'and for a general PM?')).toBe(
      'with-context partial:salary-expectations',
    );
    expect(answered('what does an IT PM do?', 'and the skills?')).toBe(
      'with-context answer:it-pm-key-skills',
    );
    expect(answered('do IT PMs need to code?', 'what about for general PMs?')).toBe(
      'with-context answer:pm-coding-required',
    );
  });

  it.each([
    ['what does an IT PM do?', 'what skills does a general PM need?', 'answer:pm-essential-skills'],
    ['what does an IT PM do?', 'Do I need an MBA?', 'answer:getting-in-mba'],
    [
      'what does an IT PM earn?',
      'and what skills does a general PM need to have?',
      'answer:pm-essential-skills',
    ],
  ])('after "%s", the full question "%s" is answered as itself', (earlier, text, outcome) => {
    expect(answered(earlier, text)).toBe(`own ${outcome}`);
  });

  it.each([
    ['what does an IT PM earn?', 'why?'],
    ['what does an IT PM do?', 'really?'],
    // Two roles before: which one the product owner replaces cannot be told.
    ['Which role deals more with pricing, IT PM or general PM?', 'and for a product owner?'],
    // "they" points to no one the earlier question named.
    ['how do I write a PRD?', 'do they need to code?'],
  ])(
    'after "%s", "%s" is unclear: answered "I can\'t answer that", not as another question',
    (earlier, text) => {
      expect(read(earlier, text).kind).toBe('unclear');
    },
  );

  it.each(['thanks!', 'ok thanks, that helps', 'I think it depends on the company', 'lol same', ''])(
    'leaves "%s" alone: it is no question',
    (text) => {
      expect(read('what does an IT PM earn?', text)).toEqual({ kind: 'not-a-question' });
    },
  );
});
