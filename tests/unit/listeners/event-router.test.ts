import { describe, expect, it } from '@jest/globals';
import type { App } from '@slack/bolt';
import { EventRouter, eventNamesPattern } from '../../../src/listeners/event-router.js';

/** Registers the router on a stand-in that keeps its Bolt listeners, then delivers events through them. */
function registered(router: EventRouter) {
  const registrations: { pattern: string | RegExp; listener: (args: unknown) => Promise<void> }[] = [];
  const app = {
    event: (pattern: never, listener: never) => registrations.push({ pattern, listener }),
  } as unknown as App;
  router.register(app);
  return {
    registrations,
    deliver: async (type: string) => {
      for (const { pattern, listener } of registrations)
        if (typeof pattern === 'string' ? pattern === type : pattern.test(type))
          await listener({ event: { type } });
    },
  };
}

describe('EventRouter', () => {
  it('sends each event type to its handler through one Bolt listener that matches exactly those types', async () => {
    const seen: string[] = [];
    const { registrations, deliver } = registered(
      new EventRouter()
        .on('app_mention', async ({ event }) => void seen.push(`mention ${event.type}`))
        .on('message', async ({ event }) => void seen.push(`message ${event.type}`)),
    );
    expect(registrations).toHaveLength(1);
    await deliver('message');
    await deliver('app_mention');
    await deliver('app_mentions');
    await deliver('message.im');
    await deliver('reaction_added');
    expect(seen).toEqual(['message message', 'mention app_mention']);
  });

  it('refuses a second handler for a type, and registers nothing when it has no routes', () => {
    expect(() =>
      new EventRouter().on('message', async () => undefined).on('message', async () => undefined),
    ).toThrow('already has a handler');
    expect(registered(new EventRouter()).registrations).toEqual([]);
  });

  it('matches names only as themselves, whatever characters they hold', () => {
    const pattern = eventNamesPattern(['a.b', 'c']);
    expect(['a.b', 'c', 'axb', 'a.bc', 'cc'].filter((name) => pattern.test(name))).toEqual(['a.b', 'c']);
  });
});
