import { describe, expect, it } from '@jest/globals';
import { KeyedLock } from '../../../src/flows/keyed-lock.js';

/** A promise the test settles by hand. */
function gate() {
  let open: () => void = () => undefined;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { opened, open };
}

describe('KeyedLock', () => {
  it('runs work for one key one at a time, in arrival order', async () => {
    const lock = new KeyedLock();
    const order: string[] = [];
    const first = gate();
    const a = lock.run('T1:U1', async () => {
      order.push('a starts');
      await first.opened;
      order.push('a ends');
    });
    const b = lock.run('T1:U1', async () => {
      order.push('b runs');
    });
    await Promise.resolve();
    expect(order).toEqual(['a starts']);
    first.open();
    await Promise.all([a, b]);
    expect(order).toEqual(['a starts', 'a ends', 'b runs']);
  });

  it('runs work for different keys side by side', async () => {
    const lock = new KeyedLock();
    const held = gate();
    const slow = lock.run('T1:U1', () => held.opened);
    await expect(lock.run('T1:U2', async () => 'other person')).resolves.toBe('other person');
    held.open();
    await slow;
  });

  it('a failure reaches its caller and does not block the next in line; the key is released after', async () => {
    const lock = new KeyedLock();
    const failing = lock.run('T1:U1', async () => {
      throw new Error('store down');
    });
    const next = lock.run('T1:U1', async () => 'still runs');
    await expect(failing).rejects.toThrow('store down');
    await expect(next).resolves.toBe('still runs');
    expect(lock.size).toBe(0);
  });
});
