import path from 'node:path';
import { beforeAll, expect, it } from '@jest/globals';
import { startSession, takeAnswer } from '../../../src/advisor/questionnaire.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import { resumeLead } from '../../../src/views/questionnaire-steer-view.js';

let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

it('the resume line counts the answers kept in good English: none, one, several', () => {
  const now = new Date('2026-12-01T10:00:00Z');
  const session = startSession(knowledge, { teamId: 'T1', userId: 'U1', channelId: 'D1' }, now, 's1');
  expect(resumeLead(session)).toMatch(/^You're on question 1 of \d+\. Pick up/);
  const answerCurrent = () => {
    const factor = knowledge.factors[session.step];
    expect(takeAnswer(knowledge, session, factor?.id ?? '', factor?.options[0]?.id ?? '', now).kind).toBe(
      'answered',
    );
  };
  answerCurrent();
  expect(resumeLead(session)).toContain('question 2 of');
  expect(resumeLead(session)).toContain('your 1 answer so far is kept');
  answerCurrent();
  expect(resumeLead(session)).toContain('your 2 answers so far are kept');
});
