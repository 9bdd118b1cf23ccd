import { existsSync, readdirSync } from 'node:fs';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { type Knowledge, KnowledgeError, type KnowledgeProblem } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';

import { type Files, type Json, toTexts, validFiles } from '../../helpers/knowledge-files.js';
import { waitFor } from '../../helpers/wait.js';

/** Follows a path like ['roles', 0, 'summary'] into the files, for tests that break one item. */
function at(files: Files, file: string, ...keys: (string | number)[]): Json {
  let node: unknown = files[file];
  for (const key of keys) node = (node as Record<string | number, unknown>)[key];
  if (typeof node !== 'object' || node === null) throw new Error(`no object at ${file} ${keys.join('.')}`);
  return node as Json;
}

function problemsOf(run: () => unknown): KnowledgeProblem[] {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).problems;
  }
  throw new Error('expected a KnowledgeError, but the knowledge was accepted');
}

async function problemsOfAsync(run: () => Promise<unknown>): Promise<KnowledgeProblem[]> {
  try {
    await run();
  } catch (error) {
    expect(error).toBeInstanceOf(KnowledgeError);
    return (error as KnowledgeError).problems;
  }
  throw new Error('expected a KnowledgeError, but the knowledge was accepted');
}

/** Builds the files after `breakIt` changes them, and returns the problems found. */
function problemsAfter(breakIt: (files: Files) => void): KnowledgeProblem[] {
  const files = validFiles();
  breakIt(files);
  return problemsOf(() => buildKnowledge(toTexts(files)));
}

describe('buildKnowledge on valid input', () => {
  it('merges the files, keeps file order, and indexes by id', () => {
    const knowledge = buildKnowledge(toTexts(validFiles()));
    expect(knowledge.roles.map((role) => role.id)).toEqual(['role-a', 'role-b']);
    expect(knowledge.dimensions.map((dimension) => dimension.id)).toEqual(['skills', 'teams']);
    expect(knowledge.entries).toHaveLength(2);
    expect(knowledge.factors).toHaveLength(1);
    expect(knowledge.synonyms).toHaveLength(1);
    expect(knowledge.rolesById.get('role-b')?.name).toBe('Role B');
    expect(knowledge.dimensionsById.get('teams')?.title).toBe('Teams');
    expect(knowledge.entriesById.get('entry-two')?.title).toBe('Entry two');
    expect(knowledge.sectionsById.get('skills-section')?.source.id).toBe('guide');
    expect(knowledge.files).toEqual(Object.keys(validFiles()));
  });

  it('fills optional fields with their defaults', () => {
    const knowledge = buildKnowledge(toTexts(validFiles()));
    const entry = knowledge.entriesById.get('entry-two');
    expect(entry).toMatchObject({ keywords: [], roles: [], related: [] });
    expect(entry?.dimension).toBeUndefined();
    expect(knowledge.rolesById.get('role-a')?.aliases).toEqual([]);
    expect(knowledge.dimensionsById.get('skills')?.shared).toEqual([]);
  });

  it('accepts any split of kinds over files, including all in one file with a $comment', () => {
    const merged: Json = { $comment: 'everything in one file' };
    for (const data of Object.values(validFiles())) Object.assign(merged, data);
    const knowledge = buildKnowledge([{ file: 'k/all.json', text: JSON.stringify(merged) }]);
    expect(knowledge.roles).toHaveLength(2);
    expect(knowledge.files).toEqual(['k/all.json']);
  });
});

describe('buildKnowledge problems name the file and the JSON path', () => {
  it('reports invalid JSON', () => {
    const texts = toTexts(validFiles());
    texts.push({ file: 'k/broken.json', text: '{ "roles": [ ' });
    const problems = problemsOf(() => buildKnowledge(texts));
    expect(problems).toEqual([
      { file: 'k/broken.json', path: '$', message: expect.stringContaining('is not valid JSON') },
    ]);
  });

  it('reports a missing required field', () => {
    const problems = problemsAfter((files) => {
      delete at(files, 'k/roles.json', 'roles', 0).summary;
    });
    expect(problems).toEqual([
      { file: 'k/roles.json', path: '$.roles[0].summary', message: expect.stringContaining('is required') },
    ]);
  });

  it('reports a missing nested field with its full path', () => {
    const problems = problemsAfter((files) => {
      delete at(files, 'k/dimensions.json', 'dimensions', 1, 'roles', 'role-b').points;
    });
    expect(problems).toEqual([
      {
        file: 'k/dimensions.json',
        path: '$.dimensions[1].roles.role-b.points',
        message: expect.stringContaining('is required'),
      },
    ]);
  });

  it('reports an unknown field by name', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/roles.json', 'roles', 1).colour = 'blue';
    });
    expect(problems).toEqual([
      { file: 'k/roles.json', path: '$.roles[1]', message: 'unknown field(s) "colour"' },
    ]);
  });

  it('reports an unknown top-level kind', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/synonyms.json').glossary = [];
    });
    expect(problems).toEqual([
      { file: 'k/synonyms.json', path: '$', message: 'unknown field(s) "glossary"' },
    ]);
  });

  it('reports a title longer than the schema allows, but accepts one at the limit', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 1).title = 'x'.repeat(81);
    });
    expect(problems).toEqual([
      { file: 'k/entries.json', path: '$.entries[1].title', message: expect.stringContaining('80') },
    ]);
    const files = validFiles();
    at(files, 'k/entries.json', 'entries', 1).title = 'x'.repeat(80);
    expect(buildKnowledge(toTexts(files)).entriesById.get('entry-two')?.title).toHaveLength(80);
  });

  it('reports a dimension title over 40 characters', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/dimensions.json', 'dimensions', 0).title = 'T'.repeat(41);
    });
    expect(problems).toEqual([
      { file: 'k/dimensions.json', path: '$.dimensions[0].title', message: expect.any(String) },
    ]);
  });

  it('reports a text of only spaces as empty', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/roles.json', 'roles', 0).shortName = '   ';
    });
    expect(problems).toEqual([
      { file: 'k/roles.json', path: '$.roles[0].shortName', message: 'must not be empty' },
    ]);
  });

  it.each(['Role-A', 'role_a', 'role a', '-role', 'role--a', 'rôle'])(
    'reports the non-kebab id "%s"',
    (id) => {
      const problems = problemsAfter((files) => {
        at(files, 'k/roles.json', 'roles', 0).id = id;
      });
      expect(problems).toEqual([
        { file: 'k/roles.json', path: '$.roles[0].id', message: expect.stringContaining('kebab-case') },
      ]);
    },
  );

  it('reports a weight outside -3..3', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/factors.json', 'factors', 0, 'options', 1, 'weights')['role-b'] = 4;
    });
    expect(problems).toEqual([
      {
        file: 'k/factors.json',
        path: '$.factors[0].options[1].weights.role-b',
        message: expect.any(String),
      },
    ]);
  });

  it('reports a duplicate id across two files, pointing at the first use', () => {
    const problems = problemsAfter((files) => {
      files['k/zz-more-roles.json'] = {
        roles: [{ ...at(files, 'k/roles.json', 'roles', 0), name: 'Another A' }],
      };
    });
    expect(problems).toEqual([
      {
        file: 'k/zz-more-roles.json',
        path: '$.roles[0].id',
        message: 'duplicate id "role-a" (first used at k/roles.json $.roles[0].id)',
      },
    ]);
  });

  it('reports a scope defined in two files, and a scope title whose id is already taken', () => {
    const scope = (titleId: string) => ({
      titles: [{ id: titleId, name: 'product owners', terms: ['product owner'] }],
      examples: ['What is entry one?', 'What is entry two?'],
    });
    const problems = problemsAfter((files) => {
      files['k/scope.json'] = { scope: scope('entry-one') };
      files['k/zz-scope.json'] = { scope: scope('title-po') };
    });
    expect(problems).toEqual([
      { file: 'k/zz-scope.json', path: '$.scope', message: 'scope is already defined in k/scope.json' },
      {
        file: 'k/scope.json',
        path: '$.scope.titles[0].id',
        message: 'duplicate id "entry-one" (first used at k/entries.json $.entries[0].id)',
      },
    ]);
  });

  it('needs every entry to state at least two questions it answers', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 0).questions = ['Only one?'];
    });
    expect(problems).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[0].questions',
        message: 'list at least two questions this entry answers',
      },
    ]);
  });

  it('reports a duplicate id across kinds (a synonym group named like a dimension)', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/synonyms.json', 'synonyms', 0).id = 'teams';
    });
    expect(problems).toEqual([
      {
        file: 'k/synonyms.json',
        path: '$.synonyms[0].id',
        message: 'duplicate id "teams" (first used at k/dimensions.json $.dimensions[1].id)',
      },
    ]);
  });

  it('reports a factor option id that repeats a section id', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/factors.json', 'factors', 0, 'options', 0).id = 'intro';
    });
    expect(problems).toEqual([
      {
        file: 'k/factors.json',
        path: '$.factors[0].options[0].id',
        message: expect.stringContaining('duplicate id "intro"'),
      },
    ]);
  });

  it('reports an entry related to an unknown entry', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 0).related = ['entry-two', 'entry-nine'];
    });
    expect(problems).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[0].related[1]',
        message: 'refers to unknown entry "entry-nine"',
      },
    ]);
  });

  it('reports an entry related to itself', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 1).related = ['entry-two'];
    });
    expect(problems).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[1].related[0]',
        message: 'an entry cannot relate to itself',
      },
    ]);
  });

  it('reports an entry naming an unknown source section', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 1).sources = ['intro', 'no-such-section'];
    });
    expect(problems).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[1].sources[1]',
        message: 'refers to unknown source section "no-such-section"',
      },
    ]);
  });

  it('does not accept a source id where a section id is expected', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/roles.json', 'roles', 0).sources = ['guide'];
    });
    expect(problems).toEqual([
      { file: 'k/roles.json', path: '$.roles[0].sources[0]', message: expect.stringContaining('"guide"') },
    ]);
  });

  it('reports an entry naming an unknown role or dimension', () => {
    const problems = problemsAfter((files) => {
      Object.assign(at(files, 'k/entries.json', 'entries', 0), { roles: ['role-z'], dimension: 'salary' });
    });
    expect(problems).toEqual([
      { file: 'k/entries.json', path: '$.entries[0].roles[0]', message: 'refers to unknown role "role-z"' },
      {
        file: 'k/entries.json',
        path: '$.entries[0].dimension',
        message: 'refers to unknown dimension "salary"',
      },
    ]);
  });

  it('reports a factor weight for an unknown role, and the role left without a weight', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/factors.json', 'factors', 0, 'options', 0).weights = { 'role-a': 1, 'role-c': 1 };
    });
    expect(problems).toEqual([
      {
        file: 'k/factors.json',
        path: '$.factors[0].options[0].weights.role-c',
        message: 'refers to unknown role "role-c"',
      },
      {
        file: 'k/factors.json',
        path: '$.factors[0].options[0].weights',
        message: 'has no weight for role "role-b"',
      },
    ]);
  });

  it('reports a factor naming an unknown entry', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/factors.json', 'factors', 0).entries = ['entry-nine'];
    });
    expect(problems).toEqual([
      {
        file: 'k/factors.json',
        path: '$.factors[0].entries[0]',
        message: 'refers to unknown entry "entry-nine"',
      },
    ]);
  });

  it('reports a dimension missing the cell of a role', () => {
    const problems = problemsAfter((files) => {
      delete at(files, 'k/dimensions.json', 'dimensions', 1, 'roles')['role-a'];
    });
    expect(problems).toEqual([
      { file: 'k/dimensions.json', path: '$.dimensions[1].roles', message: 'has no cell for role "role-a"' },
    ]);
  });

  it('reports a dimension cell for an unknown role', () => {
    const problems = problemsAfter((files) => {
      const roles = at(files, 'k/dimensions.json', 'dimensions', 0, 'roles');
      roles['role-c'] = roles['role-a'];
    });
    expect(problems).toEqual([
      {
        file: 'k/dimensions.json',
        path: '$.dimensions[0].roles.role-c',
        message: 'refers to unknown role "role-c"',
      },
    ]);
  });

  it('reports an alias that already names another dimension, whatever its case', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/dimensions.json', 'dimensions', 1).aliases = ['colleagues', ' Abilities '];
    });
    expect(problems).toEqual([
      {
        file: 'k/dimensions.json',
        path: '$.dimensions[1].aliases',
        message: '"Abilities" already names dimension "skills"',
      },
    ]);
  });

  it('reports an alias equal to another dimension id or title', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/dimensions.json', 'dimensions', 1).aliases = ['skills'];
    });
    expect(problems).toEqual([
      {
        file: 'k/dimensions.json',
        path: '$.dimensions[1].aliases',
        message: '"skills" already names dimension "skills"',
      },
    ]);
  });

  it('allows a dimension to repeat its own title as an alias', () => {
    const files = validFiles();
    at(files, 'k/dimensions.json', 'dimensions', 0).aliases = ['skills', 'Skills', 'abilities'];
    expect(buildKnowledge(toTexts(files)).dimensions).toHaveLength(2);
  });

  it('needs at least two roles, one dimension and one source', () => {
    const problems = problemsOf(() =>
      buildKnowledge([{ file: 'k/roles.json', text: JSON.stringify({ roles: [] }) }]),
    );
    expect(problems.map((problem) => `${problem.file} ${problem.path}: ${problem.message}`)).toEqual([
      '(knowledge folder) $: defines no sources',
      '(knowledge folder) $: needs at least two path roles to compare',
      '(knowledge folder) $: defines no dimensions',
    ]);
  });
});

describe('time-sensitive entries', () => {
  const now = new Date('2026-12-01T00:00:00Z');
  const dated = (files: Files, asOf?: string) => {
    const source = at(files, 'k/sources.json', 'sources', 0);
    if (asOf) source.as_of = asOf;
    at(files, 'k/entries.json', 'entries', 1).timeSensitive = true;
  };

  it('must cite sources that carry an as_of date', () => {
    const files = validFiles();
    dated(files);
    expect(problemsOf(() => buildKnowledge(toTexts(files), now))).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[1].sources[0]',
        message: 'is time-sensitive, but source "guide" has no as_of date',
      },
    ]);
  });

  it('are stale, with file and path, when their source is older than 18 months; the store still loads', () => {
    const files = validFiles();
    dated(files, '2025-05-31');
    expect(buildKnowledge(toTexts(files), now).stale).toEqual([
      {
        file: 'k/entries.json',
        path: '$.entries[1].sources[0]',
        message: expect.stringContaining('as of 2025-05-31, more than 18 months ago'),
      },
    ]);
  });

  it('are fresh up to 18 months, and other entries never go stale', () => {
    const files = validFiles();
    dated(files, '2025-06-01');
    expect(buildKnowledge(toTexts(files), now).stale).toEqual([]);
    const undated = validFiles();
    at(undated, 'k/sources.json', 'sources', 0).as_of = '2001-01-01';
    expect(buildKnowledge(toTexts(undated), now).stale).toEqual([]);
  });
});

describe('buildKnowledge reports several problems together', () => {
  it('reports schema problems in several files at once', () => {
    const files = validFiles();
    delete at(files, 'k/roles.json', 'roles', 0).summary;
    at(files, 'k/entries.json', 'entries', 0).title = 'x'.repeat(81);
    at(files, 'k/factors.json', 'factors', 0).mood = 'happy';
    const texts = toTexts(files);
    texts.push({ file: 'k/broken.json', text: 'not json' });
    const problems = problemsOf(() => buildKnowledge(texts));
    expect(problems.map((problem) => `${problem.file} ${problem.path}`).sort()).toEqual(
      [
        'k/broken.json $',
        'k/entries.json $.entries[0].title',
        'k/factors.json $.factors[0]',
        'k/roles.json $.roles[0].summary',
      ].sort(),
    );
  });

  it('reports every reference problem at once', () => {
    const problems = problemsAfter((files) => {
      at(files, 'k/entries.json', 'entries', 0).related = ['entry-nine'];
      at(files, 'k/entries.json', 'entries', 1).sources = ['nowhere'];
      at(files, 'k/entries.json', 'entries', 1).id = 'skills';
      delete at(files, 'k/dimensions.json', 'dimensions', 0, 'roles')['role-b'];
      at(files, 'k/dimensions.json', 'dimensions', 1).aliases = ['abilities'];
      at(files, 'k/factors.json', 'factors', 0, 'options', 1).weights = { 'role-a': 0 };
    });
    expect(problems.map((problem) => `${problem.file} ${problem.path}`).sort()).toEqual(
      [
        'k/entries.json $.entries[1].id',
        'k/dimensions.json $.dimensions[0].roles',
        'k/entries.json $.entries[0].related[0]',
        'k/entries.json $.entries[1].sources[0]',
        'k/dimensions.json $.dimensions[1].aliases',
        'k/factors.json $.factors[0].options[1].weights',
      ].sort(),
    );
  });

  it('puts every problem, with file and path, in the error message', () => {
    const files = validFiles();
    delete at(files, 'k/roles.json', 'roles', 0).summary;
    at(files, 'k/entries.json', 'entries', 0).colour = 'red';
    let message = '';
    try {
      buildKnowledge(toTexts(files));
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toContain('(2 problems)');
    expect(message).toContain('  - k/roles.json $.roles[0].summary: is required');
    expect(message).toContain('  - k/entries.json $.entries[0]: unknown field(s) "colour"');
  });
});

describe('loadKnowledge', () => {
  let scratch: string;

  beforeAll(async () => {
    scratch = await mkdtemp(path.join(os.tmpdir(), 'pm-advisor-knowledge-'));
  });
  afterAll(async () => {
    await rm(scratch, { recursive: true, force: true });
  });

  async function folderWith(name: string, files: Record<string, string>): Promise<string> {
    const directory = path.join(scratch, name);
    await mkdir(directory, { recursive: true });
    for (const [file, text] of Object.entries(files)) await writeFile(path.join(directory, file), text);
    return directory;
  }

  describe('on the project knowledge', () => {
    let knowledge: Knowledge;
    beforeAll(async () => {
      knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    });

    it('has enough roles, dimensions, entries and factors to be useful', () => {
      expect(knowledge.roles.length).toBeGreaterThanOrEqual(2);
      expect(knowledge.dimensions.length).toBeGreaterThanOrEqual(5);
      expect(knowledge.entries.length).toBeGreaterThanOrEqual(40);
      expect(knowledge.factors.length).toBeGreaterThanOrEqual(1);
      expect(knowledge.sources.length).toBeGreaterThanOrEqual(1);
    });

    it('gives every role a cell in every dimension, and every path a weight in every factor option', () => {
      for (const dimension of knowledge.dimensions) {
        expect(Object.keys(dimension.roles).sort()).toEqual(knowledge.roles.map((role) => role.id).sort());
      }
      for (const option of knowledge.factors.flatMap((factor) => factor.options)) {
        expect(Object.keys(option.weights).sort()).toEqual(knowledge.paths.map((role) => role.id).sort());
      }
    });

    it('labels the files by folder and name, read alphabetically', () => {
      expect(knowledge.files.length).toBeGreaterThan(0);
      for (const file of knowledge.files) expect(file).toMatch(/^knowledge\/[^/]+\.json$/);
      expect([...knowledge.files].sort()).toEqual(knowledge.files);
    });

    it('indexes every role, dimension and entry by id', () => {
      expect(knowledge.rolesById.size).toBe(knowledge.roles.length);
      expect(knowledge.dimensionsById.size).toBe(knowledge.dimensions.length);
      expect(knowledge.entriesById.size).toBe(knowledge.entries.length);
    });
  });

  it('loads only the .json files of a folder, alphabetically, labelled by the folder name', async () => {
    const texts = Object.fromEntries(
      Object.entries(validFiles()).map(([file, data]) => [path.basename(file), JSON.stringify(data)]),
    );
    const directory = await folderWith('knowledge-ok', { ...texts, 'README.md': '# not knowledge' });
    const knowledge = await loadKnowledge(directory);
    expect(knowledge.files).toEqual([
      'knowledge-ok/dimensions.json',
      'knowledge-ok/entries.json',
      'knowledge-ok/factors.json',
      'knowledge-ok/roles.json',
      'knowledge-ok/sources.json',
      'knowledge-ok/synonyms.json',
    ]);
  });

  it('names the file and path of a problem in a folder', async () => {
    const files = validFiles();
    delete at(files, 'k/roles.json', 'roles', 0).summary;
    const texts = Object.fromEntries(
      Object.entries(files).map(([file, data]) => [path.basename(file), JSON.stringify(data)]),
    );
    const directory = await folderWith('knowledge-broken', { ...texts, 'extra.json': '{ oops' });
    const problems = await problemsOfAsync(() => loadKnowledge(directory));
    expect(problems).toEqual([
      {
        file: 'knowledge-broken/extra.json',
        path: '$',
        message: expect.stringContaining('is not valid JSON'),
      },
      {
        file: 'knowledge-broken/roles.json',
        path: '$.roles[0].summary',
        message: expect.stringContaining('is required'),
      },
    ]);
  });

  describe('with a cache of what passed the schema check', () => {
    /** The checks kept in a cache folder (none while it does not exist). */
    const keptIn = (cache: string) =>
      existsSync(cache) ? readdirSync(cache).filter((name) => name.endsWith('.json')) : [];
    const textsOf = (files: Files) =>
      Object.fromEntries(
        Object.entries(files).map(([file, data]) => [path.basename(file), JSON.stringify(data)]),
      );

    it('gives the same store as a full check, from the second load on without checking again', async () => {
      const directory = path.join(projectRoot, 'knowledge');
      const cache = path.join(scratch, 'cache-project');
      const checked = await loadKnowledge(directory);
      expect(await loadKnowledge(directory, { checkedCache: cache })).toEqual(checked);
      await waitFor(() => keptIn(cache).length === 1);
      expect(await loadKnowledge(directory, { checkedCache: cache })).toEqual(checked);
    });

    it('uses what it kept only for exactly the same files: a change is checked again, problems and all', async () => {
      const files = validFiles();
      const directory = await folderWith('knowledge-cached', textsOf(files));
      const cache = path.join(scratch, 'cache-small');
      await loadKnowledge(directory, { checkedCache: cache });
      await waitFor(() => keptIn(cache).length === 1);
      // What was kept is what the next load with the same files uses (so it is kept where only the app writes).
      const [name = ''] = keptIn(cache);
      const kept = JSON.parse(await readFile(path.join(cache, name), 'utf8')) as {
        file: string;
        data: Files[string];
      }[];
      const roles = kept.find((entry) => entry.file === 'knowledge-cached/roles.json')?.data.roles as Json[];
      (roles[0] as Json).summary = 'As kept.';
      await writeFile(path.join(cache, name), JSON.stringify(kept));
      expect((await loadKnowledge(directory, { checkedCache: cache })).roles[0]?.summary).toBe('As kept.');

      delete at(files, 'k/roles.json', 'roles', 0).summary;
      await writeFile(path.join(directory, 'roles.json'), JSON.stringify(files['k/roles.json']));
      const problems = await problemsOfAsync(() => loadKnowledge(directory, { checkedCache: cache }));
      expect(problems).toEqual([
        { file: 'knowledge-cached/roles.json', path: '$.roles[0].summary', message: expect.any(String) },
      ]);
      expect(keptIn(cache)).toEqual([name]);

      at(files, 'k/roles.json', 'roles', 0).summary = 'Does new things.';
      await writeFile(path.join(directory, 'roles.json'), JSON.stringify(files['k/roles.json']));
      expect((await loadKnowledge(directory, { checkedCache: cache })).roles[0]?.summary).toBe(
        'Does new things.',
      );
      // The check of the new files replaces the old one.
      await waitFor(() => {
        const names = keptIn(cache);
        return names.length === 1 && names[0] !== name;
      });
    });

    it('checks again when what it kept is unreadable, and when the cache folder cannot be written', async () => {
      const directory = await folderWith('knowledge-damaged', textsOf(validFiles()));
      const cache = path.join(scratch, 'cache-damaged');
      const checked = await loadKnowledge(directory);
      await loadKnowledge(directory, { checkedCache: cache });
      await waitFor(() => keptIn(cache).length === 1);
      const [name = ''] = keptIn(cache);
      await writeFile(path.join(cache, name), '[{"file":');
      expect(await loadKnowledge(directory, { checkedCache: cache })).toEqual(checked);
      // A file where the folder should be: nothing can be kept, and the store still loads.
      const blocked = path.join(scratch, 'cache-blocked');
      await writeFile(blocked, 'not a folder');
      expect(await loadKnowledge(directory, { checkedCache: blocked })).toEqual(checked);
    });
  });

  it('reports an empty folder', async () => {
    const directory = await folderWith('knowledge-empty', { 'notes.txt': 'nothing here' });
    const problems = await problemsOfAsync(() => loadKnowledge(directory));
    expect(problems).toEqual([{ file: directory, path: '$', message: 'contains no .json knowledge files' }]);
  });

  it('reports a missing folder', async () => {
    const directory = path.join(scratch, 'does-not-exist');
    const problems = await problemsOfAsync(() => loadKnowledge(directory));
    expect(problems).toEqual([
      { file: directory, path: '$', message: 'cannot read the knowledge folder (ENOENT)' },
    ]);
  });
});
