import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { CANONICAL_PREFIX, QuestionAnalyzer } from '../../../src/advisor/question-analyzer.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

let knowledge: Knowledge;
let analyzer: QuestionAnalyzer;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  analyzer = new QuestionAnalyzer(knowledge);
});

const analyze = (text: string) => analyzer.analyze(text);

describe('QuestionAnalyzer: synonym phrases', () => {
  it.each([
    ['tech pm', 'IT product manager', 'technical product manager', 'IT PM', 'Tech PMs'],
    ['pay', 'salary', 'Compensation', 'how much does it pay'],
    ['coding', 'programming', 'write code'],
    ['KPIs', 'kpi', 'metrics'],
  ])('folds "%s" and its synonyms into one canonical term', (...phrases) => {
    const terms = phrases.map(analyze);
    const [first] = terms;
    expect(first).toHaveLength(1);
    expect(first?.[0]?.startsWith(CANONICAL_PREFIX)).toBe(true);
    for (const [index, found] of terms.entries())
      expect([phrases[index], found]).toEqual([phrases[index], first]);
  });

  it('keeps the IT PM and the general PM terms apart', () => {
    const [itPm] = analyze('tech pm');
    const [generalPm] = analyze('product manager');
    expect(itPm).toBeDefined();
    expect(generalPm).toBeDefined();
    expect(itPm).not.toBe(generalPm);
  });

  it('prefers the longest phrase: "IT product manager" is one term, not "it" + "product manager"', () => {
    expect(analyze('IT product manager')).toEqual(analyze('tech pm'));
    expect(analyze('IT product manager')).not.toEqual(analyze('product manager'));
  });

  it('finds the phrases inside a sentence', () => {
    const terms = analyze('Hey, does a tech PM get more pay than a product manager?');
    expect(terms).toEqual(
      expect.arrayContaining([...analyze('tech pm'), ...analyze('salary'), ...analyze('pm')]),
    );
  });

  it('does not treat "it" alone as the IT PM term', () => {
    const itPm = analyze('tech pm')[0];
    for (const text of ['is it worth it', 'it', 'IT', 'what is it like', 'do it']) {
      expect([text, analyze(text)]).not.toEqual([text, expect.arrayContaining([itPm])]);
    }
    expect(analyze('it is what it is')).toEqual([]);
  });
});

describe('QuestionAnalyzer: words that say nothing', () => {
  it.each([
    'the a an of to and or is are was were',
    'hey bot, can you please tell me',
    'hi hello thanks lol btw tbh imo',
    'I just wanna know, basically, honestly',
  ])('drops stop words and chat filler: "%s"', (text) => {
    expect(analyze(text)).toEqual([]);
  });

  it('keeps the topic words among the filler, stemmed', () => {
    expect(analyze('hey bot, can you please tell me about roadmaps?')).toEqual(analyze('roadmap'));
    expect(analyze('hey, what about onboarding?')).toEqual(['onboard']);
    expect(analyze('Thanks! And the wireframes, please?')).toEqual(['wirefram']);
  });

  it('drops numbers', () => {
    expect(analyze('3 4 2024 10k 1st 99%')).toEqual([]);
    expect(analyze('top 5 roadmaps of 2024')).toEqual(expect.arrayContaining(analyze('roadmap')));
    expect(analyze('top 5 roadmaps of 2024').some((term) => /\d/.test(term))).toBe(false);
  });

  it('returns nothing for empty, blank and punctuation-only text', () => {
    for (const text of ['', '   ', '?!…', '*_~`', '\n\t']) expect(analyze(text)).toEqual([]);
  });
});

describe('QuestionAnalyzer.correct', () => {
  it.each([
    ['responsibilites', 'responsibilities'],
    ['prodcut', 'product'],
    ['stakeholdres', 'stakeholders'],
  ])('corrects "%s" to "%s"', (typo, word) => {
    expect(analyzer.correct(typo)).toBe(word);
  });

  it('corrects a transposition as one slip, not two edits', () => {
    // "prodcut" is two substitutions away from "product", one transposition: seven letters allow one edit.
    expect('prodcut').toHaveLength(7);
    expect(analyzer.correct('prodcut')).toBe('product');
  });

  it.each(['plain', 'plan', 'pay', 'code', 'team', 'roles'])('leaves the short word "%s" alone', (word) => {
    expect(analyzer.correct(word)).toBe(word);
  });

  it.each([
    ['getting', 'setting'],
    ['walking', 'talking'],
    ['reading', 'heading'],
    ['mother', 'other'],
    ['father', 'gather'],
    ['gaming', 'naming'],
  ])('leaves "%s" alone: a different first letter makes another word, not a typo of "%s"', (word) => {
    expect(analyzer.correct(word)).toBe(word);
  });

  it('still corrects a swap of the first two letters', () => {
    expect(analyzer.correct('rpoduct')).toBe('product');
  });

  it('leaves known words and words with no near neighbour alone', () => {
    expect(analyzer.correct('responsibilities')).toBe('responsibilities');
    expect(analyzer.correct('product')).toBe('product');
    expect(analyzer.correct('zzzzzzzzzz')).toBe('zzzzzzzzzz');
  });

  it('corrects inside analyze, so a typo finds the same terms', () => {
    expect(analyze('responsibilites')).toEqual(analyze('responsibilities'));
    expect(analyze('prodcut roadmap')).toEqual(analyze('product roadmap'));
  });

  it('does not turn "plain" into the roadmap term', () => {
    expect(analyze('explain it in plain words')).not.toEqual(expect.arrayContaining(analyze('plan')));
  });
});

describe('QuestionAnalyzer.analyzeBoth', () => {
  it('gives what analyze gives without and with keepWords, for every knowledge text and typo-laden questions', () => {
    const texts = [
      ...knowledge.entries.flatMap((entry) => [
        entry.title,
        entry.body,
        ...entry.questions,
        ...entry.keywords,
      ]),
      'what are the responsibilites of a tech pm?',
      'prodcut roadmap vs IT product manager duties',
      'is a technical product manager the same as an IT PM',
    ];
    for (const text of texts) {
      expect([text, analyzer.analyzeBoth(text)]).toEqual([
        text,
        { query: analyze(text), document: analyzer.analyze(text, { keepWords: true }) },
      ]);
    }
  });
});

describe('QuestionAnalyzer on long input', () => {
  it('analyzes a 4000-character question without throwing', () => {
    const unit = 'responsibilites of a tech pm vs <@U0123ABCD> salary 2024 prodcut ';
    const text = unit.repeat(Math.ceil(4000 / unit.length)).slice(0, 4000);
    expect(text).toHaveLength(4000);
    const terms = analyze(text);
    expect(terms).toEqual(expect.arrayContaining(analyze('responsibilities tech pm vs salary product')));
    expect(terms.filter((term) => /\d|u0123abcd/.test(term))).toEqual([]);
  });

  it('analyzes a 4000-character word without throwing', () => {
    expect(() => analyze('a'.repeat(4000))).not.toThrow();
    expect(() => analyze('<'.repeat(4000))).not.toThrow();
  });
});
