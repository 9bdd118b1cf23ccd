import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { KnowledgeIndex } from '../../../src/advisor/knowledge-index.js';
import { ANSWER_THRESHOLDS, answerQuestion, type QaOutcome } from '../../../src/advisor/qa.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

/** "answer:<ids>", "unknown" or "empty": one string, so a failure shows what came back. */
function describeOutcome(outcome: QaOutcome): string {
  if (outcome.kind === 'answer') return `answer:${outcome.entries.map((entry) => entry.id).join('+')}`;
  return outcome.kind;
}

function expectAnswer(outcome: QaOutcome): Extract<QaOutcome, { kind: 'answer' }> {
  if (outcome.kind !== 'answer') throw new Error(`expected an answer, got ${describeOutcome(outcome)}`);
  return outcome;
}

describe('answerQuestion on the project knowledge', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  let fixtureQuestions: string[];
  const ask = (question: string) => answerQuestion(index, knowledge, question);

  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    index = new KnowledgeIndex(knowledge);
    const fixture = JSON.parse(
      await readFile(path.join(projectRoot, 'tests', 'fixtures', 'qa-questions.json'), 'utf8'),
    ) as { questions: { q: string }[] };
    fixtureQuestions = fixture.questions.map((question) => question.q);
  });

  it.each([
    ['Which role deals more with pricing?', 'pricing-strategy'],
    ['Do IT PMs need to know how to code?', 'technical-background-coding'],
    ['What KPIs do IT product managers track?', 'it-pm-kpis'],
    ['which pays more, tech pm or pm?', 'salary-expectations'],
    ['who handles the go-to-market strategy', 'go-to-market'],
    ['who do IT PMs work with', 'it-pm-teams'],
  ])('answers "%s" with %s first', (question, entryId) => {
    const outcome = expectAnswer(ask(question));
    expect(outcome.entries[0]?.id).toBe(entryId);
    expect(outcome.question).toBe(question);
  });

  it('still answers a short question on one topic word when nothing in it is foreign to the knowledge', () => {
    expect(expectAnswer(ask('who sets the release schedule')).entries[0]?.id).toBe('release-schedules');
    expect(expectAnswer(ask('pricing?')).entries[0]?.id).toBe('pricing-strategy');
  });

  it('finds the same first entry through a mention, a typo and shouting', () => {
    const first = (question: string) => expectAnswer(ask(question)).entries[0]?.id;
    expect(first('<@U0BOT00001> Do IT PMs need to know how to code?')).toBe('technical-background-coding');
    expect(first('DO TECH PMS NEED CODING SKILLS???')).toBe('technical-background-coding');
    expect(first('which role deals with prcing')).toBe('pricing-strategy');
  });

  it.each([
    'what is the wifi password',
    'tell me a joke',
    "what's the weather like today",
    'where should we go for lunch & drinks?',
    // One word in common with a topic, the rest about something the knowledge never mentions.
    'what is the price of bitcoin',
    'how do I ship a package to Germany',
    'price of gold today?',
  ])('does not pretend to know "%s"', (question) => {
    const outcome = ask(question);
    expect(describeOutcome(outcome)).toBe('unknown');
    if (outcome.kind !== 'unknown') return;
    expect(outcome.question).toBe(question);
    expect(outcome.closest.length).toBeLessThanOrEqual(ANSWER_THRESHOLDS.maxRelated);
  });

  it.each(['<@U123> hey', '<!channel> thanks!', 'hi', '', '   ', '???', 'ok thanks lol', '<#C0123|general>'])(
    'treats %j as no question at all',
    (text) => {
      expect(ask(text)).toEqual({ kind: 'empty' });
    },
  );

  it('never repeats a shown entry among the related ones, and shows at most 3 (every benchmark question)', () => {
    let answers = 0;
    const problems: string[] = [];
    for (const question of fixtureQuestions) {
      const outcome = ask(question);
      if (outcome.kind !== 'answer') continue;
      answers++;
      const shown = outcome.entries.map((entry) => entry.id);
      const related = outcome.related.map((entry) => entry.id);
      if (related.length > ANSWER_THRESHOLDS.maxRelated)
        problems.push(`${question}: ${related.length} related`);
      if (new Set([...shown, ...related]).size !== shown.length + related.length) {
        problems.push(`${question}: ${shown.join(',')} / ${related.join(',')}`);
      }
      if (outcome.entries.length < 1 || outcome.entries.length > 2)
        problems.push(`${question}: ${outcome.entries.length} entries`);
    }
    expect(problems).toEqual([]);
    expect(answers).toBeGreaterThan(20);
  });

  it('offers the entry’s own related topics first', () => {
    const outcome = expectAnswer(ask('Do IT PMs need to know how to code?'));
    const [entry] = outcome.entries;
    expect(outcome.related.map((related) => related.id)).toEqual(entry?.related.slice(0, 3));
  });

  it('answers a two-part question with one entry for each part', () => {
    const outcome = expectAnswer(ask('how do PMs set pricing and what about salary'));
    expect(outcome.entries.map((entry) => entry.id).sort()).toEqual([
      'pricing-strategy',
      'salary-expectations',
    ]);
    const second = expectAnswer(ask('what about pricing and also do IT PMs need coding'));
    expect(second.entries.map((entry) => entry.id).sort()).toEqual([
      'pricing-strategy',
      'technical-background-coding',
    ]);
  });

  it('shows one entry when the runner-up only matches the same words', () => {
    // pm-kpis matches the same three terms as it-pm-kpis and scores close to it: it is related, not a second answer.
    const outcome = expectAnswer(ask('What KPIs do IT product managers track?'));
    expect(outcome.entries.map((entry) => entry.id)).toEqual(['it-pm-kpis']);
    expect(outcome.related.map((entry) => entry.id)).toContain('pm-kpis');
  });

  it('points to the comparison dimension of the entry', () => {
    for (const [question, dimensionId] of [
      ['Which role deals more with pricing?', 'responsibilities'],
      ['What KPIs do IT product managers track?', 'metrics'],
      ['Do IT PMs need to know how to code?', 'skills'],
    ] as const) {
      const outcome = expectAnswer(ask(question));
      expect(outcome.entries[0]?.dimension).toBe(dimensionId);
      expect(outcome.dimension).toBe(knowledge.dimensionsById.get(dimensionId));
    }
  });
});

/**
 * A small knowledge store whose scores are easy to reason about: each topic entry repeats its own words,
 * and 100 filler entries make those words rare, so one topic's words score well above the thresholds.
 */
function smallKnowledge(): Knowledge {
  const cell = (summary: string) => ({ summary, points: [`${summary} in detail.`] });
  const entry = (id: string, words: string[], extra: Record<string, unknown> = {}) => ({
    id,
    title: words.join(' and '),
    body: `All about ${words.join(', ')}: ${words.join(' ')}.`,
    keywords: words,
    roles: ['role-a'],
    sources: ['intro'],
    ...extra,
  });
  const role = (id: string) => ({
    id,
    name: `${id} name`,
    person: `${id} person`,
    shortName: id,
    summary: 'Does things.',
    skillsToBuild: ['One.', 'Two.'],
    nextSteps: ['One.', 'Two.'],
    sources: ['intro'],
  });
  return buildKnowledge([
    {
      file: 'small/knowledge.json',
      text: JSON.stringify({
        sources: [{ id: 'guide', title: 'A guide', sections: [{ id: 'intro', title: 'Introduction' }] }],
        roles: [role('role-a'), role('role-b')],
        dimensions: [
          {
            id: 'money',
            title: 'Money',
            description: 'Money matters.',
            roles: { 'role-a': cell('A'), 'role-b': cell('B') },
            sources: ['intro'],
          },
        ],
        entries: [
          entry('pricing', ['pricing', 'discounts', 'margins'], {
            dimension: 'money',
            related: ['salary', 'pricing-twin', 'weather', 'filler-0'],
          }),
          entry('pricing-twin', ['pricing', 'discounts', 'margins', 'invoices']),
          entry('salary', ['salary', 'bonuses', 'pensions']),
          entry('weather', ['weather']),
          ...Array.from({ length: 100 }, (_, index) => entry(`filler-${index}`, [`filler${index}`, 'misc'])),
        ],
      }),
    },
  ]);
}

describe('answerQuestion rules (small knowledge store)', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  const ask = (question: string) => answerQuestion(index, knowledge, question);
  const ids = (entries: readonly { id: string }[]) => entries.map((entry) => entry.id);

  beforeAll(() => {
    knowledge = smallKnowledge();
    index = new KnowledgeIndex(knowledge);
  });

  it('shows a second entry when it answers another part of the question', () => {
    const outcome = expectAnswer(ask('pricing discounts margins, and salary bonuses pensions?'));
    expect(ids(outcome.entries).sort()).toEqual(['pricing', 'salary']);
  });

  it('does not show a second entry that only matches the words the first one matched', () => {
    const { matches } = index.query('pricing discounts margins');
    // The twin is confident on its own and scores close to the best: only the rule keeps it out.
    expect(ids(matches.map((match) => match.entry)).slice(0, 2)).toEqual(['pricing', 'pricing-twin']);
    expect(matches[1]?.score).toBeGreaterThan((matches[0]?.score ?? 0) * ANSWER_THRESHOLDS.secondScoreRatio);
    expect(ids(expectAnswer(ask('pricing discounts margins')).entries)).toEqual(['pricing']);
  });

  it('does not show a second entry scoring under half of the best', () => {
    const { matches } = index.query('pricing discounts margins weather');
    const weather = matches.find((match) => match.entry.id === 'weather');
    expect(weather).toBeDefined();
    expect(weather?.score).toBeGreaterThanOrEqual(ANSWER_THRESHOLDS.minScore);
    expect(ids(expectAnswer(ask('pricing discounts margins weather')).entries)).toEqual(['pricing']);
  });

  it('lists related topics from the shown entries first, then other matches, without repeats, at most 3', () => {
    const single = expectAnswer(ask('pricing discounts margins'));
    expect(ids(single.related)).toEqual(['salary', 'pricing-twin', 'weather']);
    const both = expectAnswer(ask('pricing discounts margins, and salary bonuses pensions?'));
    expect(ids(both.related)).toEqual(['pricing-twin', 'weather', 'filler-0']);
  });

  it('offers no related topics when there are none', () => {
    const outcome = expectAnswer(ask('salary bonuses pensions'));
    expect(ids(outcome.entries)).toEqual(['salary']);
    expect(outcome.related).toEqual([]);
  });

  it('points to the dimension of an entry that has one, and to none otherwise', () => {
    expect(expectAnswer(ask('pricing discounts margins')).dimension).toBe(
      knowledge.dimensionsById.get('money'),
    );
    expect(expectAnswer(ask('salary bonuses pensions')).dimension).toBeUndefined();
    // The second entry's dimension is used when the first has none.
    const both = expectAnswer(ask('pricing discounts margins, and salary bonuses pensions?'));
    expect(both.dimension?.id).toBe('money');
  });

  it('says unknown, with at most 3 closest entries, when no entry is confident', () => {
    const outcome = ask('misc');
    expect(outcome.kind).toBe('unknown');
    if (outcome.kind !== 'unknown') return;
    expect(outcome.closest).toHaveLength(ANSWER_THRESHOLDS.maxRelated);
    expect(ask('gardening')).toEqual({ kind: 'unknown', question: 'gardening', closest: [] });
  });

  it('says empty when nothing is left after the stop words', () => {
    expect(ask('<@U0BOT00001> hey, thanks!')).toEqual({ kind: 'empty' });
  });
});
