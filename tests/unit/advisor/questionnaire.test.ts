import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { detectDmIntent } from '../../../src/advisor/dm-intents.js';
import {
  answeredCount,
  checkDropConfirmation,
  currentFactor,
  goBack,
  isComplete,
  isExpired,
  markQuestionAsked,
  noteMessagesBelow,
  QUESTION_OUT_OF_SIGHT,
  type QuestionnaireSession,
  questionnaireSessionSchema,
  questionPosition,
  revisionOf,
  startSession,
  takeAnswer,
} from '../../../src/advisor/questionnaire.js';
import {
  BALANCED_MARGIN,
  type QuestionnaireResult,
  scoreAnswers,
  weighsNothing,
} from '../../../src/advisor/scoring.js';
import {
  matchTypedOption,
  PROTECTED_WORDS,
  parseQuestionnaireControl,
  QUESTIONNAIRE_CONTROLS,
} from '../../../src/advisor/typed-answer.js';
import type { Factor, Knowledge } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, loadKnowledge } from '../../../src/knowledge/loader.js';
import { foldPlural, normalizeText } from '../../../src/knowledge/text.js';
import { projectRoot } from '../../../src/paths.js';
import { buildResultView } from '../../../src/views/questionnaire-view.js';
import { MIDDLE_OF_THE_ROAD } from '../../helpers/answers.js';

const T0 = new Date('2025-03-01T09:00:00.000Z');
const later = (ms: number) => new Date(T0.getTime() + ms);
const WHO = { teamId: 'T0TEAM0001', userId: 'U0PERSON001', channelId: 'D0DM000001' };
const IT = 'it-pm';
const GENERAL = 'general-pm';

let real: Knowledge;

beforeAll(async () => {
  real = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

function factorOf(knowledge: Knowledge, factorId: string): Factor {
  const factor = knowledge.factorsById.get(factorId);
  if (!factor) throw new Error(`no factor ${factorId}`);
  return factor;
}

// ---------------------------------------------------------------------------------------------------------
// Small synthetic knowledge, where exact numbers matter.

interface SyntheticOption {
  key: string;
  weights: Record<string, number>;
  label?: string;
  aliases?: string[];
}

/**
 * A valid knowledge store with the given roles and factors (f1, f2, …), one option list shared by every
 * factor. Option ids are `<factorId>-<key>`, since ids are unique across the whole store.
 */
function syntheticKnowledge(roleIds: readonly string[], factorCount: number, options: SyntheticOption[]) {
  const factorIds = Array.from({ length: factorCount }, (_, index) => `f${index + 1}`);
  const knowledge = buildKnowledge([
    {
      file: 'synthetic/knowledge.json',
      text: JSON.stringify({
        sources: [{ id: 'guide', title: 'A guide', sections: [{ id: 'intro', title: 'Introduction' }] }],
        roles: roleIds.map((id) => ({
          id,
          name: `Role ${id}`,
          person: `Role ${id} person`,
          shortName: id,
          summary: `Does ${id} things.`,
          skillsToBuild: ['Skill one.', 'Skill two.'],
          nextSteps: ['Step one.', 'Step two.'],
          sources: ['intro'],
        })),
        dimensions: [
          {
            id: 'skills',
            title: 'Skills',
            description: 'What each role needs.',
            roles: Object.fromEntries(roleIds.map((id) => [id, { summary: `${id} skills`, points: ['x'] }])),
            sources: ['intro'],
          },
        ],
        factors: factorIds.map((factorId) => ({
          id: factorId,
          question: `Question ${factorId}?`,
          why: `Why ${factorId}.`,
          options: options.map((option) => ({
            id: `${factorId}-${option.key}`,
            label: option.label ?? `Option ${option.key}`,
            aliases: option.aliases ?? [],
            weights: option.weights,
          })),
          sources: ['intro'],
        })),
      }),
    },
  ]);
  /** Answers by option key, one per factor in order: answers('it3', 'zero') → { f1: 'f1-it3', f2: 'f2-zero' }. */
  const answers = (...keys: string[]) =>
    Object.fromEntries(keys.map((key, index) => [`f${index + 1}`, `f${index + 1}-${key}`]));
  return { knowledge, answers };
}

/** Two roles, four factors; every factor's largest lead is 3, so four answers allow a lead of at most 12. */
const twoRoles = () =>
  syntheticKnowledge([IT, GENERAL], 4, [
    { key: 'it3', weights: { [IT]: 3, [GENERAL]: 0 } },
    { key: 'it2', weights: { [IT]: 2, [GENERAL]: 0 } },
    { key: 'it1', weights: { [IT]: 1, [GENERAL]: 0 } },
    { key: 'zero', weights: { [IT]: 0, [GENERAL]: 0 } },
    { key: 'gen3', weights: { [IT]: 0, [GENERAL]: 3 } },
  ]);

const DATA = 'data-pm';
/** Three roles, three factors; each option pushes one role by 3 (or none). */
const threeRoles = () =>
  syntheticKnowledge([IT, GENERAL, DATA], 3, [
    { key: 'it', weights: { [IT]: 3, [GENERAL]: 0, [DATA]: 0 } },
    { key: 'gen', weights: { [IT]: 0, [GENERAL]: 3, [DATA]: 0 } },
    { key: 'data', weights: { [IT]: 0, [GENERAL]: 0, [DATA]: 3 } },
    { key: 'none', weights: { [IT]: 0, [GENERAL]: 0, [DATA]: 0 } },
  ]);

/** The highest total minus the second highest. */
function marginOf(result: QuestionnaireResult): number {
  const [first = 0, second = 0] = Object.values(result.totals).sort((a, b) => b - a);
  return first - second;
}

// ---------------------------------------------------------------------------------------------------------

describe('the questionnaire session', () => {
  const start = () => startSession(real, WHO, T0, 'qs0000000001');
  const snapshot = (session: QuestionnaireSession) => structuredClone(session);

  /** Answers the current question with its first option, `count` times. */
  function answerFirst(session: QuestionnaireSession, count: number, now = T0) {
    for (let index = 0; index < count; index++) {
      const factor = currentFactor(real, session);
      if (!factor?.options[0]) throw new Error('no question waiting');
      expect(takeAnswer(real, session, factor.id, factor.options[0].id, now).kind).toBe('answered');
    }
  }

  it('starts at the first factor, asking every factor of the knowledge in order', () => {
    const session = start();
    expect(session).toEqual({
      id: 'qs0000000001',
      ...WHO,
      factorIds: real.factors.map((factor) => factor.id),
      answers: {},
      step: 0,
      questionTs: {},
      startedAt: T0.toISOString(),
      updatedAt: T0.toISOString(),
    });
    expect(session.factorIds.length).toBeGreaterThanOrEqual(5);
    expect(currentFactor(real, session)).toBe(real.factors[0]);
    expect(isComplete(session)).toBe(false);
  });

  it('records an answer to the current question and moves on to the next', () => {
    const session = start();
    const [first, second] = real.factors;
    const option = first?.options[1];
    if (!first || !second || !option) throw new Error('need two factors');
    const outcome = takeAnswer(real, session, first.id, option.id, later(5000));
    expect(outcome).toEqual({ kind: 'answered', factor: first, option });
    expect(session.answers).toEqual({ [first.id]: option.id });
    expect(session.step).toBe(1);
    expect(session.updatedAt).toBe(later(5000).toISOString());
    expect(session.startedAt).toBe(T0.toISOString());
    expect(currentFactor(real, session)).toBe(second);
  });

  it('completes after every factor is answered, with no current factor left', () => {
    const session = start();
    answerFirst(session, real.factors.length - 1);
    expect(isComplete(session)).toBe(false);
    answerFirst(session, 1);
    expect(isComplete(session)).toBe(true);
    expect(currentFactor(real, session)).toBeUndefined();
    expect(Object.keys(session.answers)).toEqual(real.factors.map((factor) => factor.id));
  });

  describe('a stale answer changes nothing', () => {
    it('answering a factor other than the current one (an old button)', () => {
      const session = start();
      answerFirst(session, 2);
      const before = snapshot(session);
      for (const factor of [real.factors[0], real.factors[1], real.factors[3]]) {
        if (!factor?.options[0]) throw new Error('missing factor');
        expect(takeAnswer(real, session, factor.id, factor.options[0].id, later(1000))).toEqual({
          kind: 'stale',
        });
        expect(session).toEqual(before);
      }
    });

    it('the second delivery of the same click', () => {
      const session = start();
      const factor = real.factors[0];
      const option = factor?.options[0];
      if (!factor || !option) throw new Error('missing factor');
      expect(takeAnswer(real, session, factor.id, option.id, T0).kind).toBe('answered');
      const before = snapshot(session);
      expect(takeAnswer(real, session, factor.id, option.id, later(1)).kind).toBe('stale');
      expect(session).toEqual(before);
    });

    it('an unknown option, or an option of another factor, for the current factor', () => {
      const session = start();
      const factor = currentFactor(real, session);
      const otherOption = real.factors[1]?.options[0];
      if (!factor || !otherOption) throw new Error('missing factor');
      const before = snapshot(session);
      for (const optionId of ['no-such-option', '', otherOption.id]) {
        expect(takeAnswer(real, session, factor.id, optionId, later(1000)).kind).toBe('stale');
        expect(session).toEqual(before);
      }
    });

    it('an unknown factor', () => {
      const session = start();
      const before = snapshot(session);
      expect(takeAnswer(real, session, 'no-such-factor', 'no-such-option', later(1000)).kind).toBe('stale');
      expect(session).toEqual(before);
    });

    it('any answer after the questionnaire is complete', () => {
      const session = start();
      answerFirst(session, real.factors.length);
      const before = snapshot(session);
      for (const factor of real.factors) {
        for (const option of factor.options) {
          expect(takeAnswer(real, session, factor.id, option.id, later(1000)).kind).toBe('stale');
        }
      }
      expect(session).toEqual(before);
    });
  });

  describe('goBack', () => {
    it('returns false at the first question and changes nothing', () => {
      const session = start();
      const before = snapshot(session);
      expect(goBack(session, later(1000))).toBe(false);
      expect(session).toEqual(before);
    });

    it('steps back one question and forgets its answer, keeping the earlier ones', () => {
      const session = start();
      answerFirst(session, 3);
      const [first, second, third] = real.factors;
      if (!first || !second || !third) throw new Error('need three factors');
      expect(goBack(session, later(9000))).toBe(true);
      expect(session.step).toBe(2);
      expect(Object.keys(session.answers)).toEqual([first.id, second.id]);
      expect(currentFactor(real, session)).toBe(third);
      expect(session.updatedAt).toBe(later(9000).toISOString());
      expect(goBack(session, later(9001))).toBe(true);
      expect(goBack(session, later(9002))).toBe(true);
      expect(session.step).toBe(0);
      expect(session.answers).toEqual({});
      expect(goBack(session, later(9003))).toBe(false);
      expect(session.updatedAt).toBe(later(9002).toISOString());
    });

    it('reopens the last question of a complete questionnaire', () => {
      const session = start();
      answerFirst(session, real.factors.length);
      const last = real.factors.at(-1);
      expect(goBack(session, later(1000))).toBe(true);
      expect(isComplete(session)).toBe(false);
      expect(currentFactor(real, session)).toBe(last);
      expect(last && last.id in session.answers).toBe(false);
      expect(Object.keys(session.answers)).toHaveLength(real.factors.length - 1);
    });

    it('lets the reopened question be answered again, differently', () => {
      const session = start();
      answerFirst(session, 1);
      goBack(session, later(1000));
      const factor = real.factors[0];
      const option = factor?.options[2];
      if (!factor || !option) throw new Error('missing option');
      expect(takeAnswer(real, session, factor.id, option.id, later(2000)).kind).toBe('answered');
      expect(session.answers).toEqual({ [factor.id]: option.id });
    });
  });

  describe('isExpired', () => {
    const TTL = 60 * 60 * 1000;

    it('expires only once more than the ttl has passed since the last change', () => {
      const session = start();
      expect(isExpired(session, T0, TTL)).toBe(false);
      expect(isExpired(session, later(TTL), TTL)).toBe(false);
      expect(isExpired(session, later(TTL + 1), TTL)).toBe(true);
    });

    it('counts from the last answer, not from the start', () => {
      const session = start();
      answerFirst(session, 1, later(TTL));
      expect(isExpired(session, later(TTL + TTL), TTL)).toBe(false);
      expect(isExpired(session, later(TTL + TTL + 1), TTL)).toBe(true);
    });
  });
});

describe('keeping answers safe', () => {
  const start = () => startSession(real, WHO, T0, 'qs0000000001');
  const answerFirst = (session: QuestionnaireSession, now = T0) => {
    const factor = currentFactor(real, session);
    if (!factor?.options[0]) throw new Error('no question waiting');
    takeAnswer(real, session, factor.id, factor.options[0].id, now);
  };

  describe('the revision a drop confirmation names', () => {
    it('starts at 0 and moves with every answer and every back, not with a stale answer', () => {
      const session = start();
      expect(revisionOf(session)).toBe(0);
      answerFirst(session);
      answerFirst(session);
      expect(revisionOf(session)).toBe(2);
      expect(goBack(session, later(1))).toBe(true);
      expect(revisionOf(session)).toBe(3);
      const first = real.factors[0];
      if (!first?.options[0]) throw new Error('need a factor');
      expect(takeAnswer(real, session, first.id, first.options[0].id, later(2)).kind).toBe('stale');
      expect(revisionOf(session)).toBe(3);
      // Back to the same answers at step 1 is still a new revision: a confirmation asked before is out of date.
      answerFirst(session);
      expect(revisionOf(session)).toBe(4);
    });

    it('confirms only the same questionnaire at the same revision', () => {
      const session = start();
      answerFirst(session);
      const asked = { sessionId: session.id, revision: revisionOf(session) };
      expect(checkDropConfirmation(session, asked)).toBe('confirmed');
      answerFirst(session);
      expect(checkDropConfirmation(session, asked)).toBe('moved-on');
      expect(checkDropConfirmation(session, { ...asked, revision: revisionOf(session) })).toBe('confirmed');
      // Dropped already (a second delivery of the click), or restarted: another questionnaire, or none.
      expect(checkDropConfirmation(undefined, asked)).toBe('ended');
      const restarted = startSession(real, WHO, later(1), 'qs0000000002');
      expect(checkDropConfirmation(restarted, { sessionId: session.id, revision: 0 })).toBe('ended');
      expect(checkDropConfirmation(session, { sessionId: session.id, revision: -1 })).toBe('moved-on');
    });

    it('counts what a drop would lose, and where the person is', () => {
      const session = start();
      expect([answeredCount(session), questionPosition(session)]).toEqual([
        0,
        { number: 1, of: real.factors.length },
      ]);
      answerFirst(session);
      answerFirst(session);
      expect([answeredCount(session), questionPosition(session)]).toEqual([
        2,
        { number: 3, of: real.factors.length },
      ]);
    });
  });

  describe('pointing back at the waiting question', () => {
    it('points while few messages are below it, and asks again in full once more than the limit are', () => {
      const session = start();
      markQuestionAsked(session, 'tech-inclination', '1740819600.000100', T0);
      for (let below = 1; below <= QUESTION_OUT_OF_SIGHT.messages; below++)
        expect(noteMessagesBelow(session, 1, later(below))).toBe('pointer');
      expect(noteMessagesBelow(session, 1, later(60_000))).toBe('repost');
      // Posted again: nothing below it any more.
      markQuestionAsked(session, 'tech-inclination', '1740819700.000100', later(60_000));
      expect(session.questionTs['tech-inclination']).toBe('1740819700.000100');
      expect(noteMessagesBelow(session, 3, later(61_000))).toBe('pointer');
      expect(session.messagesBelow).toBe(3);
    });

    it('asks again in full once the question was posted longer ago than the limit, however few are below', () => {
      const session = start();
      markQuestionAsked(session, 'tech-inclination', '1740819600.000100', T0);
      expect(noteMessagesBelow(session, 1, later(QUESTION_OUT_OF_SIGHT.ms))).toBe('pointer');
      expect(noteMessagesBelow(session, 0, later(QUESTION_OUT_OF_SIGHT.ms + 1))).toBe('repost');
    });

    it('counts afresh for the next question: an answer or a back leaves nothing below a question not yet posted', () => {
      const session = start();
      markQuestionAsked(session, 'tech-inclination', '1740819600.000100', T0);
      noteMessagesBelow(session, 5, later(1));
      answerFirst(session, later(2));
      expect(session.messagesBelow).toBeUndefined();
      expect(session.askedAt).toBeUndefined();
      // Not posted yet: timed from the answer.
      expect(noteMessagesBelow(session, 1, later(2 + QUESTION_OUT_OF_SIGHT.ms))).toBe('pointer');
      noteMessagesBelow(session, 2, later(3));
      goBack(session, later(4));
      expect(session.messagesBelow).toBeUndefined();
    });
  });

  describe('a questionnaire saved by the previous version', () => {
    const old = {
      id: 'qs0000000001',
      ...WHO,
      factorIds: ['tech-inclination', 'industries'],
      answers: { 'tech-inclination': 'tech-inclination-high' },
      step: 1,
      questionTs: { 'tech-inclination': '1740819600.000100' },
      startedAt: T0.toISOString(),
      updatedAt: later(1000).toISOString(),
    };

    it('parses without the new fields, at revision 0, its question timed from its last change', () => {
      const parsed = questionnaireSessionSchema.parse(old);
      expect(parsed).not.toHaveProperty('revision');
      expect(revisionOf(parsed)).toBe(0);
      expect(checkDropConfirmation(parsed, { sessionId: old.id, revision: 0 })).toBe('confirmed');
      expect(noteMessagesBelow(parsed, 1, later(1000 + QUESTION_OUT_OF_SIGHT.ms))).toBe('pointer');
      expect(noteMessagesBelow(parsed, 1, later(1001 + QUESTION_OUT_OF_SIGHT.ms))).toBe('repost');
    });

    it('keeps the new fields through the schema, and refuses broken ones', () => {
      const current = { ...old, revision: 4, askedAt: later(2000).toISOString(), messagesBelow: 3 };
      expect(questionnaireSessionSchema.parse(current)).toEqual(current);
      expect(questionnaireSessionSchema.safeParse({ ...current, revision: -1 }).success).toBe(false);
      expect(questionnaireSessionSchema.safeParse({ ...current, messagesBelow: 1.5 }).success).toBe(false);
    });
  });
});

describe('scoreAnswers on the project knowledge', () => {
  /** The answers picking option `index` of every factor (or its last option when there are fewer). */
  const optionAt = (pick: (factor: Factor) => number) =>
    Object.fromEntries(
      real.factors.map((factor) => {
        const option = factor.options[Math.min(pick(factor), factor.options.length - 1)];
        if (!option) throw new Error(`no option for ${factor.id}`);
        return [factor.id, option.id];
      }),
    );
  /** The option of each factor that gives the role the most points over the other. */
  const mostToward = (roleId: string, otherId: string) =>
    optionAt((factor) => {
      const lead = factor.options.map(
        (option) => (option.weights[roleId] ?? 0) - (option.weights[otherId] ?? 0),
      );
      return lead.indexOf(Math.max(...lead));
    });

  it('leans strongly to IT PM when every first (technical) option is chosen', () => {
    const result = scoreAnswers(
      real,
      optionAt(() => 0),
    );
    expect(result.leanRoleId).toBe(IT);
    expect(result.strength).toBe('strong');
    expect(result.totals[IT]).toBeGreaterThan(result.totals[GENERAL] ?? 0);
    expect(result.leadShare).toBeGreaterThan(0.5);
    expect(result.contributions).toHaveLength(real.factors.filter((factor) => !weighsNothing(factor)).length);
    for (const contribution of result.contributions) expect(contribution.towardRoleId).toBe(IT);
  });

  it('leans strongly to general PM when the business options are chosen', () => {
    const answers = mostToward(GENERAL, IT);
    // The chosen options are the markets/customers ones, not a quirk of option order.
    expect(answers['tech-inclination']).toBe('tech-inclination-low');
    expect(answers.strengths).toBe('strengths-marketing-sales');
    const result = scoreAnswers(real, answers);
    expect(result.leanRoleId).toBe(GENERAL);
    expect(result.strength).toBe('strong');
    expect(result.leadShare).toBe(1);
    expect(result.pivot).toBeUndefined();
  });

  it('is balanced for middle-of-the-road answers', () => {
    const answers = MIDDLE_OF_THE_ROAD;
    expect(Object.keys(answers).sort()).toEqual(real.factors.map((factor) => factor.id).sort());
    const result = scoreAnswers(real, answers);
    expect(Object.keys(result.totals).sort()).toEqual([GENERAL, IT]);
    expect(marginOf(result)).toBeLessThanOrEqual(BALANCED_MARGIN);
    expect(result.leanRoleId).toBeUndefined();
    expect(result.strength).toBe('balanced');
    // Balanced, so any answer that creates a lean is a pivot.
    expect(result.pivot?.leanRoleIdAfter).toBeDefined();
  });

  it('ignores answers to unknown factors and unknown options', () => {
    const answers = optionAt(() => 0);
    const withJunk = { ...answers, 'no-such-factor': 'x', industries: 'no-such-option' };
    const { industries: _dropped, ...withoutIndustries } = answers;
    const result = scoreAnswers(real, withJunk);
    expect(result.totals).toEqual(scoreAnswers(real, withoutIndustries).totals);
    expect(result.contributions.map((c) => c.factor.id)).not.toContain('industries');
  });

  /** Every combination of answers of the project questionnaire: a few thousand, checked against brute force. */
  it('gives a consistent lean, strength and pivot for every combination of answers', () => {
    const combinations = real.factors.reduce<Record<string, string>[]>(
      (partials, factor) =>
        partials.flatMap((partial) =>
          factor.options.map((option) => ({ ...partial, [factor.id]: option.id })),
        ),
      [{}],
    );
    expect(combinations.length).toBe(
      real.factors.reduce((count, factor) => count * factor.options.length, 1),
    );
    const leans = new Set<string | undefined>();
    const problems: string[] = [];
    for (const answers of combinations) {
      const result = scoreAnswers(real, answers);
      leans.add(result.leanRoleId);
      const margin = marginOf(result);
      const where = JSON.stringify(answers);
      if (margin > BALANCED_MARGIN !== (result.leanRoleId !== undefined)) problems.push(`lean ${where}`);
      if ((result.strength === 'balanced') !== (result.leanRoleId === undefined))
        problems.push(`strength ${where}`);
      if (result.leanRoleId && result.totals[result.leanRoleId] !== Math.max(...Object.values(result.totals)))
        problems.push(`lean not the top role ${where}`);
      if (result.leadShare < 0 || result.leadShare > 1) problems.push(`leadShare ${where}`);
      // Brute force: which single changes alter the lean, and which flip it to another role.
      const changes = Object.entries(answers).flatMap(([factorId, optionId]) =>
        factorOf(real, factorId)
          .options.filter((option) => option.id !== optionId)
          .map((option) => scoreAnswers(real, { ...answers, [factorId]: option.id }).leanRoleId),
      );
      const alters = changes.some((lean) => lean !== result.leanRoleId);
      const flips = changes.some((lean) => lean !== undefined && lean !== result.leanRoleId);
      if (!result.pivot) {
        if (alters) problems.push(`missing pivot ${where}`);
        continue;
      }
      const { factor, from, to, leanRoleIdAfter } = result.pivot;
      if (answers[factor.id] !== from.id || from.id === to.id) problems.push(`pivot from ${where}`);
      const after = scoreAnswers(real, { ...answers, [factor.id]: to.id });
      if (after.leanRoleId !== leanRoleIdAfter || leanRoleIdAfter === result.leanRoleId)
        problems.push(`pivot lean ${where}`);
      if (flips && leanRoleIdAfter === undefined) problems.push(`pivot balances but a flip exists ${where}`);
    }
    expect(problems.slice(0, 10)).toEqual([]);
    expect([...leans].sort()).toEqual([GENERAL, IT, undefined]);
  });
});

describe('scoreAnswers on synthetic knowledge', () => {
  it('grows from balanced to slight, clear and strong with the lead', () => {
    const { knowledge, answers } = twoRoles();
    const cases: [string[], QuestionnaireResult['strength'], number][] = [
      [['zero', 'zero', 'zero', 'zero'], 'balanced', 0],
      [['it1', 'zero', 'zero', 'zero'], 'balanced', 1 / 12],
      [['it2', 'zero', 'zero', 'zero'], 'slight', 2 / 12],
      [['it3', 'zero', 'zero', 'zero'], 'clear', 3 / 12],
      [['it3', 'it2', 'zero', 'zero'], 'clear', 5 / 12],
      [['it3', 'it3', 'zero', 'zero'], 'strong', 6 / 12],
      [['it3', 'it3', 'it3', 'it3'], 'strong', 1],
    ];
    for (const [keys, strength, leadShare] of cases) {
      const result = scoreAnswers(knowledge, answers(...keys));
      expect({ keys, strength: result.strength, leadShare: result.leadShare }).toEqual({
        keys,
        strength,
        leadShare: expect.closeTo(leadShare, 10),
      });
      expect(result.leanRoleId).toBe(strength === 'balanced' ? undefined : IT);
    }
  });

  it('leans toward whichever role leads, by the same rules', () => {
    const { knowledge, answers } = twoRoles();
    const result = scoreAnswers(knowledge, answers('gen3', 'gen3', 'it1', 'zero'));
    expect(result.totals).toEqual({ [IT]: 1, [GENERAL]: 6 });
    expect(result.leanRoleId).toBe(GENERAL);
    expect(result.strength).toBe('clear');
    expect(result.leadShare).toBeCloseTo(5 / 12, 10);
  });

  it('scores only what was answered: the largest lead counts answered factors only', () => {
    const { knowledge, answers } = twoRoles();
    const result = scoreAnswers(knowledge, answers('it3', 'it3'));
    expect(result.leadShare).toBe(1);
    expect(result.strength).toBe('strong');
    expect(scoreAnswers(knowledge, {})).toMatchObject({
      leanRoleId: undefined,
      strength: 'balanced',
      leadShare: 0,
      contributions: [],
      pivot: undefined,
    });
  });

  it('sorts contributions by amount, each toward the role it pushed', () => {
    const { knowledge, answers } = twoRoles();
    const result = scoreAnswers(knowledge, answers('it2', 'gen3', 'zero', 'it3'));
    expect(result.totals).toEqual({ [IT]: 5, [GENERAL]: 3 });
    expect(result.leanRoleId).toBe(IT);
    const rows = result.contributions.map((c) => ({
      factor: c.factor.id,
      option: c.option.id,
      toward: c.towardRoleId,
      amount: c.amount,
    }));
    expect(rows.map((row) => row.amount)).toEqual([3, 3, 2, 0]);
    expect(rows).toEqual(
      expect.arrayContaining([
        { factor: 'f1', option: 'f1-it2', toward: IT, amount: 2 },
        { factor: 'f2', option: 'f2-gen3', toward: GENERAL, amount: 3 },
        { factor: 'f4', option: 'f4-it3', toward: IT, amount: 3 },
      ]),
    );
    expect(rows[3]).toEqual({ factor: 'f3', option: 'f3-zero', toward: undefined, amount: 0 });
  });

  describe('the pivot answer', () => {
    it('finds the one change that flips the lean', () => {
      const { knowledge, answers } = twoRoles();
      // IT 4: only f1 it3 → gen3 flips it (1 vs 3); every other change keeps or balances it.
      const result = scoreAnswers(knowledge, answers('it3', 'it1', 'zero', 'zero'));
      expect(result.leanRoleId).toBe(IT);
      expect(result.pivot).toBeDefined();
      expect({
        factor: result.pivot?.factor.id,
        from: result.pivot?.from.id,
        to: result.pivot?.to.id,
        leanRoleIdAfter: result.pivot?.leanRoleIdAfter,
      }).toEqual({ factor: 'f1', from: 'f1-it3', to: 'f1-gen3', leanRoleIdAfter: GENERAL });
    });

    it('prefers a flip over a change that only balances, wherever the flip is', () => {
      const { knowledge, answers } = twoRoles();
      // IT 4 vs 0: f1 it1 → gen3, f2 zero → gen3 or f4 it3 → zero only balance; f4 it3 → gen3 flips (1 vs 3).
      const result = scoreAnswers(knowledge, answers('it1', 'zero', 'zero', 'it3'));
      expect(result.totals).toEqual({ [IT]: 4, [GENERAL]: 0 });
      expect(result.pivot?.factor.id).toBe('f4');
      expect(result.pivot?.to.id).toBe('f4-gen3');
      expect(result.pivot?.leanRoleIdAfter).toBe(GENERAL);
    });

    it('balances the lean when no single change can flip it', () => {
      const { knowledge, answers } = twoRoles();
      // IT 6: it3 → gen3 on f1 or f2 gives 3 vs 3; nothing gives general a lead of 2.
      const given = answers('it3', 'it3', 'zero', 'zero');
      const result = scoreAnswers(knowledge, given);
      expect(result.leanRoleId).toBe(IT);
      const pivot = result.pivot;
      if (!pivot) throw new Error('expected a pivot');
      expect(pivot.leanRoleIdAfter).toBeUndefined();
      expect(['f1', 'f2']).toContain(pivot.factor.id);
      expect(pivot.from.id).toBe(`${pivot.factor.id}-it3`);
      expect(pivot.to.id).toBe(`${pivot.factor.id}-gen3`);
      const after = scoreAnswers(knowledge, { ...given, [pivot.factor.id]: pivot.to.id });
      expect(after.leanRoleId).toBeUndefined();
      expect(marginOf(after)).toBe(0);
    });

    it('is undefined when no single change can alter the lean', () => {
      const { knowledge, answers } = twoRoles();
      const result = scoreAnswers(knowledge, answers('it3', 'it3', 'it3', 'it3'));
      expect(result.totals).toEqual({ [IT]: 12, [GENERAL]: 0 });
      expect(result.pivot).toBeUndefined();
    });

    it('from a balanced result, names a change that creates a lean', () => {
      const { knowledge, answers } = twoRoles();
      const given = answers('it1', 'zero', 'zero', 'zero');
      const result = scoreAnswers(knowledge, given);
      expect(result.leanRoleId).toBeUndefined();
      const pivot = result.pivot;
      if (!pivot) throw new Error('expected a pivot');
      expect(pivot.leanRoleIdAfter).toBeDefined();
      expect(scoreAnswers(knowledge, { ...given, [pivot.factor.id]: pivot.to.id }).leanRoleId).toBe(
        pivot.leanRoleIdAfter,
      );
    });
  });

  describe('with a third role', () => {
    it('leans toward the third role and keeps a total for every role', () => {
      const { knowledge, answers } = threeRoles();
      const result = scoreAnswers(knowledge, answers('data', 'data', 'none'));
      expect(result.totals).toEqual({ [IT]: 0, [GENERAL]: 0, [DATA]: 6 });
      expect(result.leanRoleId).toBe(DATA);
      expect(result.strength).toBe('strong');
      expect(result.leadShare).toBeCloseTo(6 / 9, 10);
      expect(result.contributions.map((c) => [c.factor.id, c.towardRoleId, c.amount])).toEqual([
        ['f1', DATA, 3],
        ['f2', DATA, 3],
        ['f3', undefined, 0],
      ]);
    });

    it('measures the lead against the runner-up, whichever role it is', () => {
      const { knowledge, answers } = threeRoles();
      const result = scoreAnswers(knowledge, answers('it', 'it', 'data'));
      expect(result.totals).toEqual({ [IT]: 6, [GENERAL]: 0, [DATA]: 3 });
      expect(result.leanRoleId).toBe(IT);
      expect(result.strength).toBe('clear');
      expect(result.leadShare).toBeCloseTo(3 / 9, 10);
      expect(result.contributions.map((c) => [c.factor.id, c.towardRoleId, c.amount])).toEqual([
        ['f1', IT, 3],
        ['f2', IT, 3],
        ['f3', DATA, 3],
      ]);
    });

    it('finds a pivot that flips the lean to the third role', () => {
      const { knowledge, answers } = threeRoles();
      // IT 6, data 3: moving one IT answer to data gives data 6 vs IT 3; moving it to general only balances.
      const result = scoreAnswers(knowledge, answers('it', 'it', 'data'));
      const pivot = result.pivot;
      if (!pivot) throw new Error('expected a pivot');
      expect(pivot.leanRoleIdAfter).toBe(DATA);
      expect(['f1', 'f2']).toContain(pivot.factor.id);
      expect(pivot.from.id).toBe(`${pivot.factor.id}-it`);
      expect(pivot.to.id).toBe(`${pivot.factor.id}-data`);
    });

    it('is balanced when two of three roles tie at the top', () => {
      const { knowledge, answers } = threeRoles();
      const result = scoreAnswers(knowledge, answers('gen', 'data', 'none'));
      expect(result.totals).toEqual({ [IT]: 0, [GENERAL]: 3, [DATA]: 3 });
      expect(result.leanRoleId).toBeUndefined();
      expect(result.strength).toBe('balanced');
    });
  });
});

describe('matchTypedOption', () => {
  const match = (factorId: string, text: string) => matchTypedOption(factorOf(real, factorId), text)?.id;

  it.each([
    ['1', 'industries-software-it'],
    ['2', 'industries-regulated'],
    ['#2', 'industries-regulated'],
    ['option 2', 'industries-regulated'],
    [' 2. ', 'industries-regulated'],
    ['Option #4', 'industries-open'],
    ['3)', 'industries-other'],
  ])('picks an option by its number: %j → %s', (text, optionId) => {
    expect(match('industries', text)).toBe(optionId);
  });

  it.each(['0', '5', '9', '42', 'option 17'])('matches nothing for the out-of-range number %j', (text) => {
    expect(factorOf(real, 'industries').options).toHaveLength(4);
    expect(match('industries', text)).toBeUndefined();
  });

  it.each([
    ['strengths', 'marketing and sales', 'strengths-marketing-sales'],
    ['strengths', 'Marketing & Sales!', 'strengths-marketing-sales'],
    ['industries', 'consumer goods', 'industries-other'],
    ['industries', 'I like consumer goods', 'industries-other'],
    ['industries', 'healthcare', 'industries-regulated'],
    ['industries', 'software and IT', 'industries-software-it'],
    ['team-preference', 'mostly developers', 'team-preference-technical'],
    ['tech-pace', 'I love it', 'tech-pace-love'],
    ['career-goals', "I don't know", 'career-goals-undecided'],
    ['tech-inclination', 'not technical', 'tech-inclination-low'],
    ['tech-inclination', "I'm non-technical", 'tech-inclination-low'],
    ['tech-inclination', 'very technical', 'tech-inclination-high'],
  ])('in %s, picks by words of a label or alias: %j → %s', (factorId, text, optionId) => {
    expect(match(factorId, text)).toBe(optionId);
  });

  it('lets a longer alias win over a shorter one it contains', () => {
    const { knowledge } = syntheticKnowledge([IT, GENERAL], 1, [
      { key: 'tech', label: 'Hands on', aliases: ['technical'], weights: { [IT]: 3, [GENERAL]: 0 } },
      { key: 'nontech', label: 'Hands off', aliases: ['not technical'], weights: { [IT]: 0, [GENERAL]: 3 } },
    ]);
    const factor = factorOf(knowledge, 'f1');
    expect(matchTypedOption(factor, "I'm technical")?.id).toBe('f1-tech');
    expect(matchTypedOption(factor, "I'm not technical")?.id).toBe('f1-nontech');
    expect(matchTypedOption(factor, 'NOT technical, sorry')?.id).toBe('f1-nontech');
  });

  it.each([
    ['strengths', 'technical or marketing'],
    ['team-preference', 'engineers or marketing'],
    ['career-goals', 'specialise or broad'],
    ['industries', 'retail or cars'],
  ])('matches nothing for the ambiguous reply in %s: %j', (factorId, text) => {
    expect(match(factorId, text)).toBeUndefined();
  });

  it.each(['banana', 'asdf qwerty', '', '   ', '???', 'the', 'lorem ipsum dolor'])(
    'matches nothing for the garbage reply %j',
    (text) => {
      for (const factor of real.factors) expect(matchTypedOption(factor, text)).toBeUndefined();
    },
  );

  // BUG (src/advisor/questionnaire.ts matchTypedOption, alias phrase test `joined.includes(\` ${phrase} \`)`):
  // there is no negation, so in tech-inclination "not very technical" contains the alias "very technical" of
  // tech-inclination-high and picks it. Expected tech-inclination-low (or undefined, then a re-ask);
  // actual tech-inclination-high: the person is recorded as very technical.
  it('does not read "not very technical" as very technical', () => {
    expect(match('tech-inclination', 'not very technical')).not.toBe('tech-inclination-high');
  });

  // BUG (src/advisor/questionnaire.ts matchTypedOption, `score += tokens.filter(… labelWords.has …)`):
  // a word that is both an alias and a label word counts twice, so a reply naming two options equally
  // is not ambiguous. Strengths, "engineering or sales": strengths-technical scores 10 (alias
  // "engineering"), strengths-marketing-sales 11 (alias "sales" + label word "sales"). Expected undefined
  // (re-ask, like "technical or marketing"); actual strengths-marketing-sales. Same for industries,
  // "software or retail" → industries-software-it.
  it('treats a reply naming two options equally as ambiguous, whichever words it uses', () => {
    expect(match('strengths', 'engineering or sales')).toBeUndefined();
    expect(match('industries', 'software or retail')).toBeUndefined();
  });
});

describe('fairness: who someone is never steers the answer', () => {
  const WITH_PROTECTED_WORDS = [
    (label: string) => `as a 45 year old mother, ${label}`,
    (label: string) => `${label} — I'm a young man from India`,
    (label: string) => `married woman here: ${label}`,
    (label: string) => `${label.toUpperCase()} (retired, disabled, muslim, single dad)`,
  ];
  const ONLY_PROTECTED_WORDS = [
    'married woman',
    'young man',
    'old mother',
    'single dad',
    'Retired!',
    'a muslim woman',
    'teenager',
    'I am a man',
    'she/her',
    'I am a mother',
    [...PROTECTED_WORDS].join(' '),
    ...PROTECTED_WORDS,
  ];

  it('matches each option by its own label', () => {
    for (const factor of real.factors) {
      for (const option of factor.options) {
        expect([factor.id, matchTypedOption(factor, option.label)?.id]).toEqual([factor.id, option.id]);
      }
    }
  });

  it('matches the same option when the label comes with words about age, gender, origin or family', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const factor of real.factors) {
      for (const option of factor.options) {
        const plain = matchTypedOption(factor, option.label)?.id;
        for (const reply of WITH_PROTECTED_WORDS.map((wrap) => wrap(option.label))) {
          checked++;
          const got = matchTypedOption(factor, reply)?.id;
          if (got !== plain)
            mismatches.push(`${factor.id}: ${JSON.stringify(reply)} → ${got} (plain: ${plain})`);
        }
      }
    }
    expect(checked).toBe(real.factors.reduce((sum, factor) => sum + factor.options.length, 0) * 4);
    expect(mismatches).toEqual([]);
  });

  it('matches nothing for a reply made only of such words', () => {
    const matched: string[] = [];
    for (const factor of real.factors) {
      for (const reply of ONLY_PROTECTED_WORDS) {
        const got = matchTypedOption(factor, reply)?.id;
        if (got) matched.push(`${factor.id}: ${JSON.stringify(reply)} → ${got}`);
      }
    }
    expect(matched).toEqual([]);
  });

  // The check above is only as strong as the word list: prove these words would match if they were not protected.
  it('never matches an option by a protected word, even one its knowledge names as an alias', () => {
    const { knowledge } = syntheticKnowledge([IT, GENERAL], 1, [
      {
        key: 'a',
        label: 'Hands on',
        aliases: ['mother', 'young', 'hands on'],
        weights: { [IT]: 3, [GENERAL]: 0 },
      },
      { key: 'b', label: 'Anything else', aliases: ['other'], weights: { [IT]: 0, [GENERAL]: 3 } },
    ]);
    const factor = factorOf(knowledge, 'f1');
    expect(matchTypedOption(factor, 'hands on')?.id).toBe('f1-a');
    expect(matchTypedOption(factor, 'other')?.id).toBe('f1-b');
    for (const reply of ['mother', 'young', 'a young mother'])
      expect(matchTypedOption(factor, reply)).toBeUndefined();
  });

  // BUG (src/advisor/questionnaire.ts matchTypedOption, the number branch
  // `if (numbers.length === 1 && tokens.length <= 3) return factor.options[Number(numbers[0]) - 1]`):
  // protected words are dropped before the number rule runs, so a reply about family or age that holds a
  // number becomes "pick that option". Industries, "I have 2 kids" → tokens "i have 2" → industries-regulated;
  // "aged 3" → industries-other; "mother of 2" → industries-regulated. Expected undefined (re-ask);
  // actual an answer chosen by the number of children or the age.
  it('does not turn a number about family or age into an answer', () => {
    for (const factor of real.factors) {
      for (const reply of ['I have 2 kids', 'mother of 2', 'aged 3', '2 children']) {
        expect([factor.id, reply, matchTypedOption(factor, reply)?.id]).toEqual([
          factor.id,
          reply,
          undefined,
        ]);
      }
    }
  });

  it('never asks for them: no factor question, option label or alias uses a protected word', () => {
    const found: string[] = [];
    for (const factor of real.factors) {
      const texts = [
        factor.question,
        factor.why,
        ...factor.options.flatMap((option) => [option.label, ...option.aliases]),
      ];
      for (const text of texts) {
        const words = normalizeText(text).split(' ');
        const hits = words.filter(
          (word) => PROTECTED_WORDS.has(word) || PROTECTED_WORDS.has(foldPlural(word)),
        );
        if (hits.length > 0) found.push(`${factor.id}: ${JSON.stringify(text)} uses ${hits.join(', ')}`);
      }
    }
    expect(found).toEqual([]);
  });

  it('the protected list covers gender, age, origin, family and religion', () => {
    for (const word of ['woman', 'man', 'age', 'old', 'young', 'indian', 'mother', 'married', 'muslim'])
      expect(PROTECTED_WORDS.has(word)).toBe(true);
  });
});

describe('parseQuestionnaireControl', () => {
  const everyWord = QUESTIONNAIRE_CONTROLS.flatMap((control) =>
    control.words.map((word) => [control.id, word] as [string, string]),
  );

  it.each(everyWord)('reads %s from %j, whatever the case and spacing', (id, word) => {
    expect(parseQuestionnaireControl(word)).toBe(id);
    expect(parseQuestionnaireControl(word.toUpperCase())).toBe(id);
    expect(parseQuestionnaireControl(`  ${word.split(' ').join('   ')}  `)).toBe(id);
    expect(parseQuestionnaireControl(`${word}!`)).toBe(id);
  });

  it('reads "start over" as restart', () => {
    expect(parseQuestionnaireControl('start over')).toBe('restart');
    expect(parseQuestionnaireControl('Start Over.')).toBe('restart');
  });

  it.each([
    '2',
    'marketing and sales',
    'I want to go back to coding',
    'back end development',
    'stop and think',
    'not sure',
    '',
    'backwards',
  ])('is undefined for the ordinary reply %j', (text) => {
    expect(parseQuestionnaireControl(text)).toBeUndefined();
  });
});

describe('detectDmIntent', () => {
  it.each([
    ['help me choose', 'start'],
    ['Which path is right for me?', 'start'],
    ['start', 'start'],
    ['Start!', 'start'],
    ['quiz', 'start'],
    ['can you help me choose a career', 'start'],
    ['my results', 'history'],
    ['Show me my results please', 'history'],
    ['history', 'history'],
    ['forget me', 'forget'],
    ['Please forget me.', 'forget'],
    ['help', 'help'],
    ['HELP', 'help'],
  ])('reads %j as %s', (text, intent) => {
    expect(detectDmIntent(text)).toBe(intent);
  });

  it.each([
    'what is the difference between an IT PM and a PM?',
    'do I need to code?',
    'start over',
    'what results do IT PMs deliver?',
    'help me understand KPIs',
    '',
    '   ',
  ])('leaves %j to the questionnaire or to Q&A', (text) => {
    expect(detectDmIntent(text)).toBeUndefined();
  });

  // BUG (src/advisor/dm-intents.ts, start phrases 'which career' / 'which path' matched anywhere in the
  // message): a salary question is taken for "start the questionnaire". Input "which career pays more,
  // IT PM or PM?": expected undefined (answered by Q&A, entry salary-expectations); actual 'start'.
  it('does not take a question about the careers for a request to start', () => {
    expect(detectDmIntent('which career pays more, IT PM or PM?')).toBeUndefined();
  });
});

describe('negated typed answers', () => {
  it('never read a negated reply as the option it negates', async () => {
    const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    const factor = (id: string) => {
      const found = knowledge.factorsById.get(id);
      if (!found) throw new Error(id);
      return found;
    };
    expect(matchTypedOption(factor('industries'), 'not software')).toBeUndefined();
    expect(matchTypedOption(factor('tech-inclination'), 'i dont love tech')).toBeUndefined();
    expect(matchTypedOption(factor('strengths'), 'i am not good at sales')).toBeUndefined();
    expect(matchTypedOption(factor('career-goals'), 'dont want to specialise')).toBeUndefined();
    expect(matchTypedOption(factor('tech-inclination'), 'not much')?.id).toBe('tech-inclination-low');
    expect(matchTypedOption(factor('industries'), "I don't mind")?.id).toBe('industries-open');
  });
});

describe('the optional background question', () => {
  const withBackground = (optionId: string) => ({ ...MIDDLE_OF_THE_ROAD, background: optionId });
  const section = (message: { blocks: unknown[] }, heading: string) =>
    JSON.stringify(message.blocks.find((block) => JSON.stringify(block).includes(heading)) ?? {});

  it('never moves the lean, the totals or what pushed it', () => {
    const base = scoreAnswers(real, withBackground('background-other'));
    for (const option of real.factorsById.get('background')?.options ?? []) {
      const result = scoreAnswers(real, withBackground(option.id));
      expect(result.totals).toEqual(base.totals);
      expect(result.leanRoleId).toEqual(base.leanRoleId);
      expect(result.contributions.map((c) => c.factor.id)).not.toContain('background');
    }
  });

  it('puts its own skills and next steps first: an engineer is told to build market skills, a banker technical literacy', () => {
    const engineer = buildResultView(
      real,
      scoreAnswers(real, withBackground('background-engineering')),
      'r1',
    );
    const banker = buildResultView(real, scoreAnswers(real, withBackground('background-business')), 'r2');
    const skipped = buildResultView(real, scoreAnswers(real, withBackground('background-other')), 'r3');
    expect(section(engineer, 'Skills to build')).toContain('Customer discovery');
    expect(section(engineer, 'Next steps')).toContain('customer calls');
    expect(section(banker, 'Skills to build')).toContain('Technical literacy');
    expect(section(banker, 'Skills to build')).not.toContain('Customer discovery');
    expect(section(skipped, 'Skills to build')).not.toContain('Technical literacy');
    expect(section(skipped, 'Skills to build')).not.toContain('Customer discovery');
  });
});
