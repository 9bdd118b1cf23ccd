import { stemmer } from 'stemmer';
import { eng as englishStopWords } from 'stopword';
import type { Knowledge } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText } from './text.js';

/** Words of chat questions that say nothing about the topic ("hey bot, can you tell me…"). */
const CHAT_FILLER = [
  'hey',
  'hi',
  'hello',
  'yo',
  'bot',
  'advisor',
  'please',
  'pls',
  'thanks',
  'thank',
  'anyone',
  'someone',
  'know',
  'tell',
  'explain',
  'question',
  'does',
  'need',
  'want',
  'really',
  'actually',
  'just',
  'kind',
  'sort',
  'thing',
  'things',
  'stuff',
  'lot',
  'lots',
  'good',
  'bad',
  'best',
  'better',
  'whats',
  'hows',
  'whos',
  'im',
  'ive',
  'id',
  'dont',
  'doesnt',
  'isnt',
  'arent',
  'cant',
  'wanna',
  'gonna',
  'say',
  'said',
  'mean',
  'means',
  'us',
  'u',
  'ur',
  'role',
  'roles',
  'job',
  'jobs',
  'person',
  'people',
  'someone',
  'one',
  'ones',
  'two',
  'guys',
  'team',
  'usually',
  'typically',
  'generally',
  'normally',
  'exactly',
  'anything',
  'something',
  'everything',
  'day',
];
const STOP_WORDS = new Set([...englishStopWords, ...CHAT_FILLER]);

/** Marks a term that stands for a whole synonym group, so it is never stemmed or matched fuzzily. */
export const CANONICAL_PREFIX = '~';

/**
 * Turns text into search terms: mentions and links dropped, synonym phrases ("tech pm", "pay")
 * folded into one canonical term per group, stop words dropped, the rest stemmed.
 */
export class QuestionAnalyzer {
  /** Phrase (as space-joined tokens) → canonical term; longest phrases are tried first. */
  private readonly phrases = new Map<string, string>();
  private readonly longestPhrase: number;

  constructor(knowledge: Pick<Knowledge, 'synonyms' | 'roles'>) {
    const groups = [
      ...knowledge.synonyms.map((group) => ({ id: group.id, terms: group.terms })),
      ...knowledge.roles.map((role) => ({
        id: role.id,
        terms: [role.name, role.person, role.shortName, ...role.aliases],
      })),
    ];
    for (const group of groups) {
      for (const term of group.terms) {
        const key = normalizeText(term).split(' ').map(foldPlural).join(' ');
        if (key && !this.phrases.has(key)) this.phrases.set(key, `${CANONICAL_PREFIX}${group.id}`);
      }
    }
    this.longestPhrase = Math.max(1, ...[...this.phrases.keys()].map((key) => key.split(' ').length));
  }

  /**
   * Query terms: a phrase found in the synonym list becomes only its canonical term.
   * With `keepWords` (used for documents), its words are kept as well, so a typo in a query can still find them.
   */
  analyze(text: string, options: { keepWords?: boolean } = {}): string[] {
    const tokens = normalizeText(stripSlackMarkup(text)).split(' ').filter(Boolean);
    const folded = tokens.map(foldPlural);
    const terms: string[] = [];
    for (let start = 0; start < tokens.length; ) {
      let matched = 0;
      for (let length = Math.min(this.longestPhrase, tokens.length - start); length > 0; length--) {
        const canonical = this.phrases.get(folded.slice(start, start + length).join(' '));
        if (canonical) {
          terms.push(canonical);
          matched = length;
          break;
        }
      }
      const words =
        matched > 0 ? (options.keepWords ? tokens.slice(start, start + matched) : []) : [tokens[start] ?? ''];
      for (const word of words) if (!STOP_WORDS.has(word)) terms.push(stemmer(word));
      start += Math.max(matched, 1);
    }
    return terms;
  }
}

/** Removes Slack's <…> markup: user/channel mentions and broadcasts vanish, links keep their label. */
export function stripSlackMarkup(text: string): string {
  return text.replace(/<([^>|]*)(?:\|([^>]*))?>/g, (_match, target: string, label?: string) => {
    if (target.startsWith('@') || target.startsWith('!') || target.startsWith('#')) return ' ';
    return label ?? ' ';
  });
}
