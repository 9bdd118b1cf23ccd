import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { KnownBlock, SectionBlock } from '@slack/types';
import { parseCompareRequest } from '../../../src/advisor/compare-request.js';
import type { Dimension, Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import { findBlockKitProblems } from '../../../src/views/block-kit.js';
import {
  buildCompareHelpView,
  buildCompareOverviewView,
  buildDimensionView,
} from '../../../src/views/compare-view.js';
import { buildHomeView } from '../../../src/views/home-view.js';

/** Adding a role and a dimension is a JSON edit only: this folder is the project knowledge plus both. */
const FIXTURE_DIR = path.join(projectRoot, 'tests', 'fixtures', 'knowledge-extra-role');

let real: Knowledge;
let extra: Knowledge;
let tools: Dimension;

beforeAll(async () => {
  real = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  extra = await loadKnowledge(FIXTURE_DIR);
  const found = extra.dimensionsById.get('tools');
  if (!found) throw new Error('the fixture has no "tools" dimension');
  tools = found;
});

const sectionById = (blocks: readonly KnownBlock[], blockId: string): SectionBlock | undefined =>
  blocks.find((block): block is SectionBlock => block.type === 'section' && block.block_id === blockId);

const fieldTexts = (block: SectionBlock | undefined) => (block?.fields ?? []).map((field) => field.text);

describe('a knowledge folder with a third role and an extra dimension', () => {
  it('loads, with the role and the dimension last, in file order', () => {
    expect(extra.roles.map((role) => role.id)).toEqual(['it-pm', 'general-pm', 'data-pm']);
    expect(extra.dimensions.length).toBeGreaterThanOrEqual(6);
    expect(extra.dimensions.at(-1)?.id).toBe('tools');
    expect(extra.rolesById.get('data-pm')).toMatchObject({
      name: 'Data Product Management',
      shortName: 'Data PM',
    });
    expect(tools).toMatchObject({ title: 'Tools', aliases: ['tooling', 'software tools'] });
  });

  it('is not what the project ships: the role and dimension come from the fixture alone', () => {
    expect(real.rolesById.has('data-pm')).toBe(false);
    expect(real.dimensionsById.has('tools')).toBe(false);
  });

  it('overview: a Data PM column in every dimension row, and a Tools row', () => {
    const { blocks, text } = buildCompareOverviewView(extra);
    expect(text).toContain('Data Product Management');
    for (const dimension of extra.dimensions) {
      const row = sectionById(blocks, `dimension-${dimension.id}`);
      expect(row).toBeDefined();
      const columns = fieldTexts(row);
      expect(columns).toHaveLength(3);
      expect(columns[2]).toBe(`*Data PM*\n${dimension.roles['data-pm']?.summary}`);
    }
    const toolsRow = sectionById(blocks, 'dimension-tools');
    expect(toolsRow?.text?.text).toBe('*Tools*');
    expect(fieldTexts(toolsRow).map((column) => column.split('\n')[0])).toEqual([
      '*IT PM*',
      '*General PM*',
      '*Data PM*',
    ]);
  });

  it('overview: the three roles are summarised and Tools has a button', () => {
    const { blocks } = buildCompareOverviewView(extra);
    const summaries = blocks.find(
      (block): block is SectionBlock =>
        block.type === 'section' && (block.fields?.length ?? 0) > 0 && !block.block_id,
    );
    expect(fieldTexts(summaries).map((field) => field.split('\n')[0])).toEqual(
      extra.roles.map((role) => `*${role.name}*`),
    );
    expect(JSON.stringify(blocks)).toContain('"action_id":"compare_dimension:tools"');
  });

  it.each(['tooling', 'Tools', 'tool', 'software tools', 'show me the tooling please', '  TOOLS '])(
    '`/pm-compare %s` resolves to the tools dimension',
    (text) => {
      expect(parseCompareRequest(text, extra)).toEqual({ kind: 'dimension', dimension: tools });
    },
  );

  it('`/pm-compare tooling` is not understood without the fixture', () => {
    expect(parseCompareRequest('tooling', real).kind).toBe('unknown');
  });

  it('the tools dimension view shows all three roles', () => {
    const { blocks } = buildDimensionView(extra, tools);
    expect(JSON.stringify(blocks[0])).toContain('Tools: IT PM vs General PM vs Data PM');
    for (const role of extra.roles) {
      const text = sectionById(blocks, `role-${role.id}`)?.text?.text ?? '';
      expect(text).toContain(`*${role.name}*`);
      expect(text).toContain(tools.roles[role.id]?.summary);
      expect(text).toContain(`• ${tools.roles[role.id]?.points[0]}`);
    }
  });

  it('every dimension view shows all three roles', () => {
    for (const dimension of extra.dimensions) {
      const { blocks } = buildDimensionView(extra, dimension);
      const roleBlocks = blocks.filter(
        (block) => block.type === 'section' && block.block_id?.startsWith('role-'),
      );
      expect(roleBlocks.map((block) => block.block_id)).toEqual([
        'role-it-pm',
        'role-general-pm',
        'role-data-pm',
      ]);
    }
  });

  it('the help view lists `tools` with its aliases', () => {
    const message = buildCompareHelpView(extra);
    const blocksText = JSON.stringify(message.blocks);
    expect(blocksText).toContain(`• \`tools\` — ${tools.description} (also \`tooling\`, \`software tools\`)`);
    expect(message.text).toContain('tools');
  });

  it('the Home tab has a Data PM column and a Tools row', () => {
    const blocks = buildHomeView(extra).blocks as KnownBlock[];
    expect(fieldTexts(sectionById(blocks, 'dimension-tools'))).toHaveLength(3);
    expect(fieldTexts(sectionById(blocks, 'dimension-skills'))[2]).toContain('*Data PM*');
  });

  it('every view stays within Block Kit limits', () => {
    const messages = [
      buildCompareOverviewView(extra),
      buildCompareOverviewView(extra, { sharedBy: 'U0PERSON001' }),
      buildCompareHelpView(extra),
      ...extra.dimensions.map((dimension) => buildDimensionView(extra, dimension)),
    ];
    for (const message of messages) expect(findBlockKitProblems(message)).toEqual([]);
  });
});
