import type { Knowledge } from '../knowledge/knowledge.js';

/** A prompt the Messages tab offers above the composer: a short title, and the message it sends when clicked. */
export interface SuggestedPrompt {
  title: string;
  message: string;
}

/**
 * The prompts the Messages tab suggests, written as people ask. manifest.yml's `features.agent_view` lists the same
 * ones (tests/unit/manifest.test.ts keeps them equal), and a test checks that each question is answered from the
 * knowledge and that "help me choose" starts the questionnaire. At most four: Slack's limit.
 */
export const SUGGESTED_PROMPTS: readonly SuggestedPrompt[] = [
  { title: 'What does an IT PM do?', message: 'What does an IT product manager actually do day to day?' },
  { title: 'Do I need to code?', message: 'Do I need to know how to code to be an IT product manager?' },
  { title: 'Who earns more?', message: 'Does an IT PM earn more than a general PM?' },
  { title: 'Help me choose a path', message: 'help me choose' },
];

/** The status shown while a question in the Messages tab is being answered ("advisor is looking that up…"). */
export const LOOKING_IT_UP_STATUS = 'is looking that up…';

/** The title and prompts for assistant.threads.setSuggestedPrompts. */
export function buildSuggestedPrompts(knowledge: Pick<Knowledge, 'paths'>): {
  title: string;
  prompts: SuggestedPrompt[];
} {
  const roles = knowledge.paths.map((role) => role.shortName).join(' or ');
  return { title: `Ask me about ${roles}`, prompts: SUGGESTED_PROMPTS.map((prompt) => ({ ...prompt })) };
}
