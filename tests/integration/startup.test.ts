import { mkdtemp, readdir, readFile, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { projectRoot } from '../../src/paths.js';
import { runBuiltApp } from '../helpers/process.js';
import { SIGNING_SECRET } from '../helpers/slack.js';

/** A stand-in for the Slack Web API on loopback, reached through SLACK_API_URL. */
function startSlackApiStandIn(): Promise<{ server: Server; url: string; calls: string[] }> {
  const calls: string[] = [];
  const server = createServer((req, res) => {
    calls.push(req.url ?? '');
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        req.url === '/api/auth.test'
          ? JSON.stringify({ ok: true, team_id: 'T0TEST0001', user_id: 'U0BOT00001', bot_id: 'B0BOT00001' })
          : JSON.stringify({ ok: false, error: 'unknown_method' }),
      );
    });
  });
  return new Promise((resolve) =>
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ server, url: `http://127.0.0.1:${port}/api/`, calls });
    }),
  );
}

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
    let standIn: Awaited<ReturnType<typeof startSlackApiStandIn>>;
    beforeAll(async () => {
      standIn = await startSlackApiStandIn();
    });
    afterAll(() => new Promise<void>((resolve) => standIn.server.close(() => resolve())));

    it('runs in HTTP mode, answers /healthz, and stops gracefully with exit 0 on SIGTERM', async () => {
      const run = runBuiltApp(
        {
          SLACK_BOT_TOKEN: 'xoxb-1',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: standIn.url,
          PORT: '0',
          LOG_LEVEL: 'info',
        },
        cwd,
      );
      const [, port] = await run.waitForOutput(/listening in HTTP mode on port (\d+)/);
      expect(standIn.calls).toContain('/api/auth.test');
      const health = await fetch(`http://127.0.0.1:${port}/healthz`);
      expect(health.status).toBe(200);
      expect(((await health.json()) as { status: string }).status).toBe('ok');
      run.child.kill('SIGTERM');
      expect((await run.exited).code).toBe(0);
    });

    it('exits 1 with a clear message when Slack rejects the token', async () => {
      const rejecting = createServer((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ ok: false, error: 'invalid_auth' }));
      });
      await new Promise<void>((resolve) => rejecting.listen(0, '127.0.0.1', () => resolve()));
      const { port } = rejecting.address() as AddressInfo;
      const run = runBuiltApp(
        {
          SLACK_BOT_TOKEN: 'xoxb-revoked',
          SLACK_SIGNING_SECRET: SIGNING_SECRET,
          SLACK_API_URL: `http://127.0.0.1:${port}/api/`,
          SLACK_API_RETRIES: '0',
          PORT: '0',
        },
        cwd,
      );
      expect((await run.exited).code).toBe(1);
      rejecting.close();
      expect(run.output()).toContain('Slack rejected SLACK_BOT_TOKEN (invalid_auth)');
      expect(run.output()).not.toMatch(/\n\s+at /);
    });
  });
});
