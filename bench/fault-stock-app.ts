import { createApp } from '../src/app.js';
import { formatConfigProblems, loadConfig } from '../src/config.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { openDataStores } from '../src/store/data-stores.js';

/**
 * The anchor of `npm run bench:fault`: the app exactly as src/index.ts starts it in HTTP mode, except that its Web
 * API client is left as it comes (`rejectRateLimitedCalls: false`): on a 429 it pauses its one request queue, for
 * everyone, for the whole Retry-After, and then retries. Never used outside the bench.
 */
const result = loadConfig(process.env);
if (!result.ok) {
  console.error(formatConfigProblems(result.problems));
  process.exit(1);
}
const { config } = result;
const knowledge = await loadKnowledge(config.knowledgeDir);
const stores = await openDataStores(config.dataFile, console);
const advisor = createApp(config, { knowledge, ...stores });
// Bolt builds each workspace's client from these options when the first event arrives.
advisor.app.webClientOptions.rejectRateLimitedCalls = false;
await advisor.start();
process.on('SIGTERM', () => process.exit(0));
