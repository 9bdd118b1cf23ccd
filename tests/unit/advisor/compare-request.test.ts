import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import {
  type CompareRequest,
  compareSubcommands,
  parseCompareRequest,
} from '../../../src/advisor/compare-request.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

let knowledge: Knowledge;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
});

const parse = (text: string): CompareRequest => parseCompareRequest(text, knowledge);

/** "dimension:<id>", "unknown:<suggestion id or ->", or the kind: one string, so failures read well. */
function describeRequest(request: CompareRequest): string {
  if (request.kind === 'dimension') return `dimension:${request.dimension.id}`;
  if (request.kind === 'unknown') return `unknown:${request.suggestion?.id ?? '-'}`;
  return request.kind;
}

const subcommandTerms = new Set<string>(compareSubcommands.flatMap((command) => [...command.terms]));

describe('parseCompareRequest: overview and help', () => {
  it.each(['', '   ', '\n\t'])('treats %j as the overview', (text) => {
    expect(parse(text)).toMatchObject({ kind: 'overview', roles: knowledge.paths.slice(0, 2) });
  });

  it.each([
    'all',
    'ALL',
    ' both ',
    'everything',
    'summary',
    'show me everything please',
    'compare all',
    'pm',
  ])('treats "%s" as the overview', (text) => {
    expect(parse(text)).toMatchObject({ kind: 'overview', roles: knowledge.paths.slice(0, 2) });
  });

  // Regression: "overview" is also an alias of the "focus" dimension in knowledge/dimensions.json, and
  // parseCompareRequest matches dimension terms before subcommand words, so the command the help view
  // advertises (`/pm-compare overview`) opens Focus and scope.
  it.each(['overview', 'Overview', ' OVERVIEW '])('treats "%s" as the overview', (text) => {
    expect(parse(text)).toMatchObject({ kind: 'overview', roles: knowledge.paths.slice(0, 2) });
  });

  it.each(['help', 'HELP', ' Help ', 'usage', 'help me', 'skills help', 'help!'])(
    'treats "%s" as help',
    (text) => {
      expect(parse(text)).toEqual({ kind: 'help' });
    },
  );

  // Regression: "?" has no word characters, so parseCompareRequest returns `unknown` on its first line
  // before it checks `input === '?'`; the registry lists "?" as a help term.
  it.each(['?', ' ? '])('treats "%s" as help', (text) => {
    expect(parse(text)).toEqual({ kind: 'help' });
  });
});

describe('parseCompareRequest: dimensions', () => {
  it('resolves every dimension id, title and alias to its dimension', () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const dimension of knowledge.dimensions) {
      for (const term of [dimension.id, dimension.title, ...dimension.aliases]) {
        // A subcommand word cannot also be a topic; that clash is covered by the overview test above.
        if (subcommandTerms.has(term.toLowerCase())) continue;
        checked++;
        const found = describeRequest(parse(term));
        if (found !== `dimension:${dimension.id}`)
          mismatches.push(`"${term}" → ${found}, not ${dimension.id}`);
      }
    }
    expect(mismatches).toEqual([]);
    expect(checked).toBeGreaterThanOrEqual(knowledge.dimensions.length * 2);
  });

  it('resolves titles and ids in upper case and with surrounding spaces', () => {
    for (const dimension of knowledge.dimensions) {
      expect(describeRequest(parse(`  ${dimension.title.toUpperCase()}  `))).toBe(
        `dimension:${dimension.id}`,
      );
      expect(describeRequest(parse(`\t${dimension.id.toUpperCase()}\n`))).toBe(`dimension:${dimension.id}`);
    }
  });

  it.each([
    ['skill', 'skills'],
    ['skills', 'skills'],
    ['industries', 'industry'],
    ['industry', 'industry'],
    ['competency', 'skills'],
    ['ability', 'skills'],
    ['qualification', 'skills'],
    ['duty', 'responsibilities'],
    ['metric', 'metrics'],
    ['team', 'teams'],
    ['responsibility', 'responsibilities'],
    ['sectors', 'industry'],
    ['kpis', 'metrics'],
  ])('folds plurals and singulars: "%s" → %s', (text, id) => {
    expect(describeRequest(parse(text))).toBe(`dimension:${id}`);
  });

  it.each([
    ['show me the skills please', 'skills'],
    ['what about the industries?', 'industry'],
    ['Compare TEAMS', 'teams'],
    ['  SKILLS  ', 'skills'],
    ['Skill Set', 'skills'],
    ['skill-set', 'skills'],
    ['Skills!!!', 'skills'],
    ['Skílls', 'skills'],
    ['focus and scope', 'focus'],
    ['How To Choose', 'choosing'],
    ['who you work with', 'teams'],
    ['<@U0PERSON001> skills', 'skills'],
  ])('tolerates extra words, punctuation, accents and case: "%s" → %s', (text, id) => {
    expect(describeRequest(parse(text))).toBe(`dimension:${id}`);
  });

  it('returns the dimension object from the knowledge, not a copy', () => {
    const request = parse('skills');
    expect(request.kind === 'dimension' && request.dimension).toBe(knowledge.dimensionsById.get('skills'));
  });
});

describe('parseCompareRequest: text it does not understand', () => {
  it.each([
    ['skils', 'skills'],
    ['skillz', 'skills'],
    ['responsibilites', 'responsibilities'],
    ['industy', 'industry'],
    ['show me the skils please', 'skills'],
    ['  RESPONSIBILITES ', 'responsibilities'],
  ])('suggests the nearest dimension for the typo "%s" (%s)', (text, id) => {
    expect(parse(text)).toEqual({
      kind: 'unknown',
      input: text.trim(),
      suggestion: knowledge.dimensionsById.get(id),
    });
  });

  it.each(['banana', 'xyz', 'asdf qwerty', 'salary', '12345'])('suggests nothing for "%s"', (text) => {
    expect(parse(text)).toEqual({ kind: 'unknown', input: text, suggestion: undefined });
  });

  it.each(['<!channel>', '<!here|here>', '!!!', '...'])(
    'treats "%s" as not understood, keeping the raw input for an escaped echo',
    (text) => {
      expect(parse(text)).toEqual({ kind: 'unknown', input: text });
    },
  );

  it('keeps the trimmed input', () => {
    expect(parse('  banana split \n')).toMatchObject({ kind: 'unknown', input: 'banana split' });
  });

  it('handles a 4000-character input of one word', () => {
    const text = 'a'.repeat(4000);
    expect(parse(text)).toEqual({ kind: 'unknown', input: text, suggestion: undefined });
  });

  it('handles a 4000-character input of many words', () => {
    const words = ['lorem', 'ipsum', 'dolor', 'sit', 'amet', 'consectetur'];
    let text = '';
    for (let index = 0; text.length < 4000; index++) text += `${words[index % words.length]} `;
    text = text.slice(0, 4000);
    const request = parse(text);
    expect(request.kind).toBe('unknown');
    expect(request.kind === 'unknown' && request.input.length).toBeLessThanOrEqual(4000);
  });

  it('still finds a dimension at the end of a 4000-character input', () => {
    const text = `${'please '.repeat(571)}skills`;
    expect(text.length).toBeGreaterThanOrEqual(4000);
    expect(describeRequest(parse(text))).toBe('dimension:skills');
  });
});
