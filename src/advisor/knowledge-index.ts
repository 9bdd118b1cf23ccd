import MiniSearch, { type SearchResult } from 'minisearch';
import type { Entry, Knowledge } from '../knowledge/knowledge.js';
import { CANONICAL_PREFIX, QuestionAnalyzer } from './question-analyzer.js';

export interface EntryMatch {
  entry: Entry;
  score: number;
  /** Share of the question's meaning this entry matched (0–1): matched terms weighted by rarity in the knowledge. */
  coverage: number;
  matchedTerms: string[];
}

export interface SearchOutcome {
  terms: string[];
  matches: EntryMatch[];
  /** The share of the question's (rarity-weighted) terms that no entry uses at all ("bitcoin", "germany"). */
  unknownShare: number;
}

interface IndexedEntry {
  id: string;
  title: string;
  keywords: string;
  body: string;
  roles: string;
}

/**
 * Full-text search over the knowledge entries (MiniSearch, BM25+): titles, keywords and bodies,
 * with stemming, stop words, synonym folding and fuzzy matching for typos.
 */
export class KnowledgeIndex {
  readonly analyzer: QuestionAnalyzer;
  private readonly search: MiniSearch<IndexedEntry>;
  /** In how many entries each term occurs: rare terms carry more of a question's meaning. */
  private readonly documentFrequency = new Map<string, number>();

  constructor(private readonly knowledge: Knowledge) {
    this.analyzer = new QuestionAnalyzer(knowledge);
    this.search = new MiniSearch<IndexedEntry>({
      fields: ['title', 'keywords', 'body', 'roles'],
      tokenize: (text) => this.analyzer.analyze(text, { keepWords: true }),
      processTerm: (term) => term,
      searchOptions: {
        tokenize: (text) => this.analyzer.analyze(text),
        processTerm: (term) => term,
        boost: { title: 2, keywords: 2.5, body: 1, roles: 0.5 },
        fuzzy: (term) => (term.startsWith(CANONICAL_PREFIX) || term.length < 5 ? false : 0.2),
        prefix: (term) => !term.startsWith(CANONICAL_PREFIX) && term.length >= 6,
        combineWith: 'OR',
      },
    });
    const documents = knowledge.entries.map((entry) => ({
      id: entry.id,
      title: entry.title,
      keywords: entry.keywords.join(' . '),
      body: entry.body,
      roles: entry.roles.map((roleId) => knowledge.rolesById.get(roleId)?.name ?? '').join(' . '),
    }));
    this.search.addAll(documents);
    for (const document of documents) {
      const text = [document.title, document.keywords, document.body, document.roles].join(' . ');
      for (const term of new Set(this.analyzer.analyze(text, { keepWords: true }))) {
        this.documentFrequency.set(term, (this.documentFrequency.get(term) ?? 0) + 1);
      }
    }
  }

  /** Inverse document frequency: a term no entry uses weighs most, one every entry uses almost nothing. */
  termWeight(term: string): number {
    const entries = this.knowledge.entries.length;
    return Math.log((entries + 1) / ((this.documentFrequency.get(term) ?? 0) + 0.5));
  }

  /** The entries matching a question, best first, each with how much of the question it covers. */
  query(question: string, limit = 8): SearchOutcome {
    const terms = [...new Set(this.analyzer.analyze(question))];
    if (terms.length === 0) return { terms, matches: [], unknownShare: 0 };
    const results: SearchResult[] = this.search.search(question);
    const totalWeight = terms.reduce((sum, term) => sum + this.termWeight(term), 0);
    const matches = results.slice(0, limit).flatMap((result): EntryMatch[] => {
      const entry = this.knowledge.entriesById.get(String(result.id));
      if (!entry) return [];
      const matchedTerms = [...new Set(result.queryTerms)];
      const matchedWeight = matchedTerms.reduce((sum, term) => sum + this.termWeight(term), 0);
      return [
        {
          entry,
          score: result.score,
          coverage: totalWeight > 0 ? matchedWeight / totalWeight : 0,
          matchedTerms,
        },
      ];
    });
    const unknownWeight = terms
      .filter((term) => !this.documentFrequency.has(term))
      .reduce((sum, term) => sum + this.termWeight(term), 0);
    return { terms, matches, unknownShare: totalWeight > 0 ? unknownWeight / totalWeight : 0 };
  }
}
