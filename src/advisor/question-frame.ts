import type { Knowledge } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText, PhraseTable } from '../knowledge/text.js';

/**
 * What kind of answer a question asks for. A reply must fit it: "how much do IT PMs earn?" is not answered by
 * an entry on whether they code, and "how do I become one?" is not answered by a definition.
 */
export type QuestionKind =
  | 'amount'
  | 'compare'
  | 'choice'
  | 'need'
  | 'how-to'
  | 'how'
  | 'why'
  | 'who'
  | 'when'
  | 'define'
  | 'what'
  | 'yes-no'
  | 'other';

/** Tried in order: the first pattern that matches names the kind. */
const KIND_PATTERNS: [QuestionKind, RegExp][] = [
  [
    'amount',
    /\b(salary|salaries|paid|pay|pays|paying|earn|earns|earning|compensation|comp|tc|wage|wages|how many)\b|\bhow much (money|do|does|did|would|will|can|could)\b.{0,60}\b(make|makes|making|get paid|gets paid|take home|bring home)\b/,
  ],
  [
    'compare',
    /\b(more|less|fewer|better|worse|harder|easier|faster|slower|higher|lower|bigger)\b.{0,80}\b(or|than)\b|\b(vs|versus|difference|differences|differ|differs|different|compared?|comparison|distinguish|same thing|same job|same role|interchangeabl[a-z]*|which (one|role|path|side|of the two|of them) (is|does|has|needs|deals|pays|gets|leans|cares|works|spends)|which is (more|less|better|worse|harder|easier))\b/,
  ],
  [
    'how-to',
    /\b(how (do|can|could|should|would|will|did|shall) (i|we|you|one)|(?<!know )how (to|would one)|tips|best way|steps to|any advice|advice on|what should i do|where (do|should|can|would|could) i (start|begin)|what (should|would|does|do) (a|an|the|my|our|good) .{0,40}look like)\b/,
  ],
  [
    'choice',
    /\b(should i|shall i|which should|which one should|which path|which career|worth it|is it worth|right for me|fit me|fits me|suit me|suits me|better for me|choose|choosing|pick|decide|deciding|torn between)\b/,
  ],
  [
    'need',
    /\b(need|needs|needed|required|require|requires|requirement for|must|have to|has to|necessary|mandatory|prerequisite|prerequisites)\b/,
  ],
  [
    'how',
    /\b(how do|how does|how can|how could|how should|how would|how did|how is|how are|how much|how technical)\b/,
  ],
  ['why', /\b(why|what for|reason|reasons)\b/],
  ['who', /\b(who|whom|whose)\b/],
  ['when', /\b(when|how long|how soon|how fast|how far|how often|how quickly)\b/],
  [
    'define',
    /\bwhat (does|do|did) .{1,60}\bmean\b|\bwhat do (you|they|people) mean by\b|\bmeaning of\b|\bdefine\b|\bdefinition\b|\bwhat (is|s|exactly is|even is) (a|an)\b|\b(eli5|in plain english|in simple terms)\b/,
  ],
  ['what', /\b(what|whats|which|explain|meaning|mean|means|describe|tell me about)\b/],
  [
    'yes-no',
    /^(is|are|am|can|could|do|does|did|will|would|has|have|was|were|isnt|arent|dont|doesnt|may|might)\b/,
  ],
];

/**
 * Which asked kinds an entry's stated question of a given kind can answer. A question that asks for an amount
 * only takes an amount; a yes/no question takes most kinds, because "is IT PM the bridge between…?" is answered by
 * what the bridge role is.
 */
const COMPATIBLE: Record<QuestionKind, readonly QuestionKind[]> = {
  amount: ['amount'],
  /** "Which pays more?" needs an entry that compares; one that describes either role is not an answer. */
  compare: ['compare', 'who'],
  choice: ['choice', 'how-to', 'how', 'compare', 'what', 'yes-no', 'other'],
  need: ['need', 'yes-no', 'what', 'how', 'choice', 'other'],
  /** "How do I …?" asks for a method: only an entry that states the same kind of question gives one. */
  'how-to': ['how-to'],
  how: ['how', 'what', 'who', 'when', 'other'],
  /** "Why is the design so far off?" asks for a reason: only a stated "why" gives one. */
  why: ['why'],
  who: ['who', 'what', 'compare', 'how', 'other'],
  when: ['when', 'how', 'other'],
  /** "What is positioning?" is not answered by "who does positioning?". */
  what: ['what', 'define', 'how', 'why', 'need', 'compare', 'other'],
  /** "What does positioning mean?" asks for a definition: a stated definition or description gives one. */
  define: ['define', 'what'],
  'yes-no': ['yes-no', 'need', 'what', 'define', 'how', 'compare', 'why', 'choice', 'other'],
  other: ['what', 'define', 'how', 'who', 'yes-no', 'need', 'compare', 'choice', 'why', 'when', 'other'],
};

export function questionKind(text: string): QuestionKind {
  // "it pm = pm?" asks whether the two are the same.
  if (/\s=\s?|\s?=\s/.test(text)) return 'compare';
  const normalized = normalizeText(text);
  for (const [kind, pattern] of KIND_PATTERNS) if (pattern.test(normalized)) return kind;
  return 'other';
}

/** Whether an entry's stated question of kind `stated` can answer a question of kind `asked`. */
export function kindsFit(asked: QuestionKind, stated: QuestionKind): boolean {
  return COMPATIBLE[asked].includes(stated);
}

/** Whether a reply to this kind should lead with the entry's yes/no verdict. */
export function asksYesOrNo(kind: QuestionKind): boolean {
  return kind === 'yes-no' || kind === 'need';
}

/** Words that ask something of the reader even without a question mark ("any advice", "wondering whether"). */
const ASKING =
  /^(what|whats|how|why|who|whom|which|when|where|do|does|did|is|are|am|can|could|should|would|will|shall|any|anyone|anybody|pls|please|help|explain|tell me|need advice|looking for advice|thoughts)\b|\b(wondering|i want to know|i wanna know|i would like to know|id like to know|curious (whether|if|how|what|about)|can anyone|can someone|could someone|any advice|any tips|any thoughts|looking for advice|need advice|what do you think|thoughts on|help me understand)\b/;

/**
 * A question word that starts a second question inside one sentence: "what does an IT PM do and how much…".
 * (?<!\s): a match starts where the spaces start, so a long run of spaces is scanned once, not once per space.
 */
const SECOND_QUESTION =
  /(?<!\s)\s+(?:and|also|plus|but)\s+(?:also\s+)?(?=(?:what|whats|how|why|who|which|when|where|do|does|is|are|can|should)\b)/;

export interface QuestionPart {
  /** The part as the person wrote it (trimmed). */
  text: string;
  kind: QuestionKind;
  /** The context sentence just before it, which "what does that mean?" points back to. */
  lead?: string;
}

export interface SplitQuestion {
  /** The sentences that ask something, each a part to answer; at most `MAX_PARTS`. */
  parts: QuestionPart[];
  /** The sentences that only give context ("I'm a backend dev with 5 years…"). */
  context: string[];
}

export const MAX_PARTS = 4;

/**
 * Splits a message into the questions it asks and the context around them. Sentences end at . ! ? or a line
 * break; a sentence asks something when it ends in "?" or starts with a question word; two questions joined by
 * "and" become two parts. A message that asks nothing explicitly is one part.
 */
export function splitQuestion(text: string): SplitQuestion {
  const sentences = text
    .split(/(?<=[?!])\s+|(?<=[.;])\s+(?=[A-Za-z"'(])|\n+/)
    .map((sentence) => sentence.trim())
    .filter((sentence) => /[a-z0-9]/i.test(sentence));
  const parts: QuestionPart[] = [];
  const context: string[] = [];
  let lead: string | undefined;
  for (const sentence of sentences) {
    const normalized = normalizeText(sentence);
    if (sentence.includes('?') || ASKING.test(normalized)) {
      const pieces = sentence.split(SECOND_QUESTION).map((piece) => piece.trim());
      // "ok so maybe a dumb question but what's the difference…": only the pieces that ask something.
      const asking = pieces.filter(
        (piece) => piece && (ASKING.test(normalizeText(piece)) || questionKind(piece) !== 'other'),
      );
      for (const piece of asking.length > 0 ? asking : pieces.filter(Boolean)) {
        parts.push({ text: piece, kind: questionKind(piece), ...(lead ? { lead } : {}) });
        lead = undefined;
      }
    } else {
      context.push(sentence);
      lead = sentence;
    }
  }
  if (parts.length === 0) {
    const whole = sentences.join(' ');
    return whole
      ? { parts: [{ text: whole, kind: questionKind(whole) }], context: [] }
      : { parts: [], context };
  }
  return { parts: parts.slice(0, MAX_PARTS), context };
}

/** Finds listed phrases in text, comparing folded tokens, so "Product Owners" finds "product owner". */
export class PhraseFinder<Id extends string = string> {
  private readonly phrases = new PhraseTable<Id>();

  constructor(entries: Iterable<[phrase: string, id: Id]>) {
    for (const [phrase, id] of entries) this.phrases.add(fold(phrase), id);
  }

  /** The ids of every listed phrase the text contains, longest match first at each position. */
  find(text: string): Set<Id> {
    const tokens = fold(text);
    const found = new Set<Id>();
    for (let start = 0; start < tokens.length; ) {
      const match = this.phrases.matchAt(tokens, start);
      if (match) found.add(match.value);
      start += match?.length ?? 1;
    }
    return found;
  }
}

function fold(text: string): string[] {
  const normalized = normalizeText(text);
  return normalized ? normalized.split(' ').map(foldPlural) : [];
}

/** Questions to the bot about itself as a person ("what was your hardest day?"): it has no career to tell. */
const ABOUT_THE_BOT =
  /\b(what (was|were|is|are) your (own )?(hardest|worst|best|biggest|favou?rite|first|most)|your (own )?(experience|story|career|background|journey|favou?rite|hardest|worst|biggest)|have you (ever|been|worked|had|done|managed|shipped)|did you (ever|work|get|become|start|like|have)|how did you (get|become|start|break|land|make|move|switch)|are you (a|an|human|real|married|happy)|how old are you|where do you (work|live))\b/;

const ABOUT_THE_BOT_MAX_LENGTH = 160;

/** Questions about what will happen, which no knowledge answers ("will there be a recession next year?"). */
const FORECAST =
  /\b(will there be|recession|predict|prediction|forecast|in (the )?(next|coming) (few )?(year|years|decade)|by (20[2-9][0-9])|in (20[3-9][0-9])|will (ai|chatgpt|llms?|automation) (replace|kill|take|make)|going to (replace|disappear|die)|stock price|market crash)\b/;

export interface ScopeSignals {
  /** The text is about product roles: it names one, a nearby title, or product work without naming another field. */
  inDomain: boolean;
  /** It names a career or subject outside product roles. */
  otherField: boolean;
  aboutTheBot: boolean;
  forecast: boolean;
}

/** Words that put a question about roles and careers in the advisor's domain, unless it names another field. */
const CAREER_WORDS = ['role', 'roles', 'career', 'careers', 'path', 'paths', 'track'];

/** Reads the scope signals of a whole message from the knowledge's scope lists. */
export class ScopeReader {
  private readonly named: PhraseFinder;
  private readonly domain: PhraseFinder;
  private readonly other: PhraseFinder;

  constructor(knowledge: Pick<Knowledge, 'scope' | 'paths'>) {
    const namedPhrases: [string, string][] = [
      ...knowledge.scope.titles.flatMap((title) =>
        title.terms.map((term): [string, string] => [term, title.id]),
      ),
      ...knowledge.paths.flatMap((role) =>
        [role.name, role.person, role.shortName, ...role.aliases].map((term): [string, string] => [
          term,
          role.id,
        ]),
      ),
    ];
    // Titles keep their short forms ("PO"); a role alias of two letters ("it") would match everyday words.
    this.named = new PhraseFinder(
      namedPhrases.filter(([term, id]) => normalizeText(term).length > (id.startsWith('title-') ? 1 : 2)),
    );
    this.domain = new PhraseFinder(
      [...knowledge.scope.domainTerms, ...CAREER_WORDS].map((term): [string, string] => [term, 'domain']),
    );
    this.other = new PhraseFinder(
      knowledge.scope.otherFields.map((term): [string, string] => [term, 'other']),
    );
  }

  /**
   * The signals of a message. `asked` are the sentences that ask something: whether the question is about the
   * bot or the future is read from them only ("it's also recession proof" in the context asks nothing).
   */
  read(text: string, asked: readonly string[] = [text]): ScopeSignals {
    const normalized = normalizeText(text);
    const questions = normalizeText(asked.join(' '));
    const named = this.named.find(text).size > 0 || /\bpms?\b|\bpdms?\b/.test(normalized);
    const otherField = this.other.find(text).size > 0;
    return {
      inDomain: named || (this.domain.find(text).size > 0 && !otherField),
      otherField,
      // A forum-length post that asks "what was your experience?" asks the readers, not the bot.
      aboutTheBot: normalized.length <= ABOUT_THE_BOT_MAX_LENGTH && ABOUT_THE_BOT.test(questions),
      forecast: FORECAST.test(questions),
    };
  }
}
