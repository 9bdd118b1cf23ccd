import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SlackApiStandIn } from '../../src/local/slack-api-stand-in.js';
import { projectRoot } from '../../src/paths.js';
import { runBuiltApp } from '../helpers/process.js';
import { SIGNING_SECRET, TEST_WORKSPACE } from '../helpers/slack.js';

describe('npm start (the built app as a process)', () => {
  let cwd: string;
  beforeAll(async () => {
    cwd = await mkdtemp(path.join(tmpdir(), 'pm-advisor-start-'));
  });

  it('with no Slack settings at all, opens the local chat, and exits 0 at the end of input', async () => {
    const run = runBuiltApp({ DATA_FILE: path.join(cwd, 'local.json') }, cwd);
    await run.waitForOutput(/local mode.*\/help.*Connect a Slack workspace/);
    run.child.stdin.end();
    expect((await run.exited).code).toBe(0);
    expect(run.output()).not.toMatch(/is missing|\n\s+at /);
  });

  it('with partial credentials (a bot token only), exits 1 naming what is missing and where to find it, without a stack trace', async () => {
    const run = runBuiltApp({ SLACK_BOT_TOKEN: 'xoxb-1', DATA_FILE: path.join(cwd, 'unused.json') }, cwd);
    const { code } = await run.exited;
    expect(code).toBe(1);
    const output = run.output();
    expect(output).toContain('SLACK_SIGNING_SECRET is missing');
    expect(output).toContain('Basic Information → App Credentials');
    expect(output).toContain('SLACK_APP_TOKEN');
    expect(output).toContain('SLACK_MODE=local');
    expect(output).not.toContain('local mode');
    expect(output).not.toMatch(/\n\s+at /);
  });

  it('with an app token only, exits 1 naming the missing bot token', async () => {
    const run = runBuiltApp(
      { SLACK_APP_TOKEN: 'xapp-1-A0APP00001-1-abc', DATA_FILE: path.join(cwd, 'unused.json') },
      cwd,
    );
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toContain('SLACK_BOT_TOKEN is missing');
    expect(run.output()).toContain('OAuth & Permissions');
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  it('exits 1 naming the file and JSON path when a knowledge file is broken', async () => {
    const knowledgeDir = await mkdtemp(path.join(tmpdir(), 'pm-advisor-knowledge-'));
    for (const name of await readdir(path.join(projectRoot, 'knowledge'))) {
      await writeFile(
        path.join(knowledgeDir, name),
        await readFile(path.join(projectRoot, 'knowledge', name)),
      );
    }
    const roles = JSON.parse(await readFile(path.join(knowledgeDir, 'roles.json'), 'utf8'));
    delete roles.roles[1].summary;
    await writeFile(path.join(knowledgeDir, 'roles.json'), JSON.stringify(roles));
    const run = runBuiltApp(
      { SLACK_BOT_TOKEN: 'xoxb-1', SLACK_SIGNING_SECRET: SIGNING_SECRET, KNOWLEDGE_DIR: knowledgeDir },
      cwd,
    );
    expect((await run.exited).code).toBe(1);
    expect(run.output()).toMatch(/roles\.json \$\.roles\[1\]\.summary: is required/);
    expect(run.output()).not.toMatch(/\n\s+at /);
  });

  describe('against a local Slack API stand-in', () => {
    let standIn: SlackApiStandIn;
    const calls: string[] = [];
    beforeAll(async () => {
      standIn = await SlackApiStandIn.start(TEST_WORKSPACE);
      standIn.api.onCall((method) => calls.push(method));
    });
    afterAll(() => standIn.close());

    it('runs in HTTP mode, answers /healthz, and stops gracefully with exit 0 on SIGTERM', async () => {
      const run = runBuiltApp(
        {
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: standIn.apiUrl,
          PORT: '0',
          LOG_LEVEL: 'info',
        },
        cwd,
      );
      const [, port] = await run.waitForOutput(/listening in HTTP mode on port (\d+)/);
      expect(calls).toContain('auth.test');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    });

    it('exits 1 with a clear message when Slack rejects the token', async () => {
      standIn.api.failNext('auth.test', 'invalid_auth');
      const run = runBuiltApp(
        {
          SLACK_BOT_TOKEN: 'xoxb-revoked',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: standIn.apiUrl,
          SLACK_API_RETRIES: '0',
          PORT: '0',
        },
        cwd,
      );
      expect((await run.exited).code).toBe(1);
      expect(run.output()).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
      expect(run.output()).not.toMatch(/\n\s+at /);
    });
  });
});
