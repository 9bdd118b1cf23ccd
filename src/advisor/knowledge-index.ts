import MiniSearch, { type SearchResult } from 'minisearch';
import type { Entry, Knowledge } from '../knowledge/knowledge.js';
import { CANONICAL_PREFIX, QuestionAnalyzer } from './question-analyzer.js';

export interface EntryMatch {
  entry: Entry;
  score: number;
  /** Share of the question's terms this entry matched (0–1). */
  coverage: number;
  matchedTerms: string[];
}

export interface SearchOutcome {
  terms: string[];
  matches: EntryMatch[];
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
    this.search.addAll(
      knowledge.entries.map((entry) => ({
        id: entry.id,
        title: entry.title,
        keywords: entry.keywords.join(' . '),
        body: entry.body,
        roles: entry.roles.map((roleId) => knowledge.rolesById.get(roleId)?.name ?? '').join(' . '),
      })),
    );
  }

  /** The entries matching a question, best first, each with how much of the question it covers. */
  query(question: string, limit = 8): SearchOutcome {
    const terms = [...new Set(this.analyzer.analyze(question))];
    if (terms.length === 0) return { terms, matches: [] };
    const results: SearchResult[] = this.search.search(question);
    const matches = results.slice(0, limit).flatMap((result): EntryMatch[] => {
      const entry = this.knowledge.entriesById.get(String(result.id));
      if (!entry) return [];
      const matchedTerms = [...new Set(result.queryTerms)];
      return [{ entry, score: result.score, coverage: matchedTerms.length / terms.length, matchedTerms }];
    });
    return { terms, matches };
  }
}
