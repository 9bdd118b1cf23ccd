/** The moment store tests start from. */
export const T0 = Date.parse('2025-03-01T09:00:00.000Z');

/** A clock the test moves by hand. */
export function manualClock(start = T0) {
  let now = start;
  return {
    now: () => new Date(now),
    set: (ms: number) => {
      now = ms;
    },
    advance: (ms: number) => {
      now += ms;
    },
  };
}

/** A clock that moves one millisecond every time it is read, like a busy app. */
export function tickingClock(start = T0) {
  let now = start;
  return () => new Date(now++);
}
