import { DM_INTENTS } from '../advisor/dm-intents.js';
import { QUESTIONNAIRE_CONTROLS } from '../advisor/typed-answer.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { PM_COMPARE_COMMAND } from '../slack-ids.js';
import { context, type SlackMessage, section } from './block-kit.js';
import { cachedView } from './view-cache.js';

/** What a DM can say, generated from the intent and control registries. */
export function buildDmHelpView(knowledge: Knowledge): SlackMessage {
  return cachedView(knowledge, 'dm help', () => dmHelpView(knowledge));
}

function dmHelpView(knowledge: Knowledge): SlackMessage {
  const roles = knowledge.paths.map((role) => role.name).join(' and ');
  const intents = DM_INTENTS.map((intent) => `• *${intent.examples[0]}* — ${intent.description}`);
  const controls = QUESTIONNAIRE_CONTROLS.map((control) => `*${control.id}*`).join(', ');
  return {
    text: `Things you can say: ${DM_INTENTS.map((intent) => intent.examples[0]).join(', ')}, or ask a question.`,
    blocks: [
      section(`*Things you can say*\n${intents.join('\n')}\n• anything else — a question about ${roles}`),
      context(`During the questionnaire: ${controls}. Side-by-side comparison: \`${PM_COMPARE_COMMAND}\`.`),
    ],
  };
}
