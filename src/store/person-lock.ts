/**
 * One change at a time to a person's questionnaire: `run` waits for the work already running under the key.
 * flows/keyed-lock.ts's `KeyedLock` is one within a process (enough for the files, which are single-process);
 * a backend shared by several replicas brings one that holds across them (`PgPersonLock`).
 */
export interface PersonLock {
  run<T>(key: string, work: () => Promise<T>): Promise<T>;
}
