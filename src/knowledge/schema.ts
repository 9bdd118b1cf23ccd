import { z } from 'zod';

/** Stable identifiers: lowercase kebab-case. Saved data refers to them, so they never change. */
const id = z
  .string()
  .max(64)
  .regex(/^[a-z0-9]+(-[a-z0-9]+)*$/, 'must be lowercase kebab-case, e.g. "it-pm-skills"');
const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const sourceRefs = z.array(id).min(1, 'name at least one source section');
const terms = z.array(text(60)).default([]);

export const sectionSchema = z.strictObject({ id, title: text(150) });
export const sourceSchema = z.strictObject({
  id,
  title: text(150),
  publisher: text(80).optional(),
  url: z.url().optional(),
  /** The date its content is current as of (YYYY-MM-DD): the page's own date when it shows one, else when it was
   * looked up. Time-sensitive entries need it within 18 months. */
  as_of: z.iso.date().optional(),
  sections: z.array(sectionSchema).min(1),
});

export const roleSchema = z.strictObject({
  id,
  name: text(60),
  person: text(60),
  shortName: text(24),
  /** A career path the advisor weighs (questionnaire, Q&A); `false` for a nearby role `/pm-compare` also compares. */
  path: z.boolean().default(true),
  aliases: terms,
  summary: text(400),
  skillsToBuild: z.array(text(200)).min(2).max(8),
  nextSteps: z.array(text(200)).min(2).max(8),
  sources: sourceRefs,
});

export const dimensionCellSchema = z.strictObject({
  summary: text(400),
  points: z.array(text(300)).min(1).max(8),
  /** Source sections of this cell beyond the dimension's own (a nearby role's cell cites its references). */
  sources: z.array(id).default([]),
});

export const dimensionSchema = z.strictObject({
  id,
  title: text(40),
  aliases: terms,
  description: text(150),
  roles: z.record(id, dimensionCellSchema),
  shared: z.array(text(300)).max(6).default([]),
  sources: sourceRefs,
});

/** The direct answer to a yes/no question, shown before the reasons ("It depends. …"). */
export const VERDICTS = ['Yes', 'No', 'It depends', 'Not necessarily', 'Usually'] as const;

export const entrySchema = z.strictObject({
  id,
  title: text(80),
  /** The questions this entry answers, phrased the way people ask them; matching reads them with the body. */
  questions: z.array(text(200)).min(2, 'list at least two questions this entry answers').max(16),
  body: text(1200),
  /** For an entry that answers a yes/no question: the one-word answer that leads the reply. */
  verdict: z.enum(VERDICTS).optional(),
  /** The entry mostly says what the knowledge lacks (no salary figures): it is offered under "I can't answer that
   * directly", never as the answer. */
  partial: z.boolean().optional(),
  /** Pay, the job market, regulation: every source it cites must carry an `as_of` no older than 18 months. */
  timeSensitive: z.boolean().optional(),
  keywords: terms,
  roles: z.array(id).default([]),
  dimension: id.optional(),
  related: z.array(id).max(5).default([]),
  sources: sourceRefs,
});

export const factorOptionSchema = z.strictObject({
  id,
  label: text(60),
  aliases: terms,
  weights: z.record(id, z.number().int().min(-3).max(3)),
  /** Advice for someone who gives this answer, shown first in the result (a background question's options). */
  skillsToBuild: z.array(text(200)).max(4).default([]),
  nextSteps: z.array(text(200)).max(4).default([]),
});

export const factorSchema = z.strictObject({
  id,
  question: text(200),
  why: text(300),
  options: z.array(factorOptionSchema).min(2).max(5),
  entries: z.array(id).default([]),
  sources: sourceRefs,
});

export const principleSchema = z.strictObject({ id, text: text(300), sources: sourceRefs });

export const synonymGroupSchema = z.strictObject({ id, terms: z.array(text(60)).min(2) });

/** A job title near product management that the knowledge does not cover (yet): questions about it are declined. */
export const titleSchema = z.strictObject({
  id,
  /** How the reply names it: "product owners". */
  name: text(80),
  terms: z.array(text(60)).min(1),
});

/** What the advisor covers, and the words that tell a question about something else. */
export const scopeSchema = z.strictObject({
  /** Words for product management in general that name neither role ("PM", "product manager"). */
  umbrella: terms,
  titles: z.array(titleSchema).default([]),
  /** Careers and subjects outside product roles ("data scientist", "nursing"). */
  otherFields: terms,
  /** Words that put a question inside product work even when it names no role ("roadmap", "backlog"). */
  domainTerms: terms,
  /** Example questions offered when a question is out of scope; each must get an answer. */
  examples: z.array(text(120)).min(2).max(5),
});

/** One knowledge file: any subset of the kinds. The loader merges all files of the folder. */
export const knowledgeFileSchema = z.strictObject({
  $comment: z.string().optional(),
  sources: z.array(sourceSchema).optional(),
  roles: z.array(roleSchema).optional(),
  dimensions: z.array(dimensionSchema).optional(),
  entries: z.array(entrySchema).optional(),
  factors: z.array(factorSchema).optional(),
  synonyms: z.array(synonymGroupSchema).optional(),
  principles: z.array(principleSchema).optional(),
  scope: scopeSchema.optional(),
});

export type KnowledgeFile = z.infer<typeof knowledgeFileSchema>;
export type Source = z.infer<typeof sourceSchema>;
export type Section = z.infer<typeof sectionSchema>;
export type Role = z.infer<typeof roleSchema>;
export type DimensionCell = z.infer<typeof dimensionCellSchema>;
export type Dimension = z.infer<typeof dimensionSchema>;
export type Entry = z.infer<typeof entrySchema>;
export type FactorOption = z.infer<typeof factorOptionSchema>;
export type Factor = z.infer<typeof factorSchema>;
export type SynonymGroup = z.infer<typeof synonymGroupSchema>;
export type Principle = z.infer<typeof principleSchema>;
export type Title = z.infer<typeof titleSchema>;
export type Scope = z.infer<typeof scopeSchema>;
