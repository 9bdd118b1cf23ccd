import type { Dimension, Entry, Knowledge, Title } from '../knowledge/knowledge.js';
import type { IndexedEntry, KnowledgeIndex, TermFrame, WeightedTerms } from './knowledge-index.js';
import {
  asksYesOrNo,
  kindsFit,
  type QuestionKind,
  type QuestionPart,
  splitQuestion,
} from './question-frame.js';

/** How sure matching must be before an entry is presented as the answer. Tuned with `npm run bench:qa`. */
export const ANSWER_THRESHOLDS = {
  /** An entry's best-fitting stated question must find at least this share of its topic in the question… */
  anchor: 0.5,
  /** …and the entry must account for at least this share of the question's topic. */
  explained: 0.66,
  /** …or this share when the message names no product role, title or product work. */
  explainedOutsideDomain: 0.9,
  /** Below those, an entry this close only "touches" the question: offered under "I can't answer that directly". */
  touchAnchor: 0.6,
  touchExplained: 0.5,
  /** An entry presented beside another (for a later part of the question) must fit at least this closely. */
  additionalAnchor: 0.7,
  additionalExplained: 0.8,
  /** A suggestion after "I don't know" must be at least this close. */
  suggestAnchor: 0.34,
  /** A term found only in an entry's body counts this much towards what it explains. */
  bodyCredit: 0.5,
  /** The context around a question ("I'm a nurse in Ohio…") weighs this much of what an entry must explain. */
  contextWeight: 0.3,
  candidates: 12,
  maxRelated: 3,
} as const;

/** The words of an alternative the person offers ("…or is that marketing's job?") count this much. */
const ASIDE_WEIGHT = 0.35;

/** What an entry must explain leaves out this much of each term's weight: the commonest words weigh 1. */
const EVERYDAY_FLOOR = 0.9;

/** How well one entry fits one part of a question. */
export interface EntryFit {
  entry: Entry;
  /** The best share of a fitting stated question's topic found in the part (0–1). */
  anchor: number;
  /** The share of the part's topic the entry accounts for (0–1). */
  explained: number;
  /** The part names only roles and subjects the entry speaks about. */
  subjectFits: boolean;
  /** The kind of the stated question that fits best: a verdict answers only a yes/no one. */
  statedKind?: QuestionKind;
  /** Full-text relevance, for ordering. */
  score: number;
}

export type PartAnswer =
  | { kind: 'answered'; part: QuestionPart; entry: Entry; verdict?: string }
  | { kind: 'touches'; part: QuestionPart; entry: Entry }
  | { kind: 'uncovered'; part: QuestionPart };

export type QaOutcome =
  | {
      kind: 'answer';
      question: string;
      /** Every part, in the order asked: answered, touched on, or not covered. */
      parts: PartAnswer[];
      /** The entries presented as answers, each once. */
      entries: Entry[];
      related: Entry[];
      /** The comparison dimension, when a comparison on it was asked, for a pointer to `/pm-compare <dimension>`. */
      dimension?: Dimension;
      /** The question is which of the paths fits the asker: offer the questionnaire. */
      offerQuestionnaire: boolean;
    }
  | {
      /** Nothing answers it directly; the closest entry says something on its topic. */
      kind: 'partial';
      question: string;
      entry: Entry;
      related: Entry[];
      offerQuestionnaire: boolean;
    }
  | {
      kind: 'unknown';
      question: string;
      closest: Entry[];
      /** Nearby titles the question is about that the knowledge doesn't cover ("product owners"). */
      titles: Title[];
      offerQuestionnaire: boolean;
    }
  | { kind: 'out-of-scope'; question: string; reason: 'about-the-bot' | 'forecast' | 'other-subject' }
  | { kind: 'empty' };

/**
 * Weighted share of the terms an entry covers (1 in its title, keywords or stated questions, `bodyCredit` in its
 * body only), or undefined when they weigh nothing. The weights come with the terms (`KnowledgeIndex.weigh`): with
 * a floor, everyday words count for next to nothing and rare ones for most.
 */
function coveredShare(weighted: WeightedTerms, indexed: IndexedEntry): number | undefined {
  const { terms, weights, total } = weighted;
  const { bodyCredit } = ANSWER_THRESHOLDS;
  let hit = 0;
  for (let i = 0; i < terms.length; i++) {
    const term = terms[i] ?? '';
    hit += (weights[i] ?? 0) * (indexed.strong.has(term) ? 1 : indexed.body.has(term) ? bodyCredit : 0);
  }
  return total > 0 ? hit / total : undefined;
}

/** Weighted share of a stated question's topic that the part asks about, or undefined when it weighs nothing. */
function askedShare(weighted: WeightedTerms, asked: ReadonlySet<string>): number | undefined {
  const { terms, weights, total } = weighted;
  let hit = 0;
  for (let i = 0; i < terms.length; i++) hit += (weights[i] ?? 0) * (asked.has(terms[i] ?? '') ? 1 : 0);
  return total > 0 ? hit / total : undefined;
}

/** A part as fitting reads it: worked out once, then fitted against each candidate entry. */
export interface FitQuery {
  frame: TermFrame;
  kind: QuestionKind;
  /** The part's topic, weighed for what an entry must explain (the everyday floor off, asides light). */
  topic: WeightedTerms;
  /** The context's terms that are not in the topic, weighed likewise. */
  context: WeightedTerms;
  /** The topic terms, for finding them in a stated question. */
  asked: ReadonlySet<string>;
}

/** Reads a part for fitting against entries: its topic and context terms, weighed once. */
export function prepareFit(
  index: KnowledgeIndex,
  frame: TermFrame,
  kind: QuestionKind,
  context: readonly string[] = [],
): FitQuery {
  const aside = frame.aside;
  return {
    frame,
    kind,
    topic: index.weigh(
      frame.topic,
      EVERYDAY_FLOOR,
      aside ? (term) => (aside.has(term) ? ASIDE_WEIGHT : 1) : undefined,
    ),
    context: index.weigh(
      context.filter((term) => !frame.topic.includes(term)),
      EVERYDAY_FLOOR,
    ),
    asked: new Set(frame.topic),
  };
}

/** How well an entry fits a part: its stated questions against the part's topic, kind and subjects. */
export function fitEntry(
  index: KnowledgeIndex,
  indexed: IndexedEntry,
  frame: TermFrame,
  kind: QuestionKind,
  options: { score?: number; context?: readonly string[] } = {},
): EntryFit {
  return fitPrepared(indexed, prepareFit(index, frame, kind, options.context), options.score);
}

/** `fitEntry` with the part already read (`prepareFit`): what each candidate costs. */
export function fitPrepared(indexed: IndexedEntry, query: FitQuery, score = 0): EntryFit {
  const { contextWeight } = ANSWER_THRESHOLDS;
  const { frame, kind, asked } = query;
  const inPart = coveredShare(query.topic, indexed) ?? 1;
  const inContext = coveredShare(query.context, indexed);
  const explained =
    inContext === undefined ? inPart : (1 - contextWeight) * inPart + contextWeight * inContext;
  let anchor = 0;
  let statedKind: QuestionKind | undefined;
  for (const stated of indexed.questions) {
    if (!kindsFit(kind, stated.kind)) continue;
    // A stated question between the roles ("are skills transferable between IT PM and general PM?") answers a
    // question about both, not "what skills transfer into a PM role?"; "which is better, IT PM or PM?" does not
    // answer "which is better for product management: Scrum or SAFe?".
    if (stated.roles.size >= 2 && !everyIn(stated.roles, frame.roles)) continue;
    // "What's required to become a PM?" is not answered by "what does it take to become an IT PM?".
    if (frame.general && frame.roles.size === 0 && stated.roles.size > 0) continue;
    // A stated question about a role itself ("what is IT PM?") fits a question that asks nothing more of the
    // same roles.
    const share =
      askedShare(stated.weightedTopic, asked) ??
      (asked.size === 0 && sameSet(stated.roles, frame.roles) && sameSet(stated.subjects, frame.subjects)
        ? 1
        : 0);
    if (share > anchor) {
      anchor = share;
      statedKind = stated.kind;
    }
  }
  const subjectFits = everyIn(frame.roles, indexed.roles) && everyIn(frame.subjects, indexed.subjects);
  return { entry: indexed.entry, anchor, explained, subjectFits, score, statedKind };
}

/** Whether every item of `items` is in `set`. */
function everyIn(items: ReadonlySet<string>, set: ReadonlySet<string>): boolean {
  for (const item of items) if (!set.has(item)) return false;
  return true;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
  return a.size === b.size && everyIn(a, b);
}

function answers(fit: EntryFit, minExplained: number = ANSWER_THRESHOLDS.explained): boolean {
  return (
    !fit.entry.partial &&
    fit.subjectFits &&
    fit.anchor >= ANSWER_THRESHOLDS.anchor &&
    fit.explained >= minExplained
  );
}

function touches(fit: EntryFit): boolean {
  return fit.anchor >= ANSWER_THRESHOLDS.touchAnchor && fit.explained >= ANSWER_THRESHOLDS.touchExplained;
}

/** Best first: entries that answer, then by closeness, then by full-text score. */
function rank(a: EntryFit, b: EntryFit): number {
  return (
    Number(answers(b)) - Number(answers(a)) ||
    b.anchor + b.explained - (a.anchor + a.explained) ||
    b.score - a.score
  );
}

/**
 * The entries that could answer a part, ranked. `rest` is the rest of the message: a part that names no role
 * or title takes them from it ("I'm an IT PM. Do I need to code?"), and its topic weighs in a little.
 */
export function fitPart(
  index: KnowledgeIndex,
  part: QuestionPart,
  own: TermFrame,
  rest: TermFrame,
): EntryFit[] {
  // A part that names nothing takes the roles and titles named elsewhere; one that points back ("is that the same
  // as a technical product manager?") adds them to its own.
  const named = own.roles.size > 0 || own.subjects.size > 0 || own.general;
  const frame = !named
    ? { ...own, roles: rest.roles, subjects: rest.subjects }
    : POINTING_BACK.test(part.text)
      ? { ...own, roles: own.roles, subjects: new Set([...own.subjects, ...rest.subjects]) }
      : own;
  const query = prepareFit(index, frame, part.kind, rest.topic);
  return index
    .candidates(frame, ANSWER_THRESHOLDS.candidates)
    .flatMap(({ id, score }) => {
      const indexed = index.get(id);
      return indexed ? [fitPrepared(indexed, query, score)] : [];
    })
    .sort(rank);
}

/** A part that only asks for help or for others' experience, with no topic of its own. */
const ASKS_FOR_HELP =
  /\b(any (suggestions?|advice|tips|recommendations?|thoughts|ideas|pointers)|(suggestions|advice|tips|recommendations) for me|have any of you|has anyone|anyone (here )?(done|been through|made)|how did you (do|manage|pull off) (it|this|that)|what do you (think|suggest|recommend)|thanks in advance)/i;

/** "Which should I choose?" about the advisor's own roles: the questionnaire answers that better than any entry. */
function asksWhichPathFits({ part, frame }: ReadPart, text: string, roleCount: number): boolean {
  if (part.kind !== 'choice' || frame.subjects.size > 0) return false;
  if (!/\b(i|me|my|im|ive|myself)\b/i.test(text)) return false;
  // About the advisor's own roles: both named, or a path, career or fit asked about.
  return frame.roles.size >= Math.min(2, roleCount) || WHICH_PATH.test(part.text);
}

const WHICH_PATH =
  /\b(path|paths|career|careers|track|tracks|route|direction|fit|fits|suit|suits|right for me|for me)\b/i;

/** How many of a frame's topic terms say something: not everyday words, not "compare". */
function substantive(index: KnowledgeIndex, frame: TermFrame): number {
  return frame.topic.filter((term) => index.termWeight(term) > 1 && !index.comparisonTerms.has(term)).length;
}

/** What the matcher reads of a part: the part, the context sentences, and the roles and titles named elsewhere. */
interface ReadPart {
  part: QuestionPart;
  frame: TermFrame;
}

/** Words that point back to something said before. Case matters: "IT" is the IT in IT PM, "it" points back. */
const POINTING_BACK = /\b([Ii]t|[Tt]hat|[Tt]his|[Tt]hose|[Tt]hese|[Tt]hem|[Tt]hey|[Tt]here)\b/;
/** "does anyone do this work day to day?", "is that normal?": the part asks about a thing named before it. */
const THING_POINTER =
  /\b(this|that|these|those) (work|stuff|thing|things|kind|sort|type|part|approach|situation|one|ones|job|role|roles|setup|process)\b|\b(is|was|does|would) (it|that|this)\b/i;
/** "which would recruiters care about more?": a short part that picks between options named before it. */
const PICKING_BETWEEN = /^\W*(and |or |but |so )?(which|what about|how about|or)\b/i;

/**
 * The parts to answer. Parts that ask nothing of their own ("Any advice?", "Is this normal?") lean on the rest
 * of the message and are dropped, or, when nothing else is asked, the whole message is the question. A short
 * part that points back ("and is it any different for IT PMs?") joins the part before it.
 */
function readParts(index: KnowledgeIndex, question: string): { parts: ReadPart[]; context: string[] } {
  const split = splitQuestion(question);
  const read: ReadPart[] = [];
  for (const part of split.parts) {
    const frame = index.frame(part.text);
    // "Has anyone here done this? Any tips?" asks for nothing the rest of the message doesn't.
    const named = frame.roles.size > 0 || frame.subjects.size > 0 || frame.general;
    if (!named && ASKS_FOR_HELP.test(part.text) && substantive(index, frame) <= 1 && read.length > 0)
      continue;
    const previous = read.at(-1);
    // A part with at most one word of substance and no role of its own ("what should I actually compare?",
    // "My boss claims IT PMs code daily. True?") continues the part, or the sentence, before it.
    const alone =
      frame.roles.size === 0 && frame.subjects.size === 0 && !frame.general && substantive(index, frame) <= 1;
    const leans =
      (frame.topic.length <= 1 && POINTING_BACK.test(part.text)) ||
      alone ||
      THING_POINTER.test(part.text) ||
      (frame.topic.length <= 2 && frame.roles.size === 0 && PICKING_BETWEEN.test(part.text));
    const before = previous?.part.text ?? part.lead;
    if (before && leans) {
      // "People call PMs the voice of the customer. What does that mean?" is one question.
      const text = `${before} ${part.text}`;
      // The kind is the earlier question's ("how far out should a roadmap go? 6 months?"), unless it asked nothing.
      const kind = previous && previous.part.kind !== 'other' ? previous.part.kind : part.kind;
      const joined = { part: { text, kind }, frame: index.frame(text) };
      if (previous) read[read.length - 1] = joined;
      else read.push(joined);
    } else read.push({ part, frame });
  }
  const specific = read.filter(
    ({ frame }) => frame.topic.length > 0 || frame.roles.size > 0 || frame.subjects.size > 0 || frame.general,
  );
  if (specific.length > 0) return { parts: specific, context: split.context };
  const whole = index.frame(question);
  if (whole.topic.length === 0 && whole.roles.size === 0 && whole.subjects.size === 0 && !whole.general) {
    return { parts: [], context: [] };
  }
  return {
    parts: [{ part: { text: question, kind: read[0]?.part.kind ?? 'other' }, frame: whole }],
    context: [],
  };
}

/** A message as the matcher reads it: its parts, each with the entries that could answer it, best first. */
export interface QuestionAnalysis {
  parts: (ReadPart & { fits: EntryFit[] })[];
}

/** Reads a message into parts and ranks the entries for each. Exported for `bench/qa-explain`. */
export function analyseQuestion(index: KnowledgeIndex, question: string): QuestionAnalysis {
  const { parts: read, context } = readParts(index, question);
  const contextFrame = index.frame(context.join(' '));
  return {
    parts: read.map((part, i) => {
      const others = read.filter((_, j) => j !== i).map(({ frame }) => frame);
      const rest: TermFrame = {
        topic: contextFrame.topic,
        terms: contextFrame.terms,
        roles: new Set([...contextFrame.roles, ...others.flatMap((frame) => [...frame.roles])]),
        subjects: new Set([...contextFrame.subjects, ...others.flatMap((frame) => [...frame.subjects])]),
      };
      return { ...part, fits: fitPart(index, part.part, part.frame, rest) };
    }),
  };
}

type AnalysedPart = QuestionAnalysis['parts'][number];

/** What a message needs from every part's answer: the scope's threshold and the entries already shown. */
interface Answering {
  knowledge: Knowledge;
  question: string;
  minExplained: number;
  used: Set<string>;
}

/** One part's answer: an entry (or one per role), the closest entry it touches, or nothing. */
function answerPart(index: KnowledgeIndex, analysed: AnalysedPart, answering: Answering): PartAnswer[] {
  const { part, frame, fits: ranked } = analysed;
  const { knowledge, question, minExplained, used } = answering;
  const fresh = (fit: EntryFit) => !used.has(fit.entry.id);
  const answer = (entry: Entry, verdict?: string): PartAnswer => {
    used.add(entry.id);
    return { kind: 'answered', part, entry, ...(verdict ? { verdict } : {}) };
  };
  const best = ranked.find((fit) => answers(fit, minExplained));
  // The part is best answered by an entry another part already brought: nothing more to present for it (a lesser
  // entry would answer a different question).
  if (best && !fresh(best)) return [];
  // Another entry beside one already presented must fit closely: later parts are often loose asides.
  const confident = (fit: EntryFit) =>
    used.size === 0 ||
    (fit.anchor >= ANSWER_THRESHOLDS.additionalAnchor &&
      fit.explained >= ANSWER_THRESHOLDS.additionalExplained);
  if (best && confident(best)) {
    // "Yes." leads only when the question and the stated question it matched both ask yes or no.
    const yesOrNo = asksYesOrNo(part.kind) && best.statedKind !== undefined && asksYesOrNo(best.statedKind);
    return [answer(best.entry, yesOrNo ? best.entry.verdict : undefined)];
  }
  // "IT PM responsibilities vs general PM ones?": no entry compares them, but one entry for each role answers.
  const pair = answerEachRole(index, part, frame, minExplained, used);
  if (pair) return pair.map((entry) => answer(entry));
  // "I've been a SWE for 4 years, should I go IT PM or general PM?": the personal part is for the questionnaire
  // (offered with the answer); an entry about choosing between the roles answers the rest.
  const choosing =
    asksWhichPathFits(analysed, question, knowledge.paths.length) &&
    ranked.find(
      (fit) =>
        fit.entry.roles.length >= Math.min(2, knowledge.paths.length) &&
        answers(fit, ANSWER_THRESHOLDS.touchExplained) &&
        fresh(fit),
    );
  if (choosing) return [answer(choosing.entry)];
  // Offered only for a question that names product management or a role it covers; about a nearby title,
  // saying so is more honest.
  const aboutCovered = frame.subjects.size === 0 && (frame.roles.size > 0 || frame.general === true);
  const near = aboutCovered && ranked.find((fit) => touches(fit) && fit.subjectFits && fresh(fit));
  return [near ? { kind: 'touches', part, entry: near.entry } : { kind: 'uncovered', part }];
}

/**
 * Answers a question from the knowledge store, or says honestly that it cannot. Each part of a multi-part question
 * is matched on its own; an entry is presented as the answer only when its subject, kind and topic fit. Slack-free.
 */
export function answerQuestion(index: KnowledgeIndex, knowledge: Knowledge, question: string): QaOutcome {
  const { parts: analysed } = analyseQuestion(index, question);
  if (analysed.length === 0) return { kind: 'empty' };
  const scope = index.scope.read(
    question,
    analysed.map(({ part }) => part.text),
  );
  if (scope.aboutTheBot) return { kind: 'out-of-scope', question, reason: 'about-the-bot' };

  const offerQuestionnaire = analysed.some((part) =>
    asksWhichPathFits(part, question, knowledge.paths.length),
  );
  // A message that names no product role, title or product work must be explained almost whole ("the price of
  // gold" shares only "price" with pricing).
  const answering: Answering = {
    knowledge,
    question,
    minExplained: scope.inDomain ? ANSWER_THRESHOLDS.explained : ANSWER_THRESHOLDS.explainedOutsideDomain,
    used: new Set(),
  };
  const perPart = analysed.map((part) => answerPart(index, part, answering));
  const partAnswers = perPart.flat();
  const allFits = analysed.flatMap(({ fits }) => fits);

  const answered = partAnswers.flatMap((answer) => (answer.kind === 'answered' ? [answer] : []));
  const entries = answered.map(({ entry }) => entry);
  if (entries.length > 0) {
    const compared = answered.find(({ part, entry }) => part.kind === 'compare' && entry.dimension)?.entry;
    const dimension = compared?.dimension ? knowledge.dimensionsById.get(compared.dimension) : undefined;
    // A part the presented answers already speak to is not named as uncovered ("A director of engineering?
    // Someone on the product side?" after "Who does a product owner report to?"), nor a plain request for help
    // ("Any suggestions for me?", "Have any of you done this?") beside an answered question.
    const alreadyAnswered = (i: number) => {
      const analysedPart = analysed[i];
      if (!analysedPart) return false;
      if (ASKS_FOR_HELP.test(analysedPart.part.text)) return true;
      const query = prepareFit(index, analysedPart.frame, analysedPart.part.kind);
      return entries.some((entry) => {
        const indexed = index.get(entry.id);
        if (!indexed) return false;
        const fit = fitPrepared(indexed, query);
        return touches(fit) || fit.explained >= ANSWER_THRESHOLDS.touchExplained;
      });
    };
    return {
      kind: 'answer',
      question,
      parts: perPart.flatMap((answers, i) =>
        answers.filter((answer) => answer.kind === 'answered' || !alreadyAnswered(i)),
      ),
      entries,
      related: relatedEntries(knowledge, entries, allFits),
      ...(dimension ? { dimension } : {}),
      offerQuestionnaire,
    };
  }
  if (scope.forecast || (!scope.inDomain && !offerQuestionnaire)) {
    return { kind: 'out-of-scope', question, reason: scope.forecast ? 'forecast' : 'other-subject' };
  }
  const touched = partAnswers.find((answer) => answer.kind === 'touches');
  if (touched?.kind === 'touches') {
    return {
      kind: 'partial',
      question,
      entry: touched.entry,
      related: relatedEntries(knowledge, [touched.entry], allFits),
      offerQuestionnaire,
    };
  }
  // Titles are named as the reason only from parts about them, not from "I'm a project manager, how do I
  // get into product management?".
  const asked = new Set(
    analysed.flatMap(({ frame }) => (frame.roles.size > 0 || frame.general ? [] : [...frame.subjects])),
  );
  return {
    kind: 'unknown',
    question,
    closest: closestEntries(allFits),
    // "I don't cover product owners yet" only when no entry speaks about them at all.
    titles: knowledge.scope.titles.filter((title) => asked.has(title.id) && !index.speaksAbout(title.id)),
    offerQuestionnaire,
  };
}

/**
 * For a comparison naming several roles that no entry compares: one entry per role that answers the same
 * question asked of that role alone, or nothing.
 */
function answerEachRole(
  index: KnowledgeIndex,
  part: QuestionPart,
  frame: TermFrame,
  minExplained: number,
  used: ReadonlySet<string>,
): Entry[] | undefined {
  if (part.kind !== 'compare' || frame.roles.size < 2) return undefined;
  // The comparison words ("vs", "differ") are what no single-role entry explains; the rest must be.
  const topic = frame.topic.filter((term) => !index.comparisonTerms.has(term));
  if (topic.length === 0) return undefined;
  const entries: Entry[] = [];
  for (const role of frame.roles) {
    const alone = prepareFit(index, { ...frame, topic, roles: new Set([role]) }, 'what');
    // Each role's own entries, searched apart: in a large store the other role's would crowd them out.
    const own = (entry: Entry) => entry.roles.length === 1 && entry.roles[0] === role && !used.has(entry.id);
    let found: EntryFit | undefined;
    for (const { id, score } of index.candidates(frame, ANSWER_THRESHOLDS.candidates, own)) {
      const indexed = index.get(id);
      const fit = indexed ? fitPrepared(indexed, alone, score) : undefined;
      if (fit && answers(fit, minExplained)) {
        found = fit;
        break;
      }
    }
    if (!found) return undefined;
    entries.push(found.entry);
  }
  return entries;
}

/** Suggestions after "I don't know": only entries that are really close, and fit the subject. */
function closestEntries(fits: EntryFit[]): Entry[] {
  const close = fits
    .filter((fit) => fit.subjectFits && fit.anchor >= ANSWER_THRESHOLDS.suggestAnchor)
    .sort(rank)
    .map((fit) => fit.entry);
  return [...new Set(close)].slice(0, ANSWER_THRESHOLDS.maxRelated);
}

/** Related topics: the answers' own related entries first, then other close matches; none shown twice. */
function relatedEntries(knowledge: Knowledge, shown: Entry[], fits: EntryFit[]): Entry[] {
  const seen = new Set(shown.map((entry) => entry.id));
  const ids = [
    ...shown.flatMap((entry) => entry.related),
    ...fits.filter((fit) => fit.subjectFits && touches(fit)).map((fit) => fit.entry.id),
  ];
  const related: Entry[] = [];
  for (const id of ids) {
    const entry = knowledge.entriesById.get(id);
    if (!entry || seen.has(id)) continue;
    seen.add(id);
    related.push(entry);
    if (related.length === ANSWER_THRESHOLDS.maxRelated) break;
  }
  return related;
}
