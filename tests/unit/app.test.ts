import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { LogLevel } from '@slack/bolt';
import { createApp } from '../../src/app.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectRoot } from '../../src/paths.js';
import { openDataStores } from '../../src/store/data-stores.js';
import { testConfig } from '../helpers/slack.js';

let knowledge: Knowledge;
let folder: string;

beforeAll(async () => {
  knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  folder = await mkdtemp(path.join(tmpdir(), 'pm-advisor-app-'));
});
afterAll(() => rm(folder, { recursive: true, force: true }));

describe('createApp', () => {
  it.each([LogLevel.WARN, LogLevel.ERROR])(
    'keeps LOG_LEVEL=%s on its logger (Bolt would reset it to info)',
    async (level) => {
      const stores = await openDataStores(path.join(folder, `${level}.json`), console);
      const advisor = createApp(testConfig({ logLevel: level }), { knowledge, ...stores });
      expect(advisor.logger.getLevel()).toBe(level);
      expect(advisor.app.logger.getLevel()).toBe(level);
    },
  );
});
