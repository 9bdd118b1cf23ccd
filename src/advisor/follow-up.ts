import type { Knowledge } from '../knowledge/knowledge.js';
import { foldPlural, normalizeText, PhraseTable } from '../knowledge/text.js';
import { readsAsQuestion } from './command-question.js';
import type { KnowledgeIndex } from './knowledge-index.js';

/**
 * How a reply in a thread the advisor answered is read, given the question answered there before:
 * - `own`: a question in its own right ("what skills does a general PM need?"), answered as written;
 * - `with-context`: it leaves out what the earlier question said ("and for a general PM?" after "what does an IT
 *   PM earn?"), so it is answered as the question it stands for ("what does a general PM earn?");
 * - `unclear`: it leans on the earlier question in a way that cannot be filled in ("why?", "and for a PO?" after a
 *   question naming two roles): an honest "I can't answer that" beats answering a different question;
 * - `not-a-question`: chatter in the thread ("thanks!", "I think it depends"), left alone.
 */
export type FollowUpReading =
  | { kind: 'own'; question: string }
  | { kind: 'with-context'; question: string }
  | { kind: 'unclear'; question: string }
  | { kind: 'not-a-question' };

/**
 * What opens an elliptical follow-up: "and for…", "what about…", "how about…", "same for…", typos of them
 * included ("wat about"), with the preposition after it. Read on the text as written (case kept: "IT" is a role).
 */
const LEAD =
  /^\W*(?:(?:and|but|so|ok|okay|also)[\s,]+)?(?:(?:what|wat|wht|waht|whta)\s+(?:about|abt|bout|abut)|how\s+(?:about|abt|bout)|same\s+(?:for|with)|and|or|also|plus)\b(?:\s+(for|with|as|in|at|on|about|if|when|without|during)\b)?/i;

/** Prepositions after a lead that add a condition to the earlier question ("and in Berlin?", "and for juniors?"). */
const QUALIFYING = new Set(['for', 'with', 'in', 'at', 'on', 'if', 'when', 'without', 'during']);

/** A follow-up this short after its lead names whom the earlier question is now about ("and for junior PMs?"). */
const SHORT_FOLLOW_UP_WORDS = 4;

/** A word that points back to someone named before ("do *they* need to code?", "how do I become *one*?"). */
const POINTER_WORD = /\b(?:they|them|their|one|ones|he|she|him|his|her)\b/i;
/** "it" points back; "IT" is the IT in IT PM (case matters, as in the Q&A). */
const POINTER_IT = /\b(?:it|It)\b/;

/** Articles before a role name, dropped when the name is put into the earlier question. */
const LEADING_ARTICLE = /^(?:a|an|the)\s+/i;

/** A role or nearby title named in a text: where, as written, and which one (a role id or a title id). */
interface Who {
  id: string;
  start: number;
  end: number;
  written: string;
}

const whoTables = new WeakMap<Knowledge, PhraseTable<string>>();

/** Every way the knowledge names a role or a nearby title, folded as `findWho` folds a text's words. */
function whoTable(knowledge: Knowledge): PhraseTable<string> {
  const cached = whoTables.get(knowledge);
  if (cached) return cached;
  const table = new PhraseTable<string>();
  const add = (term: string, id: string) => {
    const tokens = normalizeText(term).split(' ').filter(Boolean).map(foldPlural);
    // "it" alone is a pronoun far more often than IT PM: only "IT", written so, names the role (findWho).
    if (tokens.length === 1 && tokens[0] === 'it') return;
    table.add(tokens, id);
  };
  for (const role of knowledge.roles)
    for (const term of [role.name, role.person, role.shortName, ...role.aliases]) {
      add(term, role.id);
      // "the general one", "an IT one": a role named as people do once it has been named.
      const one = term.replace(/\s(?:pm|product manager)$/i, ' one');
      if (one !== term) add(one, role.id);
    }
  for (const title of knowledge.scope.titles) for (const term of title.terms) add(term, title.id);
  whoTables.set(knowledge, table);
  return table;
}

const WORD = /[\p{L}\p{N}]+/gu;

/** The roles and titles a text names, in order, each with the words that name it. */
function findWho(knowledge: Knowledge, text: string): Who[] {
  const words = [...text.matchAll(WORD)].map((match) => ({
    raw: match[0],
    start: match.index,
    end: match.index + match[0].length,
    token: foldPlural(normalizeText(match[0])),
  }));
  const tokens = words.map((word) => word.token);
  const table = whoTable(knowledge);
  const found: Who[] = [];
  for (let i = 0; i < words.length; ) {
    const match = table.matchAt(tokens, i);
    const first = words[i];
    if (!first) break;
    if (match) {
      const last = words[i + match.length - 1] ?? first;
      found.push({
        id: match.value,
        start: first.start,
        end: last.end,
        written: text.slice(first.start, last.end),
      });
      i += match.length;
    } else if (first.raw === 'IT') {
      found.push({
        id: knowledge.paths[0]?.id ?? 'it-pm',
        start: first.start,
        end: first.end,
        written: first.raw,
      });
      i++;
    } else i++;
  }
  return found;
}

/** The text with the spans cut out. */
function without(text: string, spans: readonly Who[]): string {
  let rest = '';
  let from = 0;
  for (const span of spans) {
    rest += `${text.slice(from, span.start)} `;
    from = span.end;
  }
  return rest + text.slice(from);
}

/**
 * A text's topic terms (not roles, kind words or comparison words) that the knowledge uses: how many, and how many
 * say something (weigh more than an everyday word: "gener", "why" and "becom" do not).
 */
function topicSize(index: KnowledgeIndex, text: string): { loose: number; substantive: number } {
  const terms = index
    .frame(text)
    .topic.filter(
      (term) => index.knows(term) && !index.comparisonTerms.has(term) && index.termWeight(term) > 0,
    );
  return { loose: terms.length, substantive: terms.filter((term) => index.termWeight(term) > 1).length };
}

function wordCount(text: string): number {
  return [...text.matchAll(WORD)].length;
}

/** The text without the punctuation it ends on. */
function bare(text: string): string {
  // (?<!…): the trailing run is matched from its start only, so a long run of spaces is scanned once.
  return text.replace(/(?<![\s?!.,;:])[\s?!.,;:]+$/u, '').trim();
}

/**
 * Reads a reply in a thread in the light of the question answered there before. Slack-free: plain text in, the
 * question to answer out.
 */
export function readFollowUp(
  index: KnowledgeIndex,
  knowledge: Knowledge,
  earlier: string,
  text: string,
): FollowUpReading {
  const question = text.replace(/\s+/g, ' ').trim();
  const lead = LEAD.exec(question);
  if (!question || (!readsAsQuestion(question) && !lead)) return { kind: 'not-a-question' };
  const body = lead ? question.slice(lead[0].length) : question;
  const named = findWho(knowledge, body);
  const topic = topicSize(index, without(body, named));
  const before = findWho(knowledge, earlier);
  const beforeIds = new Set(before.map((who) => who.id));
  const unclear = { kind: 'unclear', question } as const;

  if (named.length > 0) {
    // It names someone and asks something of them: a question of its own; unless it is a few words after a lead
    // ("and for junior PMs?", "what about genral PMs?"), which name whom the earlier question is now about.
    const short = lead !== null && wordCount(body) <= SHORT_FOLLOW_UP_WORDS;
    if (topic.substantive > 0 && !short) return { kind: 'own', question };
    // "and for a general PM?": the earlier question, asked of them.
    if (beforeIds.size > 1) return unclear;
    const askOf = (phrase: string) =>
      beforeIds.size === 1 ? replaceSpans(earlier, before, phrase) : `${bare(earlier)} for ${phrase}?`;
    // In their words ("genral PMs", "junior PMs") when the matcher reads them so; else by the name it knows.
    for (const phrase of [bare(body).replace(LEADING_ARTICLE, ''), canonicalNames(knowledge, named)]) {
      const asked = askOf(phrase);
      const frame = index.frame(asked);
      const readsSomeone = frame.roles.size > 0 || frame.subjects.size > 0 || frame.general === true;
      const askedIds = new Set(findWho(knowledge, asked).map((who) => who.id));
      if (phrase && readsSomeone && named.every((who) => askedIds.has(who.id)))
        return { kind: 'with-context', question: asked };
    }
    return unclear;
  }
  // "and in Berlin?", "and for juniors?": the earlier question with a condition added.
  const preposition = lead?.[1]?.toLowerCase();
  if (preposition && QUALIFYING.has(preposition)) {
    const condition = bare(body);
    return condition
      ? { kind: 'with-context', question: `${bare(earlier)} ${preposition} ${condition}?` }
      : unclear;
  }
  // "why?", "really?", "and?": nothing to go on but the earlier answer.
  if (topic.loose === 0) return unclear;
  const pointer = POINTER_WORD.exec(question) ?? POINTER_IT.exec(question);
  if (!pointer && !lead) return topic.substantive > 0 ? { kind: 'own', question } : unclear;
  if (beforeIds.size === 0) return pointer ? unclear : { kind: 'own', question };
  // "do they need to code?" / "and the skills?": asked of whoever the earlier question named.
  const names = [...new Map(before.map((who) => [who.id, who.written])).values()].join(' or ');
  const asked = pointer
    ? `${question.slice(0, pointer.index)}${names}${question.slice(pointer.index + pointer[0].length)}`
    : `${bare(body)} for ${names}?`;
  return { kind: 'with-context', question: asked };
}

/** The names the knowledge gives the roles and titles named ("General PM" for "the general one"). */
function canonicalNames(knowledge: Knowledge, named: readonly Who[]): string {
  const names = named.map(
    (who) =>
      knowledge.rolesById.get(who.id)?.shortName ??
      knowledge.scope.titles.find((title) => title.id === who.id)?.name ??
      who.written,
  );
  return [...new Set(names)].join(' or ');
}

/** "a" or "an" before these words, by how they are said: "an IT PM", "a general PM", "an SRE", "a UX lead". */
function articleFor(words: string): 'a' | 'an' {
  const first = /[\p{L}\p{N}]+/u.exec(words)?.[0] ?? '';
  // An initialism is said letter by letter: "an MBA", "a PMM".
  if (first.length > 1 && first === first.toUpperCase()) return /^[AEFHILMNORSX]/.test(first) ? 'an' : 'a';
  return /^[aeiou]/i.test(first) && !/^(?:u[sx]|uni|eu|one)/i.test(first) ? 'an' : 'a';
}

/** An article just before a span: "what does *an* IT PM earn?". */
const ARTICLE_BEFORE = /\b(a|an|A|An)\s+$/;

/**
 * The text with every span replaced by the same words, the article before each made to fit them ("an IT PM" →
 * "a general PM"), or dropped before a plural ("an IT PM" → "genral PMs").
 */
function replaceSpans(text: string, spans: readonly Who[], words: string): string {
  let result = '';
  let from = 0;
  const plural = /[^s]s$/i.test(words) && !/\b(?:is|ss|us)$/i.test(words);
  for (const span of spans) {
    let before = text.slice(from, span.start);
    const article = ARTICLE_BEFORE.exec(before);
    if (article) {
      const upper = /^A/.test(article[1] ?? '');
      const fitting = articleFor(words);
      const replacement = plural ? '' : `${upper ? fitting[0]?.toUpperCase() + fitting.slice(1) : fitting} `;
      before = before.slice(0, article.index) + replacement;
    }
    result += before + words;
    from = span.end;
  }
  return result + text.slice(from);
}
