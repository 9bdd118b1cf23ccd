import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { KnowledgeIndex } from '../../../src/advisor/knowledge-index.js';
import { ANSWER_THRESHOLDS, answerQuestion, fitEntry, type QaOutcome } from '../../../src/advisor/qa.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

/** "answer:<ids>", "partial:<id>", "unknown", "out-of-scope" or "empty": one string, so a failure shows what came back. */
function describeOutcome(outcome: QaOutcome): string {
  if (outcome.kind === 'answer') return `answer:${outcome.entries.map((entry) => entry.id).join('+')}`;
  if (outcome.kind === 'partial') return `partial:${outcome.entry.id}`;
  return outcome.kind;
}

function expectAnswer(outcome: QaOutcome): Extract<QaOutcome, { kind: 'answer' }> {
  if (outcome.kind !== 'answer') throw new Error(`expected an answer, got ${describeOutcome(outcome)}`);
  return outcome;
}

describe('answerQuestion on the project knowledge', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  let tuning: string[];
  const ask = (question: string) => answerQuestion(index, knowledge, question);

  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    index = new KnowledgeIndex(knowledge);
    const fixture = JSON.parse(
      await readFile(path.join(projectRoot, 'tests', 'fixtures', 'qa-tuning.json'), 'utf8'),
    ) as { questions: { q: string }[] };
    tuning = fixture.questions.map((question) => question.q);
  });

  it.each([
    ['what does an IT PM do?', 'it-pm-duties'],
    ['what does a general PM do all day?', 'pm-duties'],
    ['Do IT PMs need to code?', 'technical-background-coding'],
    ['what is IT product management?', 'what-is-it-pm'],
    ['whats the difference between IT PM and PM', 'difference-overview'],
    // The manifest's own example.
    ['which role needs more technical depth?', 'skill-emphasis'],
  ])('answers the basic "%s" with %s', (question, entryId) => {
    expect(describeOutcome(ask(question))).toBe(`answer:${entryId}`);
  });

  it('leads a yes/no answer with its verdict, and a "what" answer without one', () => {
    const [coding] = expectAnswer(ask('Do IT PMs need to code?')).parts;
    expect(coding?.kind === 'answered' && coding.verdict).toBe(
      knowledge.entriesById.get('technical-background-coding')?.verdict,
    );
    const [duties] = expectAnswer(ask('what does an IT PM do?')).parts;
    expect(duties?.kind === 'answered' && duties.verdict).toBeFalsy();
  });

  it.each([
    // A word that also names a topic, in a question about something else.
    ['I work in finance at a bank, how do I become a product manager?', 'regulated-industries'],
    [
      "I'm a backend engineer thinking about switching into product management, where do I start?",
      'switching-paths',
    ],
    ["what's required to land an associate PM offer?", 'product-requirements'],
    ['data scientist vs product manager, which one pays better?', 'data-driven-decisions'],
    ['I made the decision to leave teaching, how do I get my first PM job?', 'making-the-choice'],
    ['how much does an IT PM earn in Berlin?', 'technical-background-coding'],
  ])('does not answer "%s" with %s', (question, wrongEntry) => {
    const outcome = ask(question);
    expect(outcome.kind === 'answer' ? outcome.entries.map((entry) => entry.id) : []).not.toContain(
      wrongEntry,
    );
  });

  it('answers a comparison no entry makes with one entry for each role', () => {
    const outcome = expectAnswer(ask("what are the IT PM's responsibilities vs the general PM's?"));
    expect(outcome.entries.map((entry) => entry.id).sort()).toEqual(['it-pm-duties', 'pm-duties']);
  });

  it('reads "PM" and "product manager" as product management in general, not as the general-PM role', () => {
    // The voice-of-the-customer entry is written for IT PMs; a question about PMs in general still gets it.
    expect(
      describeOutcome(
        ask("people keep saying PMs are 'the voice of the customer'. what does that actually mean"),
      ),
    ).toBe('answer:voice-of-the-customer');
    expect(describeOutcome(ask('what is a product manager?'))).toBe('answer:what-is-general-pm');
  });

  it('weighs an alternative the person offers ("…or is that marketing\'s job?") less than the question', () => {
    const frame = index.frame("do IT PMs track conversion rates, or is that marketing's job?");
    expect([...(frame.aside ?? [])]).toEqual(expect.arrayContaining(index.frame('marketing').topic));
    expect(frame.aside?.has(index.frame('conversion').topic[0] ?? '?')).toBe(false);
  });

  it('declines a question about a title it does not cover, naming the title, instead of answering for IT PM', () => {
    const outcome = ask('what does a product ops manager do all day?');
    expect(outcome.kind).toBe('unknown');
    expect(outcome.kind === 'unknown' && outcome.titles.map((title) => title.id)).toEqual([
      'title-product-ops',
    ]);
  });

  it('offers the salary entry only as "I can\'t answer that directly", since it has no figures', () => {
    expect(describeOutcome(ask('how much do IT product managers make?'))).toBe('partial:salary-expectations');
  });

  it.each([
    ['should I become a data scientist or a devops engineer?', 'other-subject'],
    ['front-end vs back-end, which is easier to learn?', 'other-subject'],
    ['how does career growth look for a nurse?', 'other-subject'],
    ['will there be a recession next year?', 'forecast'],
    ['what was your hardest day as a PM?', 'about-the-bot'],
    ['what is the price of gold today?', 'other-subject'],
  ])('says kindly that "%s" is out of scope (%s)', (question, reason) => {
    expect(ask(question)).toEqual({ kind: 'out-of-scope', question, reason });
  });

  it('answers the part of a two-part question it covers and names the part it cannot answer', () => {
    const outcome = expectAnswer(ask('What does an IT PM do, and how much do they earn in Berlin?'));
    expect(outcome.entries.map((entry) => entry.id)).toEqual(['it-pm-duties']);
    expect(outcome.parts.map((part) => part.kind)).toEqual([
      'answered',
      expect.stringMatching(/touches|uncovered/),
    ]);
    expect(outcome.parts[1]?.part.text).toBe('how much do they earn in Berlin?');
  });

  it('offers the questionnaire to "which path fits me?" in any phrasing, with a short answer', () => {
    for (const question of [
      "I've been a SWE for 4 years, should I go for IT PM or general PM?",
      'IT PM or PM, which should I pick for myself?',
    ]) {
      const outcome = ask(question);
      expect(outcome.kind !== 'empty' && outcome.kind !== 'out-of-scope' && outcome.offerQuestionnaire).toBe(
        true,
      );
    }
    const what = ask('what is IT product management?');
    expect(what.kind === 'answer' && what.offerQuestionnaire).toBe(false);
  });

  it.each(['<@U123> hey', '<!channel> thanks!', 'hi', '', '   ', '???', 'ok thanks lol', '<#C0123|general>'])(
    'treats %j as no question at all',
    (text) => {
      expect(ask(text)).toEqual({ kind: 'empty' });
    },
  );

  it('never shows an entry twice, and at most 3 related topics (every tuning question)', () => {
    const problems: string[] = [];
    for (const question of tuning) {
      const outcome = ask(question);
      if (outcome.kind !== 'answer') continue;
      const shown = outcome.entries.map((entry) => entry.id);
      const related = outcome.related.map((entry) => entry.id);
      if (related.length > ANSWER_THRESHOLDS.maxRelated)
        problems.push(`${question}: ${related.length} related`);
      if (new Set([...shown, ...related]).size !== shown.length + related.length) {
        problems.push(`${question}: ${shown.join(',')} / ${related.join(',')}`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('points to /pm-compare only when a comparison was asked', () => {
    expect(expectAnswer(ask('Do IT PMs need to code?')).dimension).toBeUndefined();
    const comparison = ask('whats the difference between IT PM and PM');
    expect(comparison.kind === 'answer' && comparison.dimension?.id).toBe(
      knowledge.entriesById.get('difference-overview')?.dimension,
    );
  });

  describe('on the nearby titles', () => {
    it('explains both meanings of a bare "TPM", and answers a named one for that title', () => {
      expect(describeOutcome(ask("what's a TPM? I keep seeing it in job ads"))).toBe(
        'answer:tpm-two-meanings',
      );
      expect(describeOutcome(ask('what does a technical program manager actually do?'))).toBe(
        'answer:what-is-tpm',
      );
    });

    it('reads "has anyone done this? any tips?" as asking nothing more, neither a part to match nor one to name', () => {
      const plain = expectAnswer(ask('How do I move from a government PM job to the private sector?'));
      const withHelp = expectAnswer(
        ask(
          'How do I move from a government PM job to the private sector? Has anyone here done this? Any tips for me?',
        ),
      );
      expect(withHelp.entries.map((entry) => entry.id)).toEqual(plain.entries.map((entry) => entry.id));
      expect(withHelp.parts.map((part) => part.kind)).toEqual(['answered']);
    });

    it('answers a question about one title with an entry about that title, not an IT PM entry', () => {
      for (const question of ['what is a product owner', 'whats a PMM and how is it different from a PM?']) {
        const outcome = expectAnswer(ask(question));
        for (const entry of outcome.entries)
          expect([question, entry.roles]).not.toEqual([question, ['it-pm']]);
      }
      expect(describeOutcome(ask('what is a product owner'))).toBe('answer:po-what-is-product-owner');
    });
  });
});

/**
 * A small knowledge store whose matches are easy to reason about: each entry states its questions, and filler
 * entries make the topic words rare.
 */
function smallKnowledge(): Knowledge {
  const cell = (summary: string) => ({ summary, points: [`${summary} in detail.`] });
  const entry = (id: string, questions: string[], extra: Record<string, unknown> = {}) => ({
    id,
    title: id.replace(/-/g, ' '),
    questions,
    body: `All about ${questions.join(' ')}`,
    keywords: [],
    roles: ['role-a'],
    sources: ['intro'],
    ...extra,
  });
  const role = (id: string, aliases: string[]) => ({
    id,
    name: `${id} name`,
    person: `${id} person`,
    shortName: id,
    aliases,
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
        roles: [role('role-a', ['alpha manager']), role('role-b', ['beta manager'])],
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
          entry(
            'alpha-gardening',
            ['do alpha managers do gardening?', 'is gardening part of the alpha manager job?'],
            {
              verdict: 'Yes',
              related: ['alpha-pruning'],
            },
          ),
          entry('alpha-pruning', [
            'how do alpha managers prune roses?',
            'what pruning do alpha managers do?',
          ]),
          entry('alpha-pay', ['how much do alpha managers earn?', 'what do alpha managers get paid?'], {
            partial: true,
          }),
          entry(
            'both-watering',
            ['alpha manager vs beta manager: who waters more?', 'which one waters more?'],
            {
              roles: ['role-a', 'role-b'],
              dimension: 'money',
            },
          ),
          ...Array.from({ length: 30 }, (_, i) =>
            entry(`filler-${i}`, [`what is filler${i}?`, `filler${i} misc?`]),
          ),
        ],
        scope: {
          titles: [{ id: 'title-gamma', name: 'gamma managers', terms: ['gamma manager'] }],
          otherFields: ['astronaut'],
          domainTerms: ['gardening'],
          examples: ['do alpha managers do gardening?', 'how do alpha managers prune roses?'],
        },
      }),
    },
  ]);
}

describe('answerQuestion rules (small knowledge store)', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  const ask = (question: string) => answerQuestion(index, knowledge, question);

  beforeAll(() => {
    knowledge = smallKnowledge();
    index = new KnowledgeIndex(knowledge);
  });

  it('answers a question whose subject, kind and topic fit a stated question', () => {
    expect(describeOutcome(ask('Do alpha managers do any gardening?'))).toBe('answer:alpha-gardening');
  });

  it('does not answer for one role what was asked about another', () => {
    expect(ask('do beta managers do gardening?').kind).not.toBe('answer');
  });

  it('does not answer a question about a title it does not cover', () => {
    const outcome = ask('do gamma managers do gardening?');
    expect(outcome.kind).toBe('unknown');
    expect(outcome.kind === 'unknown' && outcome.titles.map((title) => title.name)).toEqual([
      'gamma managers',
    ]);
  });

  it('does not answer "how do I…" with an entry that only says what is done', () => {
    expect(ask('how do I get into gardening as an alpha manager?').kind).not.toBe('answer');
  });

  it('does not answer when the question asks about much the entry never mentions', () => {
    expect(ask('do alpha managers do gardening with drones and satellites in antarctica?').kind).not.toBe(
      'answer',
    );
  });

  it('weighs the context around a question a little: unrelated context lowers how much an entry explains', () => {
    const entry = index.get('alpha-gardening');
    if (!entry) throw new Error('no alpha-gardening entry');
    const frame = index.frame('do alpha managers do gardening?');
    const alone = fitEntry(index, entry, frame, 'yes-no');
    const context = index.frame('Quantum chemistry, particle accelerators and cryogenics.').topic;
    const withContext = fitEntry(index, entry, frame, 'yes-no', { context });
    expect(alone.explained).toBe(1);
    expect(withContext.explained).toBeCloseTo(1 - ANSWER_THRESHOLDS.contextWeight);
    // Unrelated context alone does not stop an answer ("I'm a nurse in Ohio. Do alpha managers garden?").
    expect(ask('I work in cryogenics. Do alpha managers do gardening?').kind).toBe('answer');
  });

  it('offers an entry marked partial only under "I can\'t answer that directly"', () => {
    expect(describeOutcome(ask('how much do alpha managers earn?'))).toBe('partial:alpha-pay');
  });

  it('answers a comparison only with an entry that compares, and then points to /pm-compare', () => {
    const outcome = expectAnswer(ask('alpha manager vs beta manager, who waters more?'));
    expect(outcome.entries.map((entry) => entry.id)).toEqual(['both-watering']);
    expect(outcome.dimension?.id).toBe('money');
  });

  it('answers two parts with one entry each, and never the same entry twice', () => {
    const outcome = expectAnswer(
      ask(
        'Do alpha managers do gardening? And how do alpha managers prune roses? Do alpha managers do gardening?',
      ),
    );
    expect(outcome.entries.map((entry) => entry.id)).toEqual(['alpha-gardening', 'alpha-pruning']);
  });

  it('keeps related topics apart from the answers, at most 3', () => {
    const outcome = expectAnswer(ask('do alpha managers do gardening?'));
    expect(outcome.related.map((entry) => entry.id)).toEqual(['alpha-pruning']);
  });

  it('says out of scope for a question about another field, with nothing of the domain in it', () => {
    expect(ask('how do I become an astronaut?')).toEqual({
      kind: 'out-of-scope',
      question: 'how do I become an astronaut?',
      reason: 'other-subject',
    });
  });

  it('says empty when nothing is left after the stop words', () => {
    expect(ask('<@U0BOT00001> hey, thanks!')).toEqual({ kind: 'empty' });
  });
});
