import { describe, expect, it } from '@jest/globals';
import type { App } from '@slack/bolt';
import { ActionRouter } from '../../../src/listeners/actions/action-router.js';

/** Registers the router on a stand-in that keeps the one Bolt listener, then clicks action ids through it. */
function registered(router: ActionRouter) {
  const registrations: {
    constraint: { type: string; action_id: RegExp };
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
    click: (actionId: string) => only.listener({ action: { action_id: actionId } }),
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

  it('lets Bolt match only the routed ids, so an unknown action stays unacknowledged as before', () => {
    const { constraint } = registered(
      new ActionRouter().on('compare_help', async () => undefined).on(/^qa_related:/, async () => undefined),
    );
    expect(constraint.type).toBe('block_actions');
    expect(['compare_help', 'qa_related:pricing'].map((id) => constraint.action_id.test(id))).toEqual([
      true,
      true,
    ]);
    expect(
      ['compare_help_extra', 'xcompare_help', 'compareXhelp', 'qa_relatedpricing', 'quiz_start'].map((id) =>
        constraint.action_id.test(id),
      ),
    ).toEqual([false, false, false, false, false]);
  });

  it('escapes exact ids, so their dots and brackets are not read as patterns', () => {
    const { constraint } = registered(new ActionRouter().on('a.b[1]', async () => undefined));
    expect(constraint.action_id.test('a.b[1]')).toBe(true);
    expect(constraint.action_id.test('aXb1')).toBe(false);
  });
});
