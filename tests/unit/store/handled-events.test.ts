import { describe, expect, it } from '@jest/globals';
import { HANDLED_EVENT_LIMITS, HandledEventsFile } from '../../../src/store/handled-events.js';
import { manualClock, T0 } from '../../helpers/clock.js';
import { storeLogger, tempDataFolder } from '../../helpers/store-logger.js';

const temp = tempDataFolder('pm-advisor-events-');

async function openStore(now?: () => Date): Promise<HandledEventsFile> {
  const store = await HandledEventsFile.open(temp.dataFile, storeLogger().logger, now);
  temp.track(store);
  return store;
}

describe('HandledEventsFile.claim', () => {
  it('claims an event id once; a retry or duplicate is refused', async () => {
    const store = await openStore();
    expect(await store.claim('Ev0000000001')).toBe(true);
    expect(await store.claim('Ev0000000001')).toBe(false);
    expect(await store.claim('Ev0000000001')).toBe(false);
    expect(await store.claim('Ev0000000002')).toBe(true);
  });

  it('remembers claimed events across a restart', async () => {
    const first = await openStore();
    expect(await first.claim('Ev0000000001')).toBe(true);
    await first.flush();
    const second = await openStore();
    expect(await second.claim('Ev0000000001')).toBe(false);
    expect(await second.claim('Ev0000000002')).toBe(true);
  });

  it('records when each event was claimed, from the injected clock', async () => {
    const store = await openStore(() => new Date(T0));
    await store.claim('Ev0000000001');
    expect(store.processedEvents).toEqual({ Ev0000000001: T0 });
  });

  it('prunes events older than the time-to-live, keeping younger ones', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const ttl = HANDLED_EVENT_LIMITS.ttlMs;
    await store.claim('EvOLD');
    clock.set(T0 + 1);
    await store.claim('EvAT-LIMIT');
    clock.set(T0 + ttl / 2);
    await store.claim('EvMIDDLE');
    clock.set(T0 + ttl + 1);
    // Pruning is amortised: it runs at least once every 100 claims.
    for (let index = 0; index < 100; index++) await store.claim(`EvNEW${index}`);

    const remaining = Object.keys(store.processedEvents);
    expect(remaining).not.toContain('EvOLD');
    expect(remaining).toContain('EvAT-LIMIT');
    expect(remaining).toContain('EvMIDDLE');
    expect(remaining).toContain('EvNEW99');
    expect(await store.claim('EvOLD')).toBe(true);
    expect(await store.claim('EvMIDDLE')).toBe(false);
  });

  it('keeps the stored events bounded while events keep arriving', async () => {
    const clock = manualClock();
    const store = await openStore(clock.now);
    const step = HANDLED_EVENT_LIMITS.ttlMs / 50;
    for (let index = 0; index < 1_050; index++) {
      await store.claim(`Ev${index}`);
      clock.advance(step);
    }
    // At most one TTL's worth of events (50) plus those claimed since the last pruning (100).
    expect(Object.keys(store.processedEvents).length).toBeLessThanOrEqual(151);
  });
});
