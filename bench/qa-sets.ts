import { existsSync } from 'node:fs';
import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { projectRoot } from '../src/paths.js';
import type { LabelledQuestion } from './qa-scoring.js';

/** A question with where it comes from: the fixture file (or the real questions' file) and its place in it. */
export interface SourcedQuestion {
  file: string;
  position: number;
  q: string;
  topic: string;
}

export interface QaSets {
  /** Every qa-tuning*.json file, in file-name order. */
  tuning: LabelledQuestion[];
  /** Every qa-check*.json file (never tuned against: never print its questions). */
  check: LabelledQuestion[];
  /** qa-questions.json: short questions in the knowledge's own words. */
  basics: LabelledQuestion[];
  /** Every labelled question with its file, in the order above. */
  sourced: SourcedQuestion[];
}

const FIXTURES = path.join(projectRoot, 'tests', 'fixtures');

async function readSet(file: string): Promise<LabelledQuestion[]> {
  const text = await readFile(path.join(FIXTURES, file), 'utf8');
  return (JSON.parse(text) as { questions: LabelledQuestion[] }).questions;
}

/** The labelled question sets of tests/fixtures/ (read-only). */
export async function readQaSets(): Promise<QaSets> {
  const fixtures = await readdir(FIXTURES);
  const files = (pattern: RegExp) => fixtures.filter((file) => pattern.test(file)).sort();
  const sourced: SourcedQuestion[] = [];
  const read = async (names: string[]) => {
    const sets = await Promise.all(names.map(readSet));
    return sets.flatMap((questions, i) => {
      const file = names[i] ?? '';
      questions.forEach(({ q, topic }, position) => {
        sourced.push({ file, position, q, topic });
      });
      return questions;
    });
  };
  const tuning = await read(files(/^qa-tuning.*\.json$/));
  const check = await read(files(/^qa-check.*\.json$/));
  const basics = await read(['qa-questions.json']);
  return { tuning, check, basics, sourced };
}

/** The real posted questions: QA_REAL_QUESTIONS, or the nearest shared/questions/ folder above the project. */
export function findRealQuestions(): string | undefined {
  if (process.env.QA_REAL_QUESTIONS) return path.resolve(process.env.QA_REAL_QUESTIONS);
  for (let dir = path.dirname(projectRoot); ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'shared', 'questions', 'real-questions-dev.jsonl');
    if (existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) return undefined;
  }
}

/** The real posted questions (unlabelled), read-only; none when no copy is found. */
export async function readRealQuestions(file = findRealQuestions()): Promise<{ q: string; topic: string }[]> {
  if (!file || !existsSync(file)) return [];
  const real: { q: string; topic: string }[] = [];
  for (const line of (await readFile(file, 'utf8')).split('\n')) {
    if (line.trim()) real.push(JSON.parse(line) as { q: string; topic: string });
  }
  return real;
}
