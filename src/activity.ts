/** Counts handlers in flight so shutdown can let them finish (bounded) before the process exits. */
export class InFlightTracker {
  private active = 0;
  private waiters: Array<() => void> = [];

  get count(): number {
    return this.active;
  }

  /** Called with how long each tracked piece of work took (for benchmarks and slow-handler logging). */
  constructor(private readonly onDone?: (durationMs: number, label: string) => void) {}

  async track<T>(work: () => Promise<T>, label = ''): Promise<T> {
    this.active++;
    const started = performance.now();
    try {
      return await work();
    } finally {
      this.onDone?.(performance.now() - started, label);
      this.active--;
      if (this.active === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves true when nothing is in flight, or false when `timeoutMs` passed first. */
  drained(timeoutMs: number): Promise<boolean> {
    if (this.active === 0) return Promise.resolve(true);
    return new Promise((resolve) => {
      const timer = setTimeout(() => resolve(false), timeoutMs);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve(true);
      });
    });
  }
}
