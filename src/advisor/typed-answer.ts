import type { Factor, FactorOption } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText } from '../knowledge/text.js';

/** Typed words that steer the questionnaire at any point. */
export const QUESTIONNAIRE_CONTROLS = [
  { id: 'back', words: ['back', 'go back', 'previous', 'undo'], description: 'go back one question' },
  {
    id: 'restart',
    words: ['restart', 'start over', 'reset', 'retake'],
    description: 'start again from the first question (asks before dropping your answers)',
  },
  {
    id: 'cancel',
    words: ['cancel', 'stop', 'quit', 'exit', 'abort'],
    description: 'stop the questionnaire (asks before dropping your answers)',
  },
  {
    id: 'status',
    words: ['status', 'where am i', 'progress'],
    description: 'where you are, with the question waiting',
  },
] as const;
export type QuestionnaireControl = (typeof QUESTIONNAIRE_CONTROLS)[number]['id'];

export function parseQuestionnaireControl(text: string): QuestionnaireControl | undefined {
  const normalized = normalizeText(text);
  return QUESTIONNAIRE_CONTROLS.find((control) => (control.words as readonly string[]).includes(normalized))
    ?.id;
}

/** Typed replies to "drop my answers?": the words people write instead of tapping a button. */
const CONFIRMING = new Set(['yes', 'y', 'yep', 'yeah', 'yup', 'sure', 'ok', 'okay', 'confirm', 'drop', 'do']);
const DECLINING = new Set([
  'no',
  'n',
  'nope',
  'nah',
  'keep',
  'continue',
  'dont',
  'don',
  'never',
  'nevermind',
]);
/** Words that can go with either without changing it ("yes, drop them please", "nope, keep going"). */
const ALONGSIDE = new Set([
  'please',
  'them',
  'it',
  'my',
  'answers',
  'answer',
  'go',
  'ahead',
  'going',
  'on',
  'mind',
  'thanks',
  'thank',
  'you',
  't',
  'that',
  'all',
]);

/**
 * A typed yes or no to the confirmation waiting for one ("yes, drop them", "nope, keep going"); undefined for
 * anything else, or for both at once ("yes keep going"): then nothing is dropped.
 */
export function parseConfirmationReply(text: string): 'yes' | 'no' | undefined {
  const words = normalizeText(text).split(' ').filter(Boolean);
  if (words.length === 0 || words.length > 6) return undefined;
  if (!words.every((word) => CONFIRMING.has(word) || DECLINING.has(word) || ALONGSIDE.has(word)))
    return undefined;
  const yes = words.some((word) => CONFIRMING.has(word));
  const no = words.some((word) => DECLINING.has(word));
  return yes === no ? undefined : yes ? 'yes' : 'no';
}

/**
 * Words about who someone is (gender, age, origin, family) are dropped before a typed answer is matched:
 * they must never steer the advice, whatever else the sentence says.
 */
export const PROTECTED_WORDS = new Set(
  (
    'man men male woman women female girl girls boy boys guy gal lady ladies gentleman he him his she her hers ' +
    'nonbinary trans transgender gender sex age aged old older young younger youth teen teenager senior retired ' +
    'years year mom mum dad mother father parent parents mother child children kid kids baby pregnant married ' +
    'single divorced wife husband partner family nationality national citizen immigrant foreigner american ' +
    'british indian chinese german french african european asian latino hispanic black white religion religious ' +
    'christian muslim jewish hindu disabled disability race ethnic ethnicity son sons daughter daughters ' +
    'moms mums dads mothers fathers wives husbands partners grandmother grandfather grandparent'
  ).split(' '),
);

function isProtected(token: string): boolean {
  return PROTECTED_WORDS.has(token) || PROTECTED_WORDS.has(foldPlural(token));
}

function meaningfulTokens(text: string): string[] {
  return normalizeText(text)
    .split(' ')
    .filter((token) => token && !isProtected(token))
    .map(foldPlural);
}

const NEGATIONS = new Set([
  'not',
  'no',
  'never',
  'dont',
  'doesnt',
  'isnt',
  'hardly',
  'nor',
  'non',
  'without',
]);
/** Typed answers are short; anything longer is not read past this many characters. */
const MAX_TYPED_ANSWER = 300;

const MATCH_STOP_WORDS = new Set(
  'a an the i im i am my me to of and or but it is be very really just so'.split(' '),
);

/** True when the tokens contain the phrase, not right after a negation ("not very technical" is not "very technical"). */
function containsPhrase(tokens: readonly string[], phrase: readonly string[]): boolean {
  for (let start = 0; start + phrase.length <= tokens.length; start++) {
    if (!phrase.every((word, offset) => tokens[start + offset] === word)) continue;
    if (!NEGATIONS.has(tokens[start - 1] ?? '') || NEGATIONS.has(phrase[0] ?? '')) return true;
  }
  return false;
}

/**
 * Which option a typed reply picks: its number ("2", "#2", "option 2"), or words close to its label or aliases.
 * A reply that fits two options equally well, or mentions who the person is next to a number
 * ("I have 2 kids"), picks nothing, so the question is asked again.
 */
export function matchTypedOption(factor: Factor, text: string): FactorOption | undefined {
  const aboutThePerson = normalizeText(text).split(' ').some(isProtected);
  const words = meaningfulTokens(text.slice(0, MAX_TYPED_ANSWER));
  const numbers = words.filter((token) => /^\d+$/.test(token));
  // Next to words about who someone is, a number is about them ("I have 2 kids", "aged 45"), not an option.
  if (numbers.length === 1 && words.length <= 3 && !aboutThePerson)
    return factor.options[Number(numbers[0]) - 1];
  const tokens = words.filter((token) => !/^\d+$/.test(token));
  // "not software", "I dont love tech": a negated reply only matches an option phrased with a negation
  // ("not much", "not really"); anything else is asked again rather than read as its opposite.
  const negated = tokens.some((token) => NEGATIONS.has(token));
  let best: { option: FactorOption; score: number } | undefined;
  let tie = false;
  for (const option of factor.options) {
    // The longest alias or label phrase found decides; loose label words only count when no phrase matched.
    let score = 0;
    for (const alias of [option.label, ...option.aliases]) {
      const phrase = meaningfulTokens(alias);
      if (phrase.length === 0 || (negated && !phrase.some((token) => NEGATIONS.has(token)))) continue;
      if (containsPhrase(tokens, phrase)) score = Math.max(score, 10 * phrase.length);
    }
    if (score === 0 && !negated) {
      const labelWords = new Set(
        meaningfulTokens(option.label).filter((token) => !MATCH_STOP_WORDS.has(token)),
      );
      score = tokens.filter((token) => labelWords.has(token)).length;
    }
    if (score === 0) continue;
    if (!best || score > best.score) {
      best = { option, score };
      tie = false;
    } else if (score === best.score) tie = true;
  }
  return best && !tie ? best.option : undefined;
}
