import { normalizeText } from '../knowledge/text.js';
import { parseQuestionnaireControl } from './typed-answer.js';

/**
 * What a direct message can ask for besides a question. The DM help is generated from this registry.
 * Phrases of several words match anywhere in the message; single words, and `exact` phrases, must be the whole
 * message ("what can you do?" is a request for help; "what can you do about stakeholders?" is a question).
 */
export const DM_INTENTS = [
  {
    id: 'start',
    description: 'start the career questionnaire, or pick up the one in progress',
    examples: ['help me choose', 'start'],
    phrases: [
      'help me choose',
      'help me decide',
      'find my path',
      'which path should',
      'which path is',
      'which career should',
      'which career is',
      'which should i',
      'which one should i',
      'should i choose',
      'should i pick',
      'should i go for',
      'right for me',
      'career quiz',
      'take the quiz',
      'start the quiz',
      'start',
      'quiz',
      'questionnaire',
      'retake',
      'begin',
    ],
  },
  {
    id: 'history',
    description: 'list your past results',
    examples: ['my results'],
    phrases: ['my results', 'past results', 'my history', 'history', 'results'],
  },
  {
    id: 'forget',
    description: 'delete everything stored about you',
    examples: ['forget me'],
    phrases: ['forget me', 'delete my data', 'erase my data'],
  },
  {
    id: 'help',
    description: 'show this help',
    examples: ['help'],
    phrases: ['help', 'usage', 'commands'],
    exact: [
      'what can you do',
      'what do you do',
      'what can i ask',
      'what can i ask you',
      'how do i use you',
      'how does this work',
      'who are you',
      'what are you',
    ],
  },
] as const satisfies readonly DmIntentDefinition[];

interface DmIntentDefinition {
  id: string;
  description: string;
  examples: readonly string[];
  phrases: readonly string[];
  exact?: readonly string[];
}

export type DmIntent = (typeof DM_INTENTS)[number]['id'];

/**
 * What a DM asks for. With `wholeMessage` (used while a questionnaire is open, so that an answer such as
 * "software feels right for me" is not taken for a restart), only a message that is exactly a phrase counts.
 */
export function detectDmIntent(text: string, options: { wholeMessage?: boolean } = {}): DmIntent | undefined {
  const normalized = normalizeText(text);
  if (!normalized) return undefined;
  const padded = ` ${normalized} `;
  for (const intent of DM_INTENTS as readonly DmIntentDefinition[]) {
    for (const phrase of intent.phrases) {
      const anywhere = phrase.includes(' ') && !options.wholeMessage;
      if (anywhere ? padded.includes(` ${phrase} `) : normalized === phrase) return intent.id as DmIntent;
    }
    if (intent.exact?.includes(normalized)) return intent.id as DmIntent;
  }
  return undefined;
}

/** A mention in a channel that is a command, not a question: answered privately and not recorded. */
export function detectChannelCommand(text: string): 'forget' | 'help' | undefined {
  const intent = detectDmIntent(text, { wholeMessage: true });
  return intent === 'forget' || intent === 'help' ? intent : undefined;
}

const QUESTION_WORDS = new Set(
  'what whats how why who whom whose which when where do does did is are can could should would will'.split(
    ' ',
  ),
);

/** A message that reads as a question ("do IT PMs need to code?") rather than an answer to one. */
export function looksLikeQuestion(text: string): boolean {
  const first = normalizeText(text).split(' ')[0] ?? '';
  return text.includes('?') || QUESTION_WORDS.has(first);
}

/**
 * Where a direct message goes: one of the intents above, or, by whether a questionnaire is open, an answer to
 * it, a question asked in the middle of it, a control word with nothing to steer, or a question.
 */
export type DmRoute =
  | DmIntent
  | 'questionnaire-reply'
  | 'question-during-questionnaire'
  | 'control-without-questionnaire'
  | 'question';

export function routeDirectMessage(text: string, questionnaireOpen: boolean): DmRoute {
  // While a questionnaire is open, only a message that is exactly a command counts as one.
  const intent = detectDmIntent(text, { wholeMessage: questionnaireOpen });
  if (intent) return intent;
  const control = parseQuestionnaireControl(text);
  if (questionnaireOpen)
    // A question asked mid-questionnaire is answered, not taken for an answer.
    return looksLikeQuestion(text) && !control ? 'question-during-questionnaire' : 'questionnaire-reply';
  return control ? 'control-without-questionnaire' : 'question';
}
