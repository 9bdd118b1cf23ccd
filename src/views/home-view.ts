import type { HomeView } from '@slack/types';
import { defaultPair } from '../advisor/compare-request.js';
import type { Knowledge } from '../knowledge/knowledge.js';
import { divider, header, section } from './block-kit.js';
import {
  buildDimensionRows,
  buildRoleSummaries,
  compareSourceLine,
  compareUsageLines,
} from './compare-view.js';
import { cachedView } from './view-cache.js';

/** Slack allows 100 blocks in a Home tab. */
export const HOME_TAB_BLOCK_LIMIT = 100;

/** The Home tab: what the app is for, the comparison at a glance, and how to use it. */
export function buildHomeView(knowledge: Knowledge): HomeView {
  return cachedView(knowledge, 'home', () => homeView(knowledge));
}

function homeView(knowledge: Knowledge): HomeView {
  const roles = knowledge.paths.map((role) => role.name).join(' or ');
  const intro = [
    header('pm-advisor'),
    section(`Not sure whether ${roles} suits you? Here they are side by side.`),
    buildRoleSummaries(defaultPair(knowledge)),
    divider(),
  ];
  const usage = [
    divider(),
    section(`*How to use me*\n${compareUsageLines(knowledge).join('\n')}`),
    compareSourceLine(knowledge),
  ];
  const room = HOME_TAB_BLOCK_LIMIT - intro.length - usage.length;
  return {
    type: 'home',
    blocks: [...intro, ...buildDimensionRows(knowledge, knowledge.dimensions.slice(0, room)), ...usage],
  };
}
