import { readdir, readFile } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { KnownBlock, SectionBlock } from '@slack/types';
import { parseCompareRequest } from '../../../src/advisor/compare-request.js';
import type { Dimension, Knowledge } from '../../../src/knowledge/knowledge.js';
import { buildKnowledge, type KnowledgeFileText, loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import { findBlockKitProblems } from '../../../src/views/block-kit.js';
import {
  buildCompareHelpView,
  buildCompareOverviewView,
  buildDimensionView,
} from '../../../src/views/compare-view.js';

/**
 * Adding a role and a dimension is a JSON edit only: the project knowledge plus one file with a nearby role
 * (cells in two dimensions) and a dimension for the two paths and that role.
 */
const cell = (summary: string) => ({ summary, points: [`${summary}, in detail.`] });
const EXTRA = {
  sources: [
    { id: 'extra-guide', title: 'A data PM guide', sections: [{ id: 'extra-guide-data', title: 'Data' }] },
  ],
  roles: [
    {
      id: 'data-pm',
      name: 'Data Product Management',
      person: 'Data Product Manager',
      shortName: 'Data PM',
      path: false,
      aliases: ['data pm', 'data product manager'],
      summary: 'Builds data products and platforms.',
      skillsToBuild: ['SQL.', 'Data modelling.'],
      nextSteps: ['Talk to a data PM.', 'Ship a dashboard.'],
      sources: ['extra-guide-data'],
    },
  ],
  dimensions: [
    {
      id: 'tools',
      title: 'Tools',
      aliases: ['tooling', 'software tools'],
      description: 'The tools each role uses day to day.',
      roles: {
        'it-pm': cell('IT PM tools'),
        'general-pm': cell('General PM tools'),
        'data-pm': { ...cell('Data PM tools'), sources: ['extra-guide-data'] },
      },
      sources: ['extra-guide-data'],
    },
  ],
};

let real: Knowledge;
let extra: Knowledge;
let tools: Dimension;

beforeAll(async () => {
  const folder = path.join(projectRoot, 'knowledge');
  real = await loadKnowledge(folder);
  const names = (await readdir(folder)).filter((name) => name.endsWith('.json')).sort();
  const files: KnowledgeFileText[] = await Promise.all(
    names.map(async (name) => ({
      file: `knowledge/${name}`,
      text: await readFile(path.join(folder, name), 'utf8'),
    })),
  );
  // The skills dimension gets a Data PM cell too.
  const dimensions = files.find((file) => file.file === 'knowledge/dimensions.json');
  if (!dimensions) throw new Error('no dimensions.json');
  const parsed = JSON.parse(dimensions.text) as {
    dimensions: { id: string; roles: Record<string, unknown> }[];
  };
  const skills = parsed.dimensions.find((dimension) => dimension.id === 'skills');
  if (skills) skills.roles['data-pm'] = cell('Data PM skills');
  dimensions.text = JSON.stringify(parsed);
  extra = buildKnowledge([...files, { file: 'knowledge/zz-extra.json', text: JSON.stringify(EXTRA) }]);
  const found = extra.dimensionsById.get('tools');
  if (!found) throw new Error('no "tools" dimension');
  tools = found;
});

const sectionById = (blocks: readonly KnownBlock[], blockId: string): SectionBlock | undefined =>
  blocks.find((block): block is SectionBlock => block.type === 'section' && block.block_id === blockId);

const fieldTexts = (block: SectionBlock | undefined) => (block?.fields ?? []).map((field) => field.text);

describe('a knowledge file with a nearby role and an extra dimension', () => {
  it('loads: the role after the paths, the dimension last; the paths stay the questionnaire’s', () => {
    expect(extra.roles.at(-1)?.id).toBe('data-pm');
    expect(extra.paths.map((role) => role.id)).toEqual(real.paths.map((role) => role.id));
    expect(extra.dimensions.at(-1)?.id).toBe('tools');
    expect(real.rolesById.has('data-pm')).toBe(false);
  });

  it('`/pm-compare data pm` sets it against general PM, on the dimensions where it has cells', () => {
    const request = parseCompareRequest('data pm', extra);
    expect(request.kind).toBe('overview');
    if (request.kind !== 'overview') return;
    expect(request.roles.map((role) => role.id)).toEqual(['data-pm', 'general-pm']);
    const { blocks, text } = buildCompareOverviewView(extra, { roles: request.roles });
    expect(text).toContain('Data Product Management vs');
    const rows = blocks.filter(
      (block) => block.type === 'section' && block.block_id?.startsWith('dimension-'),
    );
    expect(rows.map((row) => (row as SectionBlock).block_id)).toEqual([
      'dimension-skills',
      'dimension-tools',
    ]);
    expect(fieldTexts(sectionById(blocks, 'dimension-tools'))[0]).toBe('*Data PM*\nData PM tools');
    expect(JSON.stringify(blocks)).toContain('"value":"tools|data-pm|general-pm"');
    expect(JSON.stringify(blocks)).toContain('A data PM guide');
  });

  it.each(['tooling', 'Tools', 'tool', 'software tools', 'show me the tooling please', '  TOOLS '])(
    '`/pm-compare %s` resolves to the tools dimension for the two paths',
    (text) => {
      const request = parseCompareRequest(text, extra);
      expect(request).toMatchObject({ kind: 'dimension', dimension: tools });
      if (request.kind === 'dimension') expect(request.roles).toEqual(extra.paths.slice(0, 2));
    },
  );

  it('`/pm-compare tooling` is not understood without the file', () => {
    expect(parseCompareRequest('tooling', real).kind).toBe('unknown');
  });

  it('the tools dimension view of data PM vs IT PM shows both, with their points', () => {
    const request = parseCompareRequest('data pm vs it pm tools', extra);
    if (request.kind !== 'dimension') throw new Error(`got ${request.kind}`);
    const { blocks } = buildDimensionView(extra, tools, { roles: request.roles });
    expect(JSON.stringify(blocks[0])).toContain('Tools: Data PM vs IT PM');
    for (const role of request.roles) {
      const text = sectionById(blocks, `role-${role.id}`)?.text?.text ?? '';
      expect(text).toContain(`*${role.name}*`);
      expect(text).toContain(`• ${tools.roles[role.id]?.points[0]}`);
    }
  });

  it('the help view lists the role with its aliases and `tools` with its aliases', () => {
    const blocksText = JSON.stringify(buildCompareHelpView(extra).blocks);
    expect(blocksText).toContain('• *Data Product Management* — `data pm`, `data product manager`');
    expect(blocksText).toContain(`• \`tools\` — ${tools.description} (also \`tooling\`, \`software tools\`)`);
  });

  it('every view stays within Block Kit limits', () => {
    const pairs = extra.roles.flatMap((first) =>
      extra.roles.filter((second) => second !== first).map((second) => [first, second] as const),
    );
    const messages = [
      buildCompareHelpView(extra),
      ...pairs.flatMap((roles) => [
        buildCompareOverviewView(extra, { roles }),
        buildCompareOverviewView(extra, { roles, sharedBy: 'U0PERSON001' }),
        ...extra.dimensions.map((dimension) => buildDimensionView(extra, dimension, { roles })),
      ]),
    ];
    for (const message of messages) expect(findBlockKitProblems(message)).toEqual([]);
  });
});
