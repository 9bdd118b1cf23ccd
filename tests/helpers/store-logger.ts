import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach } from '@jest/globals';

/** A logger for the data stores that remembers what it was told, so a test can read the errors and warnings. */
export function storeLogger() {
  const errors: string[] = [];
  const warnings: string[] = [];
  return {
    errors,
    warnings,
    logger: {
      error: (...messages: unknown[]) => {
        errors.push(messages.map(String).join(' '));
      },
      warn: (...messages: unknown[]) => {
        warnings.push(messages.map(String).join(' '));
      },
    },
  };
}

/**
 * A fresh data folder for each test of the file (`dataFile` inside it, not yet created), removed after the test
 * once the stores it opened (`track`) have written what is pending, so no write timer re-creates it.
 */
export function tempDataFolder(prefix: string) {
  let opened: { flush(): Promise<void> }[] = [];
  const folder = { dir: '', dataFile: '' };
  beforeEach(async () => {
    folder.dir = await mkdtemp(path.join(os.tmpdir(), prefix));
    folder.dataFile = path.join(folder.dir, 'data', 'db.json');
    opened = [];
  });
  afterEach(async () => {
    await Promise.allSettled(opened.map((store) => store.flush()));
    await rm(folder.dir, { recursive: true, force: true });
  });
  return {
    get dir() {
      return folder.dir;
    },
    get dataFile() {
      return folder.dataFile;
    },
    /** Flushed before the folder goes. */
    track<T extends { flush(): Promise<void> }>(store: T): T {
      opened.push(store);
      return store;
    },
  };
}
