import path from 'node:path';
import { beforeAll, describe, expect, it } from '@jest/globals';
import { defaultPair } from '../../../src/advisor/compare-request.js';
import type { Knowledge } from '../../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../../src/knowledge/loader.js';
import { projectRoot } from '../../../src/paths.js';
import {
  buildCompareHelpView,
  buildCompareOverviewView,
  buildDimensionView,
} from '../../../src/views/compare-view.js';
import { cachedView } from '../../../src/views/view-cache.js';

describe('views built from the knowledge alone', () => {
  let knowledge: Knowledge;
  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  });

  it('are built once per knowledge and key, and frozen all the way down', () => {
    let builds = 0;
    const build = () => {
      builds++;
      return { text: 'hi', blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'hi' } }] };
    };
    const first = cachedView(knowledge, 'test view', build);
    expect(cachedView(knowledge, 'test view', build)).toBe(first);
    expect(builds).toBe(1);
    expect(Object.isFrozen(first.blocks[0]?.text)).toBe(true);
    expect(() => first.blocks.push({ type: 'section', text: { type: 'mrkdwn', text: 'x' } })).toThrow();
    // Another knowledge (a reload, a test's own) has views of its own.
    cachedView({ ...knowledge }, 'test view', build);
    expect(builds).toBe(2);
  });

  it('give the same overview, topic and help to everyone, and a shared one names its sharer', () => {
    const [dimension] = knowledge.dimensions;
    if (!dimension) throw new Error('no dimension');
    expect(buildCompareOverviewView(knowledge)).toBe(buildCompareOverviewView(knowledge));
    expect(buildDimensionView(knowledge, dimension)).toBe(buildDimensionView(knowledge, dimension));
    expect(buildCompareHelpView(knowledge)).toBe(buildCompareHelpView(knowledge));
    // The default pair named or not: the same comparison.
    expect(buildCompareOverviewView(knowledge, { roles: defaultPair(knowledge) })).toEqual(
      buildCompareOverviewView(knowledge),
    );
    const shared = buildCompareOverviewView(knowledge, { sharedBy: 'U0SHARER01' });
    expect(JSON.stringify(shared)).toContain('<@U0SHARER01>');
    expect(JSON.stringify(buildCompareOverviewView(knowledge, { sharedBy: 'U0OTHER001' }))).toContain(
      '<@U0OTHER001>',
    );
    expect(JSON.stringify(buildCompareOverviewView(knowledge))).not.toContain('Shared by');
  });
});
