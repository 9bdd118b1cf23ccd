import type { Entry, Knowledge } from '../knowledge/knowledge.js';
import { normalizeText } from '../knowledge/text.js';
import { CANONICAL_PREFIX, QuestionAnalyzer, UMBRELLA_TERM } from './question-analyzer.js';
import {
  foldedTokens,
  PhraseFinder,
  type QuestionKind,
  questionKind,
  ScopeReader,
} from './question-frame.js';
import { TermScorer } from './term-scorer.js';
import { everydayWeightCap, loadWordRarity } from './word-rarity.js';

/** Terms with their weights (`weights[i]` is `terms[i]`'s) and the weights' sum, in the terms' order. */
export interface WeightedTerms {
  terms: readonly string[];
  weights: readonly number[];
  total: number;
}

/** One question an entry says it answers, analysed once at start-up. */
export interface StatedQuestion {
  text: string;
  kind: QuestionKind;
  /** Its topic terms: what it asks about, without the roles it names. */
  topic: Set<string>;
  /** The same terms with their weights (`termWeight`), worked out once the whole store is indexed. */
  weightedTopic: WeightedTerms;
  /** The roles it names. */
  roles: Set<string>;
  /** The nearby titles and fields it names. */
  subjects: Set<string>;
}

/** An entry as the matcher sees it. */
export interface IndexedEntry {
  entry: Entry;
  questions: StatedQuestion[];
  /** Terms of its title, keywords and stated questions: what it is about. */
  strong: Set<string>;
  /** Terms of its body: what it mentions. */
  body: Set<string>;
  /** The roles it speaks about (all roles when it names none). */
  roles: Set<string>;
  /** Nearby titles and outside fields its own questions and keywords name: a question about them fits it. */
  subjects: Set<string>;
}

/** What a piece of text asks about, in terms the matcher compares. */
export interface TermFrame {
  /** Topic terms (stemmed words and canonical synonym terms), without role names and kind markers. */
  topic: string[];
  /** Role ids the text names. */
  roles: Set<string>;
  /** Nearby titles ("title-product-owner") and outside fields ("field:data scientist") the text names. */
  subjects: Set<string>;
  /** Every analysed term, roles included: what full-text search looks up. */
  terms: string[];
  /** The text names product management in general ("PM", "product manager"). */
  general?: boolean;
  /** Topic terms found only in an alternative offered after "or" ("…or is that marketing's job?"). */
  aside?: Set<string>;
}

/** Term weights are cached, up to this many terms (questions bring unbounded vocabulary). */
const MAX_CACHED_WEIGHTS = 50_000;

/** Words that only say what kind of question it is ("what is", "in plain English", "is it true that"). */
const KIND_WORDS = 'what is definition meaning in plain english is it true that';
/** Words that only say a question compares ("vs", "differ", "the same thing"). */
const COMPARISON_WORDS = 'difference vs compared comparison same thing';

/** "what does an IT PM do all day": the closing "do" is the topic (their duties), not a filler word. */
const DUTIES =
  /\bwhat (?:do|does|did|would|will) (?:a|an|the|they|you|these|those)?\s*(?:\S+\s+){0,5}?(?:do|doing)\b/i;

/**
 * "…, or is that marketing's job?", "…or do they just execute?": an alternative the person offers. `(?<!\s)`: a run
 * of spaces is tried once, from its start (else 40,000 spaces without an "or" take O(n²)).
 */
const ALTERNATIVE =
  /,?(?<!\s)\s+or\s+(?=(?:is|are|was|does|do|did|just|should|would|will|it|that|this|they|am|i|we|maybe|perhaps|rather|something|mostly|purely|only|basically|even|nah|not)\b)/i;

/** "in both roles", "either path", "the two roles", "which role needs more…": a question about every role. */
const BOTH_ROLES =
  /\b(both|either) (roles|paths|jobs|tracks|of them|kinds of pm|types of pm)\b|\bthe two (roles|paths|jobs|tracks|of them)\b|\bbetween the two\b|\bwhich (role|of the two roles)\b/i;

/** "IT PM vs PM", "IT PM or a PM", "IT PM compared to PM": two roles weighed against each other. */
const COMPARING = /\b(vs|versus|or|than|compared|differ|difference|different|same)\b/i;

/** "how much do IT PMs make?": asks about pay, though each of its words is a stop word. */
const EARNINGS =
  /\bhow much (?:do|does|did|would|will|can|could)\b.{0,60}?\b(?:make|makes|making|get paid|gets paid|bring home|take home)\b/i;

/** The text with the words it implies without saying them: "what does an IT PM do" asks about duties. */
function withImpliedWords(text: string): string {
  const withDuties = DUTIES.test(text) ? `${text} duties` : text;
  return EARNINGS.test(text) ? `${withDuties} salary` : withDuties;
}

/** The words `withImpliedWords` appends. */
function impliedWords(text: string): string[] {
  return [...(DUTIES.test(text) ? ['duties'] : []), ...(EARNINGS.test(text) ? ['salary'] : [])];
}

/**
 * The knowledge entries, analysed for matching: full-text search (BM25+, `TermScorer`) over titles, stated
 * questions, keywords and bodies finds candidates; each entry's stated questions, topic terms, roles and
 * subjects let the matcher check that it answers what was asked.
 */
export class KnowledgeIndex {
  readonly analyzer: QuestionAnalyzer;
  readonly entries: IndexedEntry[];
  /** Reads whether a message is about product roles at all. */
  readonly scope: ScopeReader;
  private readonly byId = new Map<string, IndexedEntry>();
  private readonly scorer: TermScorer;
  /** In how many entries each term occurs: rare terms carry more of a question's meaning. */
  private readonly documentFrequency = new Map<string, number>();
  /** Nearby titles and fields that some entry's stated questions name. */
  private readonly askedAbout = new Set<string>();
  /** Canonical synonym or role term → the role id it names. */
  private readonly roleTerms = new Map<string, string>();
  private readonly subjectFinder: PhraseFinder;
  private readonly weights = new Map<string, number>();
  /** The analysed KIND_WORDS and product management in general: not topic terms. */
  private readonly kindMarkers: Set<string>;
  /** The analysed COMPARISON_WORDS. */
  readonly comparisonTerms: ReadonlySet<string>;

  constructor(private readonly knowledge: Knowledge) {
    this.analyzer = new QuestionAnalyzer(knowledge);
    loadWordRarity();
    // Only synonym-group terms ("what is" → one term) mark a kind; plain words like "meaning" stay topic.
    const markers = this.analyzer.analyze(KIND_WORDS).filter((term) => term.startsWith(CANONICAL_PREFIX));
    this.kindMarkers = new Set([...markers, UMBRELLA_TERM]);
    this.comparisonTerms = new Set(this.analyzer.analyze(COMPARISON_WORDS));
    this.scope = new ScopeReader(knowledge);
    for (const role of knowledge.paths) {
      const names = [role.name, role.person, role.shortName, ...role.aliases];
      for (const name of names) {
        for (const term of this.analyzer.analyze(name)) {
          if (term.startsWith(CANONICAL_PREFIX) && term !== UMBRELLA_TERM) this.roleTerms.set(term, role.id);
        }
      }
    }
    this.subjectFinder = new PhraseFinder([
      ...knowledge.scope.titles.flatMap((title) =>
        title.terms.map((term): [string, string] => [term, title.id]),
      ),
      ...knowledge.scope.otherFields.map((term): [string, string] => [term, `field:${term}`]),
    ]);

    const allRoles = knowledge.paths.map((role) => role.id);
    /** Each entry's title and body terms for full-text search, found while framing them. */
    const searched: { title: string[]; body: string[] }[] = [];
    this.entries = knowledge.entries.map((entry) => {
      const frames = entry.questions.map((text) => this.frame(text));
      const questions = entry.questions.map((text, i) => {
        const frame = frames[i] as TermFrame;
        const topic = new Set(frame.topic);
        const question: StatedQuestion = {
          text,
          kind: questionKind(text),
          topic,
          // Weighed below, when every entry's terms are counted.
          weightedTopic: { terms: [...topic], weights: [], total: 0 },
          roles: frame.roles,
          subjects: frame.subjects,
        };
        return question;
      });
      const title = this.documentTerms(entry.title);
      const body = this.documentTerms(entry.body);
      searched.push({ title: title.searched, body: body.searched });
      // Its title, keywords and stated questions, in that order.
      const strong = new Set([
        ...title.topic,
        ...entry.keywords.flatMap((text) => this.documentTerms(text, false).topic),
        ...frames.flatMap((frame) => frame.topic),
      ]);
      // Titles its questions name are its subjects; fields only when its title or keywords name them, since a
      // stated question's "I'm a backend dev…" is context, not what the entry is about.
      const named = entry.questions.map((text) => this.subjectFinder.find(text));
      const subjects = new Set([
        ...[entry.title, ...entry.keywords].flatMap((text) => [...this.subjectFinder.find(text)]),
        ...named.flatMap((found) => [...found].filter((id) => !id.startsWith('field:'))),
      ]);
      for (const found of named) for (const id of found) this.askedAbout.add(id);
      const indexed: IndexedEntry = {
        entry,
        questions,
        strong,
        body: new Set(body.topic),
        roles: new Set([
          ...(entry.roles.length > 0 ? entry.roles : allRoles),
          ...questions.flatMap((question) => [...question.roles]),
        ]),
        subjects,
      };
      this.byId.set(entry.id, indexed);
      for (const term of new Set([...strong, ...indexed.body])) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
      return indexed;
    });

    for (const indexed of this.entries) {
      for (const question of indexed.questions) question.weightedTopic = this.weigh(question.topic);
    }

    // Field order and boosts: title, stated questions, keywords, body.
    this.scorer = new TermScorer(
      knowledge.entries.map((entry, i) => [
        searched[i]?.title ?? [],
        this.analyzer.analyze(entry.questions.join(' . '), { keepWords: true }),
        this.analyzer.analyze(entry.keywords.join(' . '), { keepWords: true }),
        searched[i]?.body ?? [],
      ]),
      [2, 2.5, 2, 1],
    );
  }

  /**
   * A knowledge text's topic terms (what `frame(text).topic` is) and, with `searched`, the terms full-text search
   * finds it by (`analyze(text, { keepWords: true })`): one analysis for both when they can share it.
   */
  private documentTerms(text: string, searched = true): { topic: string[]; searched: string[] } {
    const read = withImpliedWords(text);
    if (!searched) return { topic: this.readTerms(this.analyzer.analyze(read)).topic, searched: [] };
    if (read !== text) {
      return {
        topic: this.readTerms(this.analyzer.analyze(read)).topic,
        searched: this.analyzer.analyze(text, { keepWords: true }),
      };
    }
    const both = this.analyzer.analyzeBoth(text);
    return { topic: this.readTerms(both.query).topic, searched: both.document };
  }

  /** Analysed terms, each once, split into topic terms and the roles they name. */
  private readTerms(analysed: readonly string[]): { terms: string[]; topic: string[]; roles: Set<string> } {
    const roles = new Set<string>();
    const topic: string[] = [];
    const terms = [...new Set(analysed)];
    for (const term of terms) {
      const role = this.roleTerms.get(term);
      if (role) roles.add(role);
      else if (!this.kindMarkers.has(term)) topic.push(term);
    }
    return { terms, topic, roles };
  }

  /** Splits text into topic terms, roles and subjects. */
  frame(text: string): TermFrame {
    // Read once for the terms and for the subjects. "…do all day" implies duties: the words are added after the
    // text's own, as normalizing the text with them appended would.
    const normalized = normalizeText(text);
    const words = normalized.split(' ').filter(Boolean);
    const { terms, topic, roles } = this.readTerms(
      this.analyzer.analyzeWords([...words, ...impliedWords(text)]),
    );
    // "skills that matter in both roles": every role is named. So is the other role in "tech PM vs PM", where
    // "PM" stands against the role named.
    const against = roles.size === 1 && terms.includes(UMBRELLA_TERM) && COMPARING.test(text);
    if (BOTH_ROLES.test(text) || against) for (const role of this.knowledge.paths) roles.add(role.id);
    const tail = ALTERNATIVE.exec(text);
    const headNormalized = tail ? normalizeText(text.slice(0, tail.index)) : undefined;
    const head =
      headNormalized === undefined
        ? undefined
        : new Set(this.analyzer.analyzeWords(headNormalized.split(' ').filter(Boolean)));
    const aside = head ? new Set(topic.filter((term) => !head.has(term))) : undefined;
    // A title named only in the alternative ("…or is that the eng manager's job?") is not what the part asks about.
    const subjects = this.subjectFinder.findFolded(foldedTokens(normalized));
    if (headNormalized !== undefined) {
      const asked = this.subjectFinder.findFolded(foldedTokens(headNormalized));
      for (const subject of subjects) if (!asked.has(subject)) subjects.delete(subject);
    }
    return {
      topic,
      roles,
      subjects,
      terms,
      general: terms.includes(UMBRELLA_TERM),
      ...(aside && aside.size > 0 ? { aside } : {}),
    };
  }

  /** Inverse document frequency: a term no entry uses weighs most, one every entry uses almost nothing. */
  termWeight(term: string): number {
    const cached = this.weights.get(term);
    if (cached !== undefined) return cached;
    const entries = this.knowledge.entries.length;
    const idf = Math.log((entries + 1) / ((this.documentFrequency.get(term) ?? 0) + 0.5));
    // An everyday word ("straight", "company") says little about a question's topic, however rare in the knowledge.
    const weight = term.startsWith(CANONICAL_PREFIX) ? idf : Math.min(idf, everydayWeightCap(term));
    if (this.weights.size < MAX_CACHED_WEIGHTS) this.weights.set(term, weight);
    return weight;
  }

  /**
   * The terms with their weights: `termWeight` less `floor` (never below 0), times `factor`'s for the term, and
   * their sum, in order. Worked out once per question part (and per stated question at start-up), not once per
   * entry it is compared with.
   */
  weigh(terms: Iterable<string>, floor = 0, factor?: (term: string) => number): WeightedTerms {
    const list: string[] = [];
    const weights: number[] = [];
    let total = 0;
    for (const term of terms) {
      const weight = Math.max(0, this.termWeight(term) - floor) * (factor ? factor(term) : 1);
      list.push(term);
      weights.push(weight);
      total += weight;
    }
    return { terms: list, weights, total };
  }

  /** Whether some entry answers questions about a nearby title (one of its stated questions names it). */
  speaksAbout(subject: string): boolean {
    return this.askedAbout.has(subject);
  }

  /** Whether any entry uses the term at all. */
  knows(term: string): boolean {
    return this.documentFrequency.has(term);
  }

  get(entryId: string): IndexedEntry | undefined {
    return this.byId.get(entryId);
  }

  /** Entry ids ranked by full-text relevance to a frame's terms, best first, with their BM25+ scores. */
  candidates(
    frame: TermFrame,
    limit: number,
    accept?: (entry: Entry) => boolean,
  ): { id: string; score: number }[] {
    if (frame.terms.length === 0) return [];
    const entries = this.knowledge.entries;
    const admit = accept ? (doc: number) => entries[doc] !== undefined && accept(entries[doc]) : undefined;
    return this.scorer.top(frame.terms, limit, admit).flatMap(({ doc, score }) => {
      const entry = this.knowledge.entries[doc];
      return entry ? [{ id: entry.id, score }] : [];
    });
  }
}
