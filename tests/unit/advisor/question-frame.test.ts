import { describe, expect, it } from '@jest/globals';
import {
  asksYesOrNo,
  kindsFit,
  PhraseFinder,
  questionKind,
  splitQuestion,
} from '../../../src/advisor/question-frame.js';

describe('questionKind', () => {
  it.each([
    ['how much does an IT PM make in Berlin?', 'amount'],
    ['whats the comp like', 'amount'],
    ['IT PM vs PM, what is the difference?', 'compare'],
    ['it pm = pm?', 'compare'],
    ['which one pays more?', 'amount'],
    ['which role deals more with pricing?', 'compare'],
    ['do IT PMs need to code?', 'need'],
    ['is a CS degree required?', 'need'],
    ['how do I become a product manager?', 'how-to'],
    ['any tips for my first roadmap?', 'how-to'],
    ['should I go for IT PM or general PM?', 'choice'],
    ['how do IT PMs do market research?', 'how'],
    ['why do companies hire PMs?', 'why'],
    ['who sets the release schedule?', 'who'],
    ['how long does a move into PM take?', 'when'],
    ['what is IT product management?', 'what'],
    ["what does 'product positioning' actually mean?", 'define'],
    ['what is a PdM?', 'define'],
    ['is demand for PMs growing?', 'yes-no'],
    ['roadmaps', 'other'],
  ])('reads "%s" as %s', (text, kind) => {
    expect(questionKind(text)).toBe(kind);
  });

  it('lets only an amount answer an amount, and only a method answer "how do I…"', () => {
    expect(kindsFit('amount', 'need')).toBe(false);
    expect(kindsFit('amount', 'amount')).toBe(true);
    expect(kindsFit('how-to', 'what')).toBe(false);
    expect(kindsFit('how-to', 'how-to')).toBe(true);
    expect(kindsFit('compare', 'what')).toBe(false);
    expect(kindsFit('yes-no', 'what')).toBe(true);
    expect(kindsFit('define', 'who')).toBe(false);
    expect(kindsFit('define', 'other')).toBe(false);
    expect(kindsFit('why', 'what')).toBe(false);
  });

  it('leads with the verdict only for yes/no questions', () => {
    expect(asksYesOrNo('need')).toBe(true);
    expect(asksYesOrNo('yes-no')).toBe(true);
    expect(asksYesOrNo('what')).toBe(false);
  });
});

describe('splitQuestion', () => {
  it('keeps context sentences apart from the questions', () => {
    const split = splitQuestion(
      "I'm a backend dev with 5 years at a bank. My manager suggested product. Do IT PMs need to code?",
    );
    expect(split.parts.map((part) => part.text)).toEqual(['Do IT PMs need to code?']);
    expect(split.context).toEqual([
      "I'm a backend dev with 5 years at a bank.",
      'My manager suggested product.',
    ]);
  });

  it('splits two questions joined by "and" inside one sentence', () => {
    const split = splitQuestion('what does an IT PM do and how much do they earn?');
    expect(split.parts.map((part) => [part.text, part.kind])).toEqual([
      ['what does an IT PM do', 'what'],
      ['how much do they earn?', 'amount'],
    ]);
  });

  it('keeps "or" alternatives in one question', () => {
    expect(splitQuestion('does an IT PM do GTM or is that only a general PM thing?').parts).toHaveLength(1);
  });

  it('remembers the context sentence a question points back to', () => {
    const [part] = splitQuestion('People call PMs the voice of the customer. What does that mean?').parts;
    expect(part?.lead).toBe('People call PMs the voice of the customer.');
  });

  it('takes a message that asks nothing explicitly as one part, and nothing as nothing', () => {
    expect(splitQuestion('pricing for IT PMs').parts.map((part) => part.text)).toEqual([
      'pricing for IT PMs',
    ]);
    expect(splitQuestion('   ').parts).toEqual([]);
  });

  it('answers at most four parts of a very long post', () => {
    const post = Array.from({ length: 12 }, (_, i) => `Question number ${i}?`).join(' ');
    expect(splitQuestion(post).parts).toHaveLength(4);
  });
});

describe('PhraseFinder', () => {
  it('finds phrases whatever the case, punctuation and plural', () => {
    const finder = new PhraseFinder([
      ['product owner', 'po'],
      ['scrum master', 'sm'],
    ]);
    expect([...finder.find('Are Product Owners and scrum-masters the same?')].sort()).toEqual(['po', 'sm']);
    expect(finder.find('the owner of the product').size).toBe(0);
  });
});
