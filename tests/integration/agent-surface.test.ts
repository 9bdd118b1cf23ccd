import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { decodeSlackBody } from '../../src/local/slack-web-api.js';
import { LOOKING_IT_UP_STATUS, SUGGESTED_PROMPTS } from '../../src/views/agent-view.js';
import {
  appHomeOpened,
  directMessage,
  eventCallback,
  SLACK_API,
  shareOneApp,
  TEST_WORKSPACE,
  unstubbedCallsDuring,
} from '../helpers/slack.js';
import { waitFor } from '../helpers/wait.js';

type Envelope = ReturnType<typeof eventCallback>;

/** The same event from another workspace (its own memory of what the agent surface offers there). */
function inTeam<E extends Envelope>(body: E, teamId: string): E {
  return {
    ...body,
    team_id: teamId,
    context_team_id: teamId,
    authorizations: (body.authorizations ?? []).map((authorization) => ({
      ...authorization,
      team_id: teamId,
    })),
  };
}

/** Intercepts `times` calls of a method in order, recording each body under its method name in `log`. */
function stub(
  method: string,
  log: { method: string; body: Record<string, unknown> }[],
  reply: Record<string, unknown> = { ok: true },
  times = 1,
): void {
  nock(SLACK_API)
    .post(`/api/${method}`, (body) => {
      log.push({ method, body: decodeSlackBody(body) });
      return true;
    })
    .times(times)
    .reply(200, reply);
}

const messagesTab = () => eventCallback(appHomeOpened({ tab: 'messages' }));
const dm = (text: string) => eventCallback(directMessage({ text }));

describe('the Messages tab as the agent surface, over HTTP', () => {
  const slack = shareOneApp();

  it('offers the suggested prompts when the Messages tab is opened: the DM channel, and no thread_ts', async () => {
    const calls: { method: string; body: Record<string, unknown> }[] = [];
    stub('assistant.threads.setSuggestedPrompts', calls);
    const unstubbed = await unstubbedCallsDuring(() => slack.event(messagesTab()), slack.idle);
    expect(unstubbed).toEqual([]);
    expect(calls).toHaveLength(1);
    const body = calls[0]?.body ?? {};
    expect(body.channel_id).toBe(TEST_WORKSPACE.dmChannelId);
    expect(body).not.toHaveProperty('thread_ts');
    expect(body.title).toBe('Ask me about IT PM or General PM');
    const prompts = typeof body.prompts === 'string' ? JSON.parse(body.prompts) : body.prompts;
    expect(prompts).toEqual(SUGGESTED_PROMPTS);
  });

  it('stays fine where the agent surface is unavailable: not_allowed is quiet, and not asked again there', async () => {
    const team = 'T0NOAGENT01';
    const calls: { method: string; body: Record<string, unknown> }[] = [];
    stub('assistant.threads.setSuggestedPrompts', calls, { ok: false, error: 'not_allowed' });
    const errorsBefore = slack.logger.lines.filter((line) => line.level !== 'debug').length;
    await slack.event(inTeam(messagesTab(), team));
    await slack.idle();
    expect(calls).toHaveLength(1);
    // Opened again: the workspace is known not to have it, so no call at all.
    expect(await unstubbedCallsDuring(() => slack.event(inTeam(messagesTab(), team)), slack.idle)).toEqual(
      [],
    );
    // The Home tab and questions work as ever there.
    stub('views.publish', calls);
    stub('assistant.threads.setStatus', calls, { ok: false, error: 'missing_scope' });
    stub('chat.postMessage', calls, { ok: true, ts: '1700000900.000100' });
    await slack.event(inTeam(eventCallback(appHomeOpened({ tab: 'home' })), team));
    await slack.event(inTeam(dm('what does an it pm do day to day?'), team));
    await waitFor(() => calls.some((call) => call.method === 'chat.postMessage'));
    await slack.idle();
    expect(calls.map((call) => call.method)).toEqual([
      'assistant.threads.setSuggestedPrompts',
      'views.publish',
      'assistant.threads.setStatus',
      'chat.postMessage',
    ]);
    expect(JSON.stringify(calls.at(-1)?.body)).toContain('entry-it-pm-duties');
    // Nothing above debug level: an unavailable agent surface is no problem to report.
    expect(slack.logger.lines.filter((line) => line.level !== 'debug').slice(errorsBefore)).toEqual([]);
    const debug = slack.logger.lines
      .filter((line) => line.level === 'debug')
      .map((line) => String(line.args[0]));
    expect(debug.some((line) => line.includes('not_allowed'))).toBe(true);
  });

  it('shows "is looking that up…" on a DM question while answering it, then clears it', async () => {
    const calls: { method: string; body: Record<string, unknown> }[] = [];
    stub('assistant.threads.setStatus', calls, { ok: true }, 2);
    stub('chat.postMessage', calls, { ok: true, ts: '1700000901.000100' });
    const question = dm('Do IT PMs need to code?');
    await slack.event(question);
    await waitFor(() => calls.length === 3);
    expect(calls.map((call) => [call.method, call.body.status ?? call.body.channel])).toEqual([
      ['assistant.threads.setStatus', LOOKING_IT_UP_STATUS],
      ['chat.postMessage', TEST_WORKSPACE.dmChannelId],
      ['assistant.threads.setStatus', ''],
    ]);
    for (const call of [calls[0], calls[2]])
      expect(call?.body).toMatchObject({
        channel_id: TEST_WORKSPACE.dmChannelId,
        thread_ts: question.event.ts,
      });
  });

  it('answers a DM question where setStatus is refused (missing_scope), and stops trying it there', async () => {
    const team = 'T0NOSTATUS1';
    const calls: { method: string; body: Record<string, unknown> }[] = [];
    stub('assistant.threads.setStatus', calls, { ok: false, error: 'missing_scope' });
    stub('chat.postMessage', calls, { ok: true, ts: '1700000902.000100' }, 2);
    await slack.event(inTeam(dm('Do IT PMs need to code?'), team));
    await waitFor(() => calls.length === 2);
    const unstubbed = await unstubbedCallsDuring(
      () => slack.event(inTeam(dm('what does an it pm do day to day?'), team)),
      slack.idle,
    );
    expect(unstubbed).toEqual([]);
    expect(calls.map((call) => call.method)).toEqual([
      'assistant.threads.setStatus',
      'chat.postMessage',
      'chat.postMessage',
    ]);
  });
});
