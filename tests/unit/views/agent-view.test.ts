import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { routeDirectMessage } from '../../../src/advisor/dm-intents.js';
import { KnowledgeIndex } from '../../../src/advisor/knowledge-index.js';
import { answerQuestion } from '../../../src/advisor/qa.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import { buildSuggestedPrompts, SUGGESTED_PROMPTS } from '../../../src/views/agent-view.js';

describe('the Messages tab prompts', () => {
  let knowledge: Knowledge;
  let index: KnowledgeIndex;
  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    index = new KnowledgeIndex(knowledge);
  });

  it('are at most four (Slack’s limit), with short titles', () => {
    const { prompts, title } = buildSuggestedPrompts(knowledge);
    expect(prompts.length).toBeLessThanOrEqual(4);
    expect(title).toBe('Ask me about IT PM or General PM');
    for (const prompt of prompts) expect(prompt.title.length).toBeLessThanOrEqual(30);
  });

  it('each get a real answer in the DM: a question answered from the knowledge, or the questionnaire', () => {
    const got = SUGGESTED_PROMPTS.map(({ message }) => {
      const route = routeDirectMessage(message, false);
      if (route !== 'question') return route;
      const outcome = answerQuestion(index, knowledge, message);
      return outcome.kind === 'answer' ? 'answer' : outcome.kind;
    });
    expect(got).toEqual(['answer', 'answer', 'answer', 'start']);
  });
});
