import { describe, expect, it } from '@jest/globals';
import type { App } from '@slack/bolt';
import { ActionRouter } from '../../../src/listeners/actions/action-router.js';

/** Registers the router on a stand-in that keeps the one Bolt listener, then clicks action ids through it. */
function registered(router: ActionRouter) {
  const registrations: {
    constraint: { type: string; action_id?: RegExp };
    listener: (args: unknown) => Promise<void>;
  }[] = [];
  const app = {
    action: (constraint: never, listener: never) => registrations.push({ constraint, listener }),
  } as unknown as App;
  router.register(app);
  const [only] = registrations;
  if (!only || registrations.length !== 1) throw new Error('expected exactly one Bolt listener');
  return {
    constraint: only.constraint,
    click: (actionId: string, ack: () => Promise<void> = async () => undefined) =>
      only.listener({ action: { action_id: actionId }, ack }),
  };
}

describe('ActionRouter', () => {
  it('sends each action id to its handler, exact ids and patterns alike, through one Bolt listener', async () => {
    const seen: string[] = [];
    const { click } = registered(
      new ActionRouter()
        .on('quiz_start', async () => void seen.push('start'))
        .on(/^quiz_answer:/, async (args) => void seen.push(`answer ${args.action.action_id}`)),
    );
    await click('quiz_answer:likes-code');
    await click('quiz_start');
    expect(seen).toEqual(['answer quiz_answer:likes-code', 'start']);
  });

  it('calls one handler per click: the first route that matches', async () => {
    const seen: string[] = [];
    const { click } = registered(
      new ActionRouter()
        .on('share', async () => void seen.push('exact'))
        .on(/^sha/, async () => void seen.push('pattern')),
    );
    await click('share');
    await click('shape');
    expect(seen).toEqual(['exact', 'pattern']);
  });

  it('takes every block action: an id no route knows is acknowledged at once and nothing else runs', async () => {
    const seen: string[] = [];
    const { constraint, click } = registered(
      new ActionRouter().on('compare_help', async () => void seen.push('help')),
    );
    expect(constraint).toEqual({ type: 'block_actions' });
    let acked = 0;
    await click('retired_button', async () => void acked++);
    expect(acked).toBe(1);
    expect(seen).toEqual([]);
  });

  it('matches exact ids exactly, so their dots and brackets are not read as patterns', async () => {
    const seen: string[] = [];
    const { click } = registered(new ActionRouter().on('a.b[1]', async () => void seen.push('exact')));
    await click('a.b[1]');
    await click('aXb1');
    await click('compare_help_extra');
    expect(seen).toEqual(['exact']);
  });
});
