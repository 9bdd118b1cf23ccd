import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { Button, KnownBlock } from '@slack/types';
import { summarizeForCurators } from '../../../src/advisor/curation.js';
import { scoreAnswers } from '../../../src/advisor/scoring.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import {
  FORGET_CANCEL_ACTION,
  FORGET_CONFIRM_ACTION,
  HOME_COMPARE_ACTION,
  HOME_FORGET_ACTION,
  HOME_QUESTIONNAIRE_ACTION,
  RESULT_OPEN_ACTION,
} from '../../../src/slack-ids.js';
import { buildHomeView, HOME_LIMITS, type HomeState } from '../../../src/views/home-view.js';

let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

const ALL_FIRST = () => Object.fromEntries(knowledge.factors.map((f) => [f.id, f.options[0]?.id ?? '']));

function saved(id: string, at: string, answers: Record<string, string>) {
  const result = scoreAnswers(knowledge, answers);
  return {
    id,
    at,
    ...(result.leanRoleId ? { leanRoleId: result.leanRoleId } : {}),
    strength: result.strength,
    totals: result.totals,
    answers,
  };
}

const text = (state: HomeState) => JSON.stringify(buildHomeView(knowledge, state).blocks);
const buttons = (state: HomeState): Button[] =>
  (buildHomeView(knowledge, state).blocks as KnownBlock[]).flatMap((block) =>
    block.type === 'actions'
      ? block.elements.filter((element): element is Button => element.type === 'button')
      : block.type === 'section' && block.accessory?.type === 'button'
        ? [block.accessory]
        : [],
  );
const buttonOf = (state: HomeState, actionId: string) =>
  buttons(state).filter((button) => button.action_id === actionId);

describe('buildHomeView', () => {
  it('for a new person: start the questionnaire, compare, how to ask, forget me; nothing else of theirs', () => {
    const state = { results: [] };
    expect(buttonOf(state, HOME_QUESTIONNAIRE_ACTION).map((b) => [b.text.text, b.value])).toEqual([
      ['Start the questionnaire', 'start'],
    ]);
    expect(buttonOf(state, HOME_COMPARE_ACTION)).toHaveLength(1);
    expect(buttonOf(state, HOME_FORGET_ACTION)).toHaveLength(1);
    expect(buttonOf(state, RESULT_OPEN_ACTION)).toEqual([]);
    expect(text(state)).toContain('Mention me in a channel');
    expect(text(state)).toContain('/pm-compare');
    expect(text(state)).not.toContain('For curators');
  });

  it('mid-questionnaire: which question they are on, and Resume', () => {
    const state = { results: [], questionnaire: { step: 2, questions: 7 } };
    expect(text(state)).toContain("You're on question 3 of 7");
    expect(buttonOf(state, HOME_QUESTIONNAIRE_ACTION).map((b) => [b.text.text, b.value])).toEqual([
      ['Resume the questionnaire', 'resume'],
    ]);
  });

  it('with results: the latest in plain words with its date and an Open button, then a short list of past ones', () => {
    const results = Array.from({ length: 9 }, (_, index) =>
      saved(`qr${index}`, `2026-11-0${index + 1}T10:00:00.000Z`, index === 8 ? ALL_FIRST() : {}),
    );
    const state = { results };
    const shown = text(state);
    expect(shown).toContain(
      'Your latest result* (2026-11-09 10:00 UTC): strong lean toward IT Product Management',
    );
    expect(shown).toContain('7 of your 7 answers point to IT PM, strongly.');
    expect(shown).not.toMatch(/(IT PM|General PM) -?\d/);
    expect(buttonOf(state, RESULT_OPEN_ACTION).map((button) => button.value)).toEqual(
      ['qr8', 'qr7', 'qr6', 'qr5', 'qr4', 'qr3'].slice(0, 1 + HOME_LIMITS.pastResults),
    );
    expect(shown).toContain('3 older result(s): say *my results* in our DM');
    expect(buttonOf(state, HOME_QUESTIONNAIRE_ACTION)[0]?.text.text).toBe('Retake the questionnaire');
  });

  it('"Forget me" clicked: the DM\'s confirmation in its place, with the same buttons', () => {
    const state = { results: [], confirmForget: true };
    expect(text(state)).toContain('cannot be undone');
    expect(buttonOf(state, HOME_FORGET_ACTION)).toEqual([]);
    expect(buttonOf(state, FORGET_CONFIRM_ACTION)).toHaveLength(1);
    expect(buttonOf(state, FORGET_CANCEL_ACTION)).toHaveLength(1);
  });

  it('for curators: the unanswered count, the five asked most, and not-helpful votes per entry with reasons', () => {
    const entry = knowledge.entries[0];
    if (!entry) throw new Error('no entries');
    const log = {
      answers: {
        a1: {
          teamId: 'T1',
          entryIds: [entry.id],
          votes: {
            U1: { vote: 'not_helpful', reason: 'not-answered' },
            U2: { vote: 'not_helpful', reason: 'outdated' },
            U3: { vote: 'helpful' },
          },
        },
        a2: { teamId: 'T1', entryIds: [knowledge.entries[1]?.id ?? ''], votes: { U1: { vote: 'helpful' } } },
      },
      unanswered: [
        ...Array.from({ length: 8 }, (_, index) => ({
          teamId: 'T1',
          question: `question ${index}?`,
          at: '',
        })),
        { teamId: 'T1', question: 'question 7?', at: '' },
        { teamId: 'T1', question: '<@U0EVERYONE> *bold* <https://x.example|click>', at: '' },
      ],
    };
    const shown = text({ results: [], curator: summarizeForCurators(log) });
    expect(shown).toContain('Unanswered questions: 10');
    expect(shown).toContain('• 2× question 7?');
    expect((shown.match(/• (\d× )?question/g) ?? []).length).toBe(HOME_LIMITS.unansweredQuestions);
    expect(shown).toContain(
      `${entry.title}*: 2 not helpful, 1 helpful, shown 1× — didn't answer my question 1, out of date 1`,
    );
    // The second entry got no "not helpful" vote: not listed.
    expect(shown).not.toContain(knowledge.entries[1]?.title ?? '');
    expect(text({ results: [], curator: summarizeForCurators({ answers: {}, unanswered: [] }) })).toContain(
      'None yet.',
    );
  });

  it("escapes people's words in the curators' list", () => {
    const shown = text({
      results: [],
      curator: summarizeForCurators({
        answers: {},
        unanswered: [{ teamId: 'T1', question: '<!channel> <@U0EVERYONE> & more', at: '' }],
      }),
    });
    expect(shown).not.toContain('<!channel>');
    expect(shown).not.toContain('<@U0EVERYONE>');
    expect(shown).toContain('&amp; more');
  });
});
