/**
 * Runs work for one key at a time, in arrival order: a person's questionnaire is read, changed and saved by one
 * handler before the next (a double-delivered click, a click and a typed answer) reads it. Stores are async, so
 * without this two handlers could both read the same question as open and both apply an answer. Work for
 * different keys runs concurrently. Within one process only (several replicas need the database's own locking).
 */
export class KeyedLock {
  private readonly tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, work: () => Promise<T>): Promise<T> {
    const before = this.tails.get(key) ?? Promise.resolve();
    const mine = before.then(work, work);
    const tail = mine.catch(() => undefined);
    this.tails.set(key, tail);
    try {
      return await mine;
    } finally {
      // The last in line clears the key, so the map holds only keys with work pending.
      if (this.tails.get(key) === tail) this.tails.delete(key);
    }
  }

  /** Keys with work running or waiting (for tests). */
  get size(): number {
    return this.tails.size;
  }
}
