import { describe, expect, it } from '@jest/globals';
import { buttonClick, shareOneApp } from '../helpers/slack.js';

const form = (payload: unknown) => `payload=${encodeURIComponent(JSON.stringify(payload))}`;

describe('signed requests the app has no use for', () => {
  const slack = shareOneApp();

  it.each([
    ['a JSON null', 'null', 'application/json'],
    ['a JSON list', '[1,2]', 'application/json'],
    ['broken JSON', '{"type":', 'application/json'],
    [
      'a block action without a user',
      form({ type: 'block_actions', actions: [{ action_id: 'compare_help', type: 'button' }] }),
      'application/x-www-form-urlencoded',
    ],
    ['a form payload of null', form(null), 'application/x-www-form-urlencoded'],
  ])('%s gets a clear 400 at once, and the app keeps serving', async (_what, body, contentType) => {
    const response = await slack.post(body, contentType);
    expect(response.status).toBe(400);
    expect((await fetch(`${slack.baseUrl}/healthz`)).status).toBe(200);
  });

  it("a body over Bolt's 4 MB limit is refused with a 413, and the app keeps serving", async () => {
    const response = await slack.post(
      `{"type":"event_callback","padding":"${'x'.repeat(4 * 1024 * 1024)}"}`,
      'application/json',
    );
    expect(response.status).toBe(413);
    expect((await fetch(`${slack.baseUrl}/healthz`)).status).toBe(200);
  });

  it('an unsigned one still gets 401, whatever it holds', async () => {
    const response = await slack.post('null', 'application/json', {
      'x-slack-signature': 'v0=forged',
      'x-slack-request-timestamp': String(Math.floor(Date.now() / 1000)),
    });
    expect(response.status).toBe(401);
  });

  it('a click on a button no route knows is acknowledged (200), not left to time out as a 404', async () => {
    const response = await slack.action(buttonClick({ action_id: 'retired_button:v0', value: 'x' }));
    expect(response.status).toBe(200);
  });
});
