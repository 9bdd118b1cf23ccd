import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import type { Role } from '../../src/knowledge/knowledge.js';
import { decodeSlackBody } from '../../src/local/slack-web-api.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_SHARE_ACTION,
  OVERVIEW_VALUE,
  QUESTIONNAIRE_START_ACTION,
} from '../../src/slack-ids.js';
import { signSlackRequest } from '../../src/slack-request.js';
import { findBlockKitProblems, type SlackMessage } from '../../src/views/block-kit.js';
import {
  appHomeOpened,
  buttonClick,
  captureResponseUrl,
  eventCallback,
  PUBLIC_MESSAGE,
  RESPONSE_URL_HOST,
  SIGNING_SECRET,
  SLACK_API,
  shareOneApp,
  TEST_WORKSPACE,
} from '../helpers/slack.js';
import { waitFor } from '../helpers/wait.js';

type CommandReply = SlackMessage & { response_type: string };
type Block = Record<string, unknown> & { type: string };

function allText(message: { text: string; blocks: unknown[] }): string {
  return JSON.stringify(message.blocks) + message.text;
}

describe('/pm-compare over HTTP', () => {
  const slack = shareOneApp();

  it('answers in JSON that Slack reads as a message, the same text for everyone', async () => {
    const first = await slack.command('');
    const second = await slack.command('', { user_id: 'U0OTHER0001' });
    expect([first.status, first.contentType]).toEqual([200, 'application/json']);
    expect(second.contentType).toBe('application/json');
    expect(second.text).toBe(first.text);
    expect(Object.keys(first.json())).toEqual(['response_type', 'text', 'blocks']);
    // Written in ASCII (what is past it escaped): the same JSON, its "·" as it is.
    expect(first.text).toMatch(/^[\x20-\x7e]*$/);
    expect(JSON.stringify(first.json().blocks)).toContain('·');
    // A request the app cannot parse into a comparison still gets an ephemeral JSON message.
    const unknown = await slack.command('zzzz qqqq');
    expect([unknown.contentType, unknown.json<CommandReply>().response_type]).toEqual([
      'application/json',
      'ephemeral',
    ]);
  });

  it('answers with both roles side by side, ephemeral, with share and per-dimension buttons', async () => {
    const response = await slack.command('');
    expect(response.status).toBe(200);
    const reply = response.json<CommandReply>();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toContain('IT Product Management vs Product Management');
    const blocks = reply.blocks as Block[];
    expect(blocks[0]).toMatchObject({ type: 'header' });
    const rows = blocks.filter((block) => String(block.block_id ?? '').startsWith('dimension-'));
    expect(rows).toHaveLength(slack.knowledge.dimensions.length);
    for (const row of rows) expect((row.fields as unknown[]).length).toBe(2);
    const buttons = blocks
      .filter((b) => b.type === 'actions')
      .flatMap((b) => b.elements as { action_id: string }[]);
    expect(buttons.map((b) => b.action_id)).toEqual([
      COMPARE_SHARE_ACTION,
      QUESTIONNAIRE_START_ACTION,
      ...slack.knowledge.dimensions.map((d) => COMPARE_DIMENSION_ACTION.with(d.id)),
    ]);
    const contextBlock = blocks.at(-1) as { type: string; elements: { text: string }[] };
    expect(contextBlock.type).toBe('context');
    const article = slack.knowledge.sources.find((source) => source.id === 'article');
    expect(contextBlock.elements[0]?.text).toContain(article?.title);
  });

  it.each([
    ['skills', 'skills'],
    ['  SKILLS  ', 'skills'],
    ['show me the skill set please', 'skills'],
    ['Responsibilities', 'responsibilities'],
    ['kpis', 'metrics'],
    ['industries', 'industry'],
    ['how to choose', 'choosing'],
  ])('"%s" shows the %s dimension in depth for both roles', async (text, dimensionId) => {
    const reply = (await slack.command(text)).json<CommandReply>();
    const dimension = slack.knowledge.dimensionsById.get(dimensionId);
    expect(dimension).toBeDefined();
    expect((reply.blocks[0] as Block & { text: { text: string } }).text.text).toContain(dimension?.title);
    for (const role of slack.knowledge.paths.slice(0, 2)) {
      expect(allText(reply)).toContain(dimension?.roles[role.id]?.points[0]?.slice(0, 40));
    }
  });

  it('help lists every dimension from the knowledge store', async () => {
    const reply = (await slack.command('help')).json<CommandReply>();
    for (const dimension of slack.knowledge.dimensions)
      expect(allText(reply)).toContain(`\`${dimension.id}\``);
  });

  it('suggests the nearest dimension for a typo and does not pretend to understand', async () => {
    const reply = (await slack.command('skils')).json<CommandReply>();
    expect(reply.text).toContain("didn't understand");
    expect(reply.text).toContain('Did you mean *Skills*?');
  });

  it('escapes user text so <!channel> can never ping anyone', async () => {
    const reply = (await slack.command('<!channel> & <@U123> banana')).json<CommandReply>();
    const text = allText(reply);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain('<@U123>');
    expect(text).toContain('&lt;!channel&gt; &amp; &lt;@U123&gt;');
  });

  it('survives a huge argument with a short, bounded reply', async () => {
    const reply = (await slack.command('x'.repeat(3900))).json<CommandReply>();
    expect(reply.text.length).toBeLessThan(500);
  });

  it('rejects a bad signature and a stale timestamp with 401', async () => {
    const body = new URLSearchParams({ command: '/pm-compare', text: '' }).toString();
    const forged = await slack.post(
      body,
      'application/x-www-form-urlencoded',
      signSlackRequest('wrong-secret', body),
    );
    expect(forged.status).toBe(401);
    const stale = await slack.post(
      body,
      'application/x-www-form-urlencoded',
      signSlackRequest(SIGNING_SECRET, body, Math.floor(Date.now() / 1000) - 60 * 10),
    );
    expect(stale.status).toBe(401);
  });

  it('a dimension button replaces the ephemeral message with the deep view', async () => {
    const responses = captureResponseUrl();
    const response = await slack.action(
      buttonClick({ action_id: COMPARE_DIMENSION_ACTION.with('industry'), value: 'industry' }),
    );
    expect(response.status).toBe(200);
    await waitFor(() => responses.length === 1);
    const posted = responses[0] ?? {};
    expect(posted.replace_original).toBe(true);
    expect(JSON.stringify(posted.blocks)).toContain('Industry influence');
  });

  it('a dimension button on a public message answers only the clicker', async () => {
    const responses = captureResponseUrl();
    await slack.action(
      buttonClick(
        { action_id: COMPARE_DIMENSION_ACTION.with('skills'), value: 'skills' },
        { message: PUBLIC_MESSAGE },
      ),
    );
    await waitFor(() => responses.length === 1);
    const posted = responses[0] ?? {};
    expect(posted).toMatchObject({ response_type: 'ephemeral', replace_original: false });
  });

  it('"Share in channel" posts the same comparison publicly, credited, without a share button', async () => {
    const responses = captureResponseUrl();
    await slack.action(
      buttonClick({ action_id: COMPARE_SHARE_ACTION, value: OVERVIEW_VALUE }, { user: 'U0SHARER01' }),
    );
    await waitFor(() => responses.length === 1);
    const posted = responses[0] ?? {};
    expect(posted).toMatchObject({ response_type: 'in_channel', replace_original: false });
    const blocks = JSON.stringify(posted.blocks);
    expect(blocks).toContain('<@U0SHARER01>');
    expect(blocks).not.toContain(COMPARE_SHARE_ACTION);
    expect(blocks).toContain('dimension-skills');
  });

  it('"Share in channel" clicked twice on one message posts once; the second click is told so', async () => {
    const message = { channel: 'C0TEAM00001', ts: '1700000300.000100', visibleTo: 'U0SHARER01' };
    const responses = captureResponseUrl(2);
    for (let click = 0; click < 2; click++)
      await slack.action(
        buttonClick(
          { action_id: COMPARE_SHARE_ACTION, value: OVERVIEW_VALUE },
          { user: 'U0SHARER01', message },
        ),
      );
    await waitFor(() => responses.length === 2);
    expect(responses.filter((response) => response.response_type === 'in_channel')).toHaveLength(1);
    expect(JSON.stringify(responses)).toContain('Already shared in this channel');
  });

  it('logs a failed response_url call and keeps running', async () => {
    nock(RESPONSE_URL_HOST)
      .post(/^\/actions\//)
      .reply(404, 'expired_url');
    const before = slack.logger.lines.filter((line) => line.level === 'error').length;
    const response = await slack.action(
      buttonClick({ action_id: COMPARE_SHARE_ACTION, value: OVERVIEW_VALUE }),
    );
    expect(response.status).toBe(200);
    await waitFor(() => slack.logger.lines.filter((line) => line.level === 'error').length > before);
    expect((await slack.command('skills')).status).toBe(200);
  });

  it('publishes the Home tab with the comparison when it is opened, and no Home tab for the Messages tab', async () => {
    let published: Record<string, unknown> = {};
    nock(SLACK_API)
      .post('/api/views.publish', (body) => {
        published = decodeSlackBody(body);
        return true;
      })
      .reply(200, { ok: true });
    const homeEvent = (tab: 'home' | 'messages') => eventCallback(appHomeOpened({ tab }));
    // The Messages tab gets its suggested prompts (tests/integration/agent-surface.test.ts), not a Home tab.
    nock(SLACK_API).post('/api/assistant.threads.setSuggestedPrompts').reply(200, { ok: true });
    await slack.event(homeEvent('messages'));
    await slack.event(homeEvent('home'));
    await waitFor(() => Object.keys(published).length > 0);
    expect(published.user_id).toBe(TEST_WORKSPACE.userId);
    const view = published.view as { type: string; blocks: { block_id?: string }[] };
    expect(view.type).toBe('home');
    expect(view.blocks.length).toBeLessThanOrEqual(100);
    expect(view.blocks.filter((block) => block.block_id?.startsWith('dimension-'))).toHaveLength(
      slack.knowledge.dimensions.length,
    );
    await slack.idle();
    // Only one views.publish was stubbed: publishing for the Messages tab too would have failed and been logged.
    expect(slack.logger.lines.filter((line) => String(line.args[0]).includes('Home tab'))).toEqual([]);
  });

  it('GET /healthz reports status, knowledge size and version', async () => {
    const response = await fetch(`${slack.baseUrl}/healthz`);
    expect(response.status).toBe(200);
    const body = (await response.json()) as {
      status: string;
      version: string;
      knowledge: { entries: number };
    };
    expect(body.status).toBe('ok');
    expect(body.knowledge.entries).toBe(slack.knowledge.entries.length);
    expect(body.version).toMatch(/^\d+\.\d+\.\d+/);
  });
});

describe('/pm-compare any two roles over HTTP', () => {
  const slack = shareOneApp();

  /** A name for the role that no other role shares: its full name, as people would type it. */
  const typed = (role: Role) => role.person.toLowerCase();

  it('compares every pair of roles, both named, within Block Kit limits', async () => {
    const roles = slack.knowledge.roles;
    expect(roles.length).toBeGreaterThanOrEqual(7);
    let pairs = 0;
    for (const [i, first] of roles.entries()) {
      for (const second of roles.slice(i + 1)) {
        const reply = (await slack.command(`${typed(first)} vs ${typed(second)}`)).json<CommandReply>();
        const header = (reply.blocks[0] as Block & { text: { text: string } }).text.text;
        expect(header).toBe(`${first.name} vs ${second.name}`);
        const rows = (reply.blocks as Block[]).filter((block) =>
          String(block.block_id ?? '').startsWith('dimension-'),
        );
        expect(rows.length).toBeGreaterThan(0);
        for (const row of rows) {
          const columns = (row.fields as { text: string }[]).map((field) => field.text.split('\n')[0]);
          expect(columns).toEqual([`*${first.shortName}*`, `*${second.shortName}*`]);
        }
        expect(findBlockKitProblems(reply)).toEqual([]);
        pairs++;
      }
    }
    expect(pairs).toBe((roles.length * (roles.length - 1)) / 2);
  });

  it.each([
    ['po pm', 'product-owner', 'general-pm'],
    ['product owner vs product manager', 'product-owner', 'general-pm'],
    ['PMM vs PO metrics', 'product-marketing-manager', 'product-owner'],
    ['pm-t vs tpm', 'technical-product-manager', 'technical-program-manager'],
    ['project manager skills', 'project-manager', 'general-pm'],
  ])('"%s" compares %s with %s', async (text, firstId, secondId) => {
    const reply = (await slack.command(text)).json<CommandReply>();
    const first = slack.knowledge.rolesById.get(firstId);
    const second = slack.knowledge.rolesById.get(secondId);
    expect(reply.text).toContain(`${first?.name} vs ${second?.name}`);
  });

  it('asks which role an ambiguous title means, and a choice opens that comparison', async () => {
    const reply = (await slack.command('tpm pm')).json<CommandReply>();
    expect(reply.response_type).toBe('ephemeral');
    expect(reply.text).toMatch(
      /"tpm" can mean .*Technical Product Management.* or .*Technical Program Management/i,
    );
    const buttons = (reply.blocks as Block[])
      .filter((block) => block.type === 'actions')
      .flatMap((block) => block.elements as { action_id: string; value: string }[]);
    expect(buttons.map((button) => button.value)).toEqual([
      'overview|technical-product-manager|general-pm',
      'overview|technical-program-manager|general-pm',
    ]);
    const [, program] = buttons;
    const responses = captureResponseUrl();
    await slack.action(buttonClick({ action_id: program?.action_id ?? '', value: program?.value ?? '' }));
    await waitFor(() => responses.length === 1);
    const header = JSON.stringify(((responses[0]?.blocks ?? []) as Block[])[0]);
    expect(header).toContain(`${slack.knowledge.rolesById.get('technical-program-manager')?.name} vs`);
  });

  it('a topic button keeps the two roles it was shown for', async () => {
    const responses = captureResponseUrl();
    await slack.action(
      buttonClick({
        action_id: COMPARE_DIMENSION_ACTION.with('teams'),
        value: 'teams|product-owner|project-manager',
      }),
    );
    await waitFor(() => responses.length === 1);
    const header = JSON.stringify(((responses[0]?.blocks ?? []) as Block[])[0]);
    expect(header).toContain('PO vs');
    expect(header).toContain(slack.knowledge.rolesById.get('project-manager')?.shortName ?? '?');
  });

  it('a button value naming a role or topic the knowledge no longer has gets the overview, saying so', async () => {
    for (const value of [
      'skills|no-such-role|general-pm',
      'no-such-topic|it-pm|general-pm',
      `${'x|'.repeat(600)}`,
    ]) {
      const responses = captureResponseUrl();
      const response = await slack.action(
        buttonClick({ action_id: COMPARE_DIMENSION_ACTION.with('skills'), value }),
      );
      expect(response.status).toBe(200);
      await waitFor(() => responses.length === 1);
      expect(responses[0]?.text).toContain('no longer in my knowledge');
    }
  });

  it('help lists the roles with their aliases', async () => {
    const text = allText((await slack.command('help')).json<CommandReply>());
    for (const role of slack.knowledge.roles) expect(text).toContain(role.name);
    expect(text).toContain('`po`');
  });
});
