import type { Deps } from '../deps.js';

/** How often old questions are looked for (and once at start). */
const RETENTION_INTERVAL_MS = 6 * 60 * 60 * 1000;

/** Deletes the questions older than QA_LOG_RETENTION_DAYS (with their votes) now; returns how many. */
export async function applyQaLogRetention(deps: Deps): Promise<number> {
  const deleted = await deps.qaLog.deleteOlderThan(new Date(deps.now().getTime() - deps.qaLogRetentionMs));
  if (deleted > 0) deps.logger.info(`Q&A log: deleted ${deleted} question(s) past the retention period`);
  return deleted;
}

/** Applies the retention at start and every few hours; returns the function that stops it. */
export function scheduleQaLogRetention(deps: Deps): () => void {
  const run = () =>
    applyQaLogRetention(deps).catch((error) =>
      deps.logger.warn('deleting old Q&A log entries failed', error),
    );
  void run();
  const timer = setInterval(() => void run(), RETENTION_INTERVAL_MS);
  timer.unref();
  return () => clearInterval(timer);
}
