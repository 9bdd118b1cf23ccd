import { distance } from 'fastest-levenshtein';
import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword/src/stopwords_eng.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText, PhraseTable } from '../knowledge/text.js';
import { TypoCandidates } from './typo-candidates.js';

/** Words of chat questions that say nothing about the topic ("hey bot, can you tell me…"). */
const CHAT_FILLER = (
  'hey hi hello yo bot advisor please pls thanks thank anyone someone know tell explain question does ' +
  'need want really actually just kind sort thing things stuff lot lots good bad best whats hows ' +
  'whos im ive id dont doesnt isnt arent cant wanna gonna say said mean means us u ur role roles job ' +
  'jobs person people someone one ones two guys team usually typically generally normally exactly ' +
  'anything something everything go going goes went gotta even plain basically literally honestly ' +
  'totally kinda sorta like ok okay yeah yes no hmm guess wonder wondering curious quick simple simply ' +
  'short briefly able being sure maybe probably whether lol btw tbh imo fyi still ever will shall ' +
  'nah yep yup ya dunno idk welp plz thx ty straight honest serious seriously legit genuinely truly ' +
  'helped helps awesome great cool nice required require requires mandatory necessary must needed ' +
  // Forum slang that says nothing about the topic ("how tf do ppl get their first PM job, y'all?").
  'ppl tf wtf omg lmao rofl ngl smh yall yalls af fr imho iirc afaik tho thru gotcha tl dr tldr pov yrs yr '
).split(' ');
const STOP_WORDS = new Set([...englishStopWords, ...CHAT_FILLER]);

/** A stop word, also in the plural ("needs", "things"). */
function isStopWord(word: string): boolean {
  return STOP_WORDS.has(word) || STOP_WORDS.has(foldPlural(word));
}

/** Shorter words are never corrected: "plain" is a word of its own, not a typo of "plan". */
const MIN_CORRECTED_LENGTH = 6;

/** How many worked-out typo corrections (and words' terms) are kept before the cache starts over. */
const MAX_CORRECTIONS = 10_000;

/** Marks a word that gives no term in the cache of words' terms (no term is empty). */
const NOT_A_TERM = '';

/** The group of words for product management in general ("PM", "product manager"); its term names no role. */
const UMBRELLA_ID = 'umbrella';

/** Marks a term that stands for a whole synonym group, so it is never stemmed or matched fuzzily. */
export const CANONICAL_PREFIX = '~';

/** The term for product management in general. */
export const UMBRELLA_TERM = `${CANONICAL_PREFIX}${UMBRELLA_ID}`;

/**
 * Turns text into search terms: mentions and links dropped, synonym phrases ("tech pm", "pay")
 * folded into one canonical term per group, stop words dropped, the rest stemmed.
 */
export class QuestionAnalyzer {
  /** Phrase → canonical term; longest phrases are tried first. */
  private readonly phrases = new PhraseTable<string>();
  /** Every word the knowledge uses, with how often: the dictionary for correcting typos in questions. */
  private readonly vocabulary = new Map<string, number>();
  /** The same words indexed by their thirds, so a typo's candidates are found without scanning them all. */
  private readonly typoCandidates: TypoCandidates;
  /** Corrections already worked out; questions repeat their words. Bounded: questions bring new words forever. */
  private readonly corrections = new Map<string, string>();
  /** Words' terms already worked out (`wordTerm`), bounded likewise. */
  private readonly stems = new Map<string, string>();

  constructor(knowledge: Pick<Knowledge, 'synonyms' | 'paths' | 'entries' | 'dimensions' | 'scope'>) {
    const groups = [
      // First, so that "PM" and "product manager" name product management in general, not one role.
      { id: UMBRELLA_ID, terms: knowledge.scope.umbrella },
      ...knowledge.synonyms.map((group) => ({ id: group.id, terms: group.terms })),
      ...knowledge.paths.map((role) => ({
        id: role.id,
        terms: [role.name, role.person, role.shortName, ...role.aliases],
      })),
    ];
    for (const group of groups) {
      for (const term of group.terms) {
        const tokens = normalizeText(term).split(' ').filter(Boolean).map(foldPlural);
        // A one-word alias that is also a stop word ("it") would fire on every sentence.
        if (tokens.length === 1 && STOP_WORDS.has(tokens[0] ?? '')) continue;
        this.phrases.add(tokens, `${CANONICAL_PREFIX}${group.id}`);
      }
    }
    const texts = [
      ...groups.flatMap((group) => group.terms),
      ...knowledge.entries.flatMap((entry) => [entry.title, entry.body, ...entry.keywords]),
      ...knowledge.dimensions.flatMap((dimension) => [dimension.title, ...dimension.aliases]),
    ];
    for (const word of normalizeText(texts.join(' ')).split(' ')) {
      if (word.length >= 3) this.vocabulary.set(word, (this.vocabulary.get(word) ?? 0) + 1);
    }
    // A word of 6 letters or more is corrected, to a word at most 1 letter shorter (2 from 9 letters).
    this.typoCandidates = new TypoCandidates(this.vocabulary.keys(), MIN_CORRECTED_LENGTH - 1);
  }

  /**
   * The knowledge's own spelling of a mistyped word ("responsibilites" → "responsibilities"), or the word itself.
   * Short words are left alone: "plain" is a word of its own, not a typo of "plan". So is a word whose first
   * letter differs: people seldom mistype the first letter, and those near-misses are mostly other words
   * (getting/setting, walking/talking, mother/other).
   */
  correct(word: string): string {
    if (word.length < MIN_CORRECTED_LENGTH || STOP_WORDS.has(word) || this.vocabulary.has(word)) return word;
    const known = this.corrections.get(word);
    if (known !== undefined) return known;
    const allowed = word.length >= 9 ? 2 : 1;
    let best: { word: string; edits: number; frequency: number } | undefined;
    const consider = (candidate: string) => {
      const frequency = this.vocabulary.get(candidate) ?? 0;
      if (Math.abs(candidate.length - word.length) > allowed) return;
      const transposed = isTransposition(word, candidate);
      if (candidate[0] !== word[0] && !transposed) return;
      const edits = transposed ? 1 : distance(word, candidate);
      if (edits > allowed) return;
      if (!best || edits < best.edits || (edits === best.edits && frequency > best.frequency)) {
        best = { word: candidate, edits, frequency };
      }
    };
    // The known words with the same first letter that could be within reach, in the order the knowledge uses them.
    for (const candidate of this.typoCandidates.sameFirstLetter(word, allowed)) consider(candidate);
    // "rpoduct": the first two letters swapped, the only correction that starts with another letter.
    const swapped = `${word[1] ?? ''}${word[0] ?? ''}${word.slice(2)}`;
    if (swapped[0] !== word[0] && this.vocabulary.has(swapped)) consider(swapped);
    const corrected = (best as { word: string } | undefined)?.word ?? word;
    if (this.corrections.size >= MAX_CORRECTIONS) this.corrections.clear();
    this.corrections.set(word, corrected);
    return corrected;
  }

  /**
   * Query terms: a phrase found in the synonym list becomes only its canonical term.
   * With `keepWords` (used for documents), its words are kept as well, so a typo in a query can still find them.
   */
  analyze(text: string, options: { keepWords?: boolean } = {}): string[] {
    const words = normalizeText(text).split(' ').filter(Boolean);
    if (options.keepWords) return this.termsOf(words, true).terms;
    return this.analyzeWords(words);
  }

  /** `analyze` of a text's words (`normalizeText(text).split(' ')`, none empty), for a text read more than once. */
  analyzeWords(words: readonly string[]): string[] {
    return this.termsOf(
      words.map((word) => this.correct(word)),
      false,
    ).terms;
  }

  /**
   * `analyze(text)` and `analyze(text, { keepWords: true })` at once, for a document: one pass when correcting
   * changes none of its words (the knowledge's own texts), two otherwise.
   */
  analyzeBoth(text: string): { query: string[]; document: string[] } {
    const words = normalizeText(text).split(' ').filter(Boolean);
    const corrected = words.map((word) => this.correct(word));
    if (corrected.every((word, i) => word === words[i])) {
      const { terms, withoutPhraseWords } = this.termsOf(words, true);
      return { query: withoutPhraseWords, document: terms };
    }
    return { query: this.termsOf(corrected, false).terms, document: this.termsOf(words, true).terms };
  }

  /**
   * The terms of the tokens: a phrase's canonical term, and with `keepWords` its words' terms after it; also the
   * same terms without the phrases' words (what `keepWords: false` gives for the same tokens).
   */
  private termsOf(
    tokens: readonly string[],
    keepWords: boolean,
  ): { terms: string[]; withoutPhraseWords: string[] } {
    const folded = tokens.map(foldPlural);
    const terms: string[] = [];
    const withoutPhraseWords: string[] = [];
    for (let start = 0; start < tokens.length; ) {
      const phrase = this.phrases.matchAt(folded, start);
      const matched = phrase?.length ?? 0;
      if (phrase) {
        terms.push(phrase.value);
        withoutPhraseWords.push(phrase.value);
        if (keepWords) {
          for (let i = start; i < start + matched; i++) {
            const term = this.wordTerm(tokens[i] ?? '');
            if (term !== undefined) terms.push(term);
          }
        }
      } else {
        const term = this.wordTerm(tokens[start] ?? '');
        if (term !== undefined) {
          terms.push(term);
          withoutPhraseWords.push(term);
        }
      }
      start += Math.max(matched, 1);
    }
    return { terms, withoutPhraseWords };
  }

  /** A word's term: its stem, or undefined for a stop word or a bare number. Worked out once per word. */
  private wordTerm(word: string): string | undefined {
    const known = this.stems.get(word);
    if (known !== undefined) return known === NOT_A_TERM ? undefined : known;
    // Numbers say nothing ("2024", "5 years"); a number with letters might ("1s" of "1:1s", "b2b").
    const term =
      word.length > 1 &&
      !isStopWord(word) &&
      !/^\d+$/.test(word) &&
      !/^\d+(st|nd|rd|th|k|m|yr|yrs|yoe)?$/.test(word)
        ? stemmer(word)
        : undefined;
    if (this.stems.size >= MAX_CORRECTIONS) this.stems.clear();
    this.stems.set(word, term ?? NOT_A_TERM);
    return term;
  }
}

/** True when b is a with two neighbouring letters swapped ("prodcut" / "product"): one slip of the fingers. */
function isTransposition(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  let first = 0;
  while (first < a.length && a[first] === b[first]) first++;
  const second = first + 1;
  if (second >= a.length || a[first] !== b[second] || a[second] !== b[first]) return false;
  for (let index = second + 1; index < a.length; index++) if (a[index] !== b[index]) return false;
  return true;
}
