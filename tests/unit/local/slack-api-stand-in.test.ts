import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { SlackApiStandIn } from '../../../src/local/slack-api-stand-in.js';
import { LOCAL_WORKSPACE } from '../../../src/local/slack-workspace.js';

let standIn: SlackApiStandIn;
beforeAll(async () => {
  standIn = await SlackApiStandIn.start(LOCAL_WORKSPACE);
});
afterAll(async () => {
  await standIn.close();
});

const post = (method: string, fields: Record<string, string>) =>
  fetch(`${standIn.apiUrl}${method}`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(fields).toString(),
  });

describe('SlackApiStandIn rate limits', () => {
  it("answers a rate-limited channel's calls 429 with Retry-After, keeps nothing, and counts them; others go on", async () => {
    standIn.api.rateLimit('C0LIMITED1', 20);
    const kept = standIn.api.messages.length;
    const heard: string[] = [];
    standIn.api.onCall((method, params) => heard.push(`${method} ${String(params.channel)}`));

    const limited = await post('chat.postMessage', { channel: 'C0LIMITED1', text: 'hi' });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('retry-after')).toBe('20');
    expect(await limited.json()).toEqual({ ok: false, error: 'ratelimited' });
    const update = await post('chat.update', { channel: 'C0LIMITED1', ts: '1.2', text: 'x' });
    expect(update.status).toBe(429);

    const other = await post('chat.postMessage', { channel: 'C0OTHER001', text: 'hi' });
    expect(other.status).toBe(200);
    expect(other.headers.get('retry-after')).toBeNull();
    expect(await other.json()).toMatchObject({ ok: true, channel: 'C0OTHER001' });

    expect(standIn.api.rateLimitedCalls('C0LIMITED1')).toBe(2);
    expect(standIn.api.rateLimitedCalls('C0OTHER001')).toBe(0);
    expect(standIn.api.messages.length).toBe(kept + 1);
    // Call listeners hear refused calls too: they are calls the app made.
    expect(heard).toEqual([
      'chat.postMessage C0LIMITED1',
      'chat.update C0LIMITED1',
      'chat.postMessage C0OTHER001',
    ]);

    standIn.api.liftRateLimit('C0LIMITED1');
    expect((await post('chat.postMessage', { channel: 'C0LIMITED1', text: 'hi' })).status).toBe(200);
  });

  it("is seen by the Web API client as Slack's rate limit (rejected when it rejects rate-limited calls)", async () => {
    standIn.api.rateLimit('C0LIMITED2', 20);
    const client = new WebClient('xoxb-local', {
      slackApiUrl: standIn.apiUrl,
      rejectRateLimitedCalls: true,
      retryConfig: { retries: 0 },
    });
    await expect(client.chat.postMessage({ channel: 'C0LIMITED2', text: 'hi' })).rejects.toMatchObject({
      code: 'slack_webapi_rate_limited_error',
      retryAfter: 20,
    });
    await expect(client.chat.postMessage({ channel: 'C0OTHER002', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
  });
});
