import { describe, expect, it } from '@jest/globals';
import { formField, hasFormFields } from '../../src/slack-request.js';

/** A small deterministic generator (mulberry32), so a failing body can be found again. */
function random(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state + 0x6d2b79f5) | 0;
    let t = Math.imul(state ^ (state >>> 15), 1 | state);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Pieces bodies are made of: names, separators, encodings (of "a", "&", "=", space, invalid), JSON. */
const PIECES = [
  'payload',
  'channel',
  'pay',
  'load',
  'a',
  '=',
  '&',
  '%61',
  '%26',
  '%3D',
  '+',
  '%',
  '%zz',
  '?',
  '{"x":1}',
];

describe('formField and hasFormFields', () => {
  it('read a form body exactly as URLSearchParams does, on 20,000 generated bodies', () => {
    const next = random(13);
    for (let run = 0; run < 20_000; run++) {
      const body = Array.from(
        { length: Math.floor(next() * 9) },
        () => PIECES[Math.floor(next() * PIECES.length)],
      ).join('');
      const params = new URLSearchParams(body);
      expect([body, formField(body, 'payload'), formField(body, 'channel'), hasFormFields(body)]).toEqual([
        body,
        params.get('payload'),
        params.get('channel'),
        params.size > 0,
      ]);
    }
  });

  it('find a command field and an interaction payload as Slack sends them', () => {
    const payload = JSON.stringify({ type: 'block_actions', user: { id: 'U0PERSON01' }, text: 'a&b=c d' });
    const click = new URLSearchParams({ payload }).toString();
    expect(formField(click, 'payload')).toBe(payload);
    const command =
      'token=x&team_id=T1&channel_id=C1&command=%2Fpm-compare&text=it+pm+vs+pm&channel=C0CHANNEL1';
    expect([formField(command, 'payload'), formField(command, 'channel'), hasFormFields(command)]).toEqual([
      null,
      'C0CHANNEL1',
      true,
    ]);
    expect([hasFormFields(''), hasFormFields('&&'), hasFormFields('?'), hasFormFields('=')]).toEqual([
      false,
      false,
      false,
      true,
    ]);
  });
});
