import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { answerStrength, countDirections, describeResult } from '../../../src/advisor/result-wording.js';
import { scoreAnswers } from '../../../src/advisor/scoring.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import {
  buildHistoryView,
  buildResultView,
  buildSharedResultView,
} from '../../../src/views/questionnaire-view.js';
import { MIDDLE_OF_THE_ROAD } from '../../helpers/answers.js';

let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

/** The project's questionnaire answered with these options (one per question, the background last). */
const answered = (...optionIds: string[]) =>
  Object.fromEntries(
    [
      'tech-inclination',
      'industries',
      'strengths',
      'team-preference',
      'tech-pace',
      'career-goals',
      'market-research',
      'background',
    ].map((factorId, index) => [factorId, optionIds[index] ?? 'background-other']),
  );

const ALL_IT = answered(
  'tech-inclination-high',
  'industries-software-it',
  'strengths-technical',
  'team-preference-technical',
  'tech-pace-love',
  'career-goals-specialise-tech',
  'market-research-it-pm',
);
const MOSTLY_IT = answered(
  'tech-inclination-high',
  'industries-software-it',
  'strengths-technical',
  'team-preference-diverse',
  'tech-pace-fine',
  'career-goals-undecided',
  'market-research-it-pm',
);
/** Two answers each way, but the two toward IT PM push harder. */
const FEWER_BUT_STRONGER = answered(
  'tech-inclination-high',
  'industries-software-it',
  'strengths-business-strategy',
  'team-preference-no-preference',
  'tech-pace-fine',
  'career-goals-undecided',
  'market-research-general-pm',
);
const ALL_GENERAL = answered(
  'tech-inclination-low',
  'industries-other',
  'strengths-marketing-sales',
  'team-preference-diverse',
  'tech-pace-avoid',
  'career-goals-broad-business',
  'market-research-general-pm',
);

describe('describeResult: a result in plain words', () => {
  it('says how many answers point to the lean, and how strongly', () => {
    const result = scoreAnswers(knowledge, ALL_IT);
    expect(result.strength).toBe('strong');
    expect(describeResult(knowledge, result)).toEqual({
      summary: '7 of your 7 answers point to IT PM, strongly',
      detail: '',
      sentence: '7 of your 7 answers point to IT PM, strongly.',
    });
  });

  it('says where the other answers point, the background question (which weighs nothing) left out', () => {
    const result = scoreAnswers(knowledge, MOSTLY_IT);
    expect(result.strength).toBe('clear');
    expect(describeResult(knowledge, result).sentence).toBe(
      '4 of your 7 answers point to IT PM, clearly. 1 points to General PM and 2 to neither.',
    );
  });

  it('leans the other way by the same rules', () => {
    expect(describeResult(knowledge, scoreAnswers(knowledge, ALL_GENERAL)).summary).toBe(
      '7 of your 7 answers point to General PM, strongly',
    );
  });

  it('explains a lean carried by fewer answers than point away from it', () => {
    const result = scoreAnswers(knowledge, FEWER_BUT_STRONGER);
    expect(result.leanRoleId).toBe('it-pm');
    expect(describeResult(knowledge, result).sentence).toBe(
      '2 of your 7 answers point to IT PM, slightly. 2 point to General PM and 3 to neither, but the answers toward IT PM are the stronger ones.',
    );
  });

  it('calls a balanced result balanced, with the split', () => {
    const result = scoreAnswers(knowledge, MIDDLE_OF_THE_ROAD);
    expect(result.leanRoleId).toBeUndefined();
    expect(describeResult(knowledge, result).sentence).toBe(
      'Your answers are balanced between IT PM and General PM. Of your 7 answers, 1 points to General PM and 6 to neither: too close to call, both could suit you.',
    );
  });

  it('says so when no answer weighs anything', () => {
    expect(describeResult(knowledge, scoreAnswers(knowledge, {})).sentence).toBe(
      'None of your answers points to one path more than the other. Both could suit you.',
    );
  });

  it('counts every answer that weighs anything once', () => {
    for (const answers of [ALL_IT, MOSTLY_IT, FEWER_BUT_STRONGER, ALL_GENERAL, MIDDLE_OF_THE_ROAD]) {
      const { total, byRole, neutral } = countDirections(scoreAnswers(knowledge, answers));
      expect([...byRole.values()].reduce((sum, count) => sum + count, neutral)).toBe(total);
      expect(total).toBe(7);
    }
  });

  it('words how hard one answer pushed against the most that question allows', () => {
    const strengths = Object.fromEntries(
      scoreAnswers(knowledge, MOSTLY_IT).contributions.map((contribution) => [
        contribution.option.id,
        answerStrength(contribution),
      ]),
    );
    expect(strengths).toEqual({
      'tech-inclination-high': 'strongly', // 3 of at most 4
      'industries-software-it': 'strongly', // 3 of 4
      'strengths-technical': 'strongly', // 3 of 3
      'team-preference-diverse': 'strongly', // 3 of 3
      'market-research-it-pm': 'strongly', // 2 of 2
      'tech-pace-fine': undefined,
      'career-goals-undecided': undefined,
    });
    const regulated = scoreAnswers(knowledge, answered('tech-inclination-some', 'industries-regulated'));
    const industries = regulated.contributions.find((c) => c.factor.id === 'industries');
    expect(industries && answerStrength(industries)).toBe('somewhat'); // 2 of 4
    const open = scoreAnswers(knowledge, answered('tech-inclination-some', 'industries-open'));
    const slight = open.contributions.find((c) => c.factor.id === 'industries');
    expect(slight && answerStrength(slight)).toBe('slightly'); // 1 of 4
  });
});

describe('what a person sees of a result', () => {
  const every = () => [ALL_IT, MOSTLY_IT, FEWER_BUT_STRONGER, ALL_GENERAL, MIDDLE_OF_THE_ROAD, {}];

  it('the full result and the shared one say it in words, with no points totals', () => {
    for (const answers of every()) {
      const result = scoreAnswers(knowledge, answers);
      for (const message of [
        buildResultView(knowledge, result, 'qr1'),
        buildSharedResultView(knowledge, result, 'U0PERSON001'),
      ]) {
        const shown = `${message.text}\n${JSON.stringify(message.blocks)}`;
        expect(shown).toContain(describeResult(knowledge, result).summary);
        // No total ("IT PM -5 · General PM 18") and no signed amount ("+3") anywhere.
        expect(shown).not.toMatch(/(IT PM|General PM) -?\d/);
        expect(shown).not.toMatch(/[+-]\d/);
      }
    }
  });

  it('"my results" lists each result in words with a button that opens it', () => {
    const saved = every().map((answers, index) => {
      const result = scoreAnswers(knowledge, answers);
      return {
        id: `qr${index}`,
        at: `2026-11-2${index}T10:00:00.000Z`,
        ...(result.leanRoleId ? { leanRoleId: result.leanRoleId } : {}),
        strength: result.strength,
        totals: result.totals,
        answers,
      };
    });
    const history = buildHistoryView(knowledge, saved);
    const text = JSON.stringify(history.blocks);
    expect(text).toContain('7 of your 7 answers point to General PM, strongly');
    expect(text).not.toMatch(/(IT PM|General PM) -?\d/);
    const opens = history.blocks.flatMap((block) =>
      block.type === 'section' && block.accessory?.type === 'button' ? [block.accessory.value] : [],
    );
    expect(opens).toEqual(['qr5', 'qr4', 'qr3', 'qr2', 'qr1', 'qr0']);
  });
});
