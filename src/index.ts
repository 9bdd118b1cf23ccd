import path from 'node:path';
import dotenv from 'dotenv';
import { createApp } from './app.js';
import { formatConfigProblems, loadConfig } from './config.js';
import { formatKnowledgeProblem, KnowledgeError } from './knowledge/knowledge.js';
import { loadKnowledge } from './knowledge/loader.js';
import type { LocalMode } from './local/local-mode.js';
import { projectRoot } from './paths.js';
import { describeStartFailure } from './start-failure.js';
import { type OpenStores, openStores } from './store/data-stores.js';

/** Composition root: config → knowledge → app → start, and a graceful stop on SIGTERM/SIGINT. */
async function main(): Promise<void> {
  dotenv.config({ quiet: true });
  const configResult = loadConfig(process.env);
  if (!configResult.ok) {
    console.error(formatConfigProblems(configResult.problems));
    process.exit(1);
  }
  const { config } = configResult;
  for (const warning of configResult.warnings) console.warn(`config: ${warning}`);

  let knowledge: Awaited<ReturnType<typeof loadKnowledge>>;
  try {
    // Files that passed the schema check before are not checked again (see loadKnowledge); dist/ holds the
    // code, so it is as trusted a place for the check's result as there is.
    knowledge = await loadKnowledge(config.knowledgeDir, {
      checkedCache: path.join(projectRoot, 'dist', 'knowledge-checked'),
    });
  } catch (error) {
    console.error(
      error instanceof KnowledgeError ? error.message : `Cannot load the knowledge store: ${String(error)}`,
    );
    process.exit(1);
  }
  // A stale date does not stop the app (the facts were right when checked); it asks for a re-check.
  for (const problem of knowledge.stale) console.warn(`knowledge: ${formatKnowledgeProblem(problem)}`);

  let stores: OpenStores;
  try {
    stores = await openStores(config, console, undefined, { tokenEncryptionKey: config.tokenEncryptionKey });
  } catch (error) {
    console.error(
      config.databaseUrl
        ? `pm-advisor cannot start: ${(error as Error).message}.`
        : `pm-advisor cannot start: cannot open the data file ${config.dataFile} (${(error as Error).message}).`,
    );
    process.exit(1);
  }

  // Local mode: a Web API stand-in and a terminal chat take Slack's place (src/local/).
  let local: LocalMode | undefined;
  try {
    // Imported only in local mode: the terminal chat is not part of a Slack start.
    local =
      config.mode === 'local'
        ? await (await import('./local/local-mode.js')).startLocalMode(config)
        : undefined;
  } catch (error) {
    console.error(`pm-advisor cannot start the local chat: ${(error as Error).message}`);
    process.exit(1);
  }

  const advisor = createApp(local?.config ?? config, { knowledge, ...stores, receiver: local?.receiver });
  local?.attach(advisor);
  try {
    await advisor.start();
  } catch (error) {
    console.error(describeStartFailure(error, config));
    process.exit(1);
  }

  let stopping = false;
  /** Stops on a signal, or (signal undefined) when the local chat ended. */
  const shutdown = async (signal?: string) => {
    if (stopping) return;
    stopping = true;
    if (signal) advisor.logger.info(`${signal} received: stopping`);
    // If stopping itself hangs, do not hang forever.
    setTimeout(() => process.exit(1), config.shutdownTimeoutMs + 5_000).unref();
    try {
      await advisor.stop();
      await stores.close();
      await local?.close();
      process.exit(0);
    } catch (error) {
      advisor.logger.error('error while stopping', error);
      process.exit(1);
    }
  };
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('unhandledRejection', (reason) => advisor.logger.error('unhandled promise rejection', reason));
  void local?.ended.then(() => shutdown());
}

await main();
