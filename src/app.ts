import { randomUUID } from 'node:crypto';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, type Receiver } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import { ConsoleLogger } from '@slack/logger';
import { InFlightTracker } from './activity.js';
import { KnowledgeIndex } from './advisor/knowledge-index.js';
import { isExpired } from './advisor/questionnaire.js';
import type { Config } from './config.js';
import type { Deps } from './deps.js';
import type { Knowledge } from './knowledge/knowledge.js';
import { registerListeners } from './listeners/index.js';
import { readPackageVersion } from './paths.js';
import { createSlackFetch } from './slack-fetch.js';
import { StartFailure } from './start-failure.js';
import type { AdvisorStore } from './store/advisor-store.js';
import type { UserStore } from './store/user-store.js';

export const EVENTS_PATH = '/slack/events';

export const HEALTH_PATH = '/healthz';
/** How often idle conversations are looked for and pruned. */
const PRUNE_INTERVAL_MS = 10 * 60 * 1000;
/** Requests slower than this are logged: Slack users notice. */
const SLOW_HANDLER_MS = 2_000;

export interface AdvisorApp {
  app: App;
  logger: Logger;
  /** Connects to Slack, or its local stand-in (verifying the token), and starts receiving; resolves with the HTTP port in HTTP mode. */
  start(): Promise<{ port?: number }>;
  /** Resolves when no handler is running (bounded by config.shutdownTimeoutMs); false when it gave up waiting. */
  idle(): Promise<boolean>;
  /** Stops receiving, lets in-flight handlers finish (bounded by config.shutdownTimeoutMs), writes pending data. */
  stop(): Promise<void>;
}

export function createLogger(config: Pick<Config, 'logLevel'>): Logger {
  const logger = new ConsoleLogger();
  logger.setName('pm-advisor');
  logger.setLevel(config.logLevel);
  return logger;
}

export interface CreateAppOptions {
  knowledge: Knowledge;
  store: AdvisorStore;
  users: UserStore;
  logger?: Logger;
  /** The clock (tests move it to expire conversations). */
  now?: () => Date;
  /** Told how long each incoming request took to handle, acknowledgement and Slack calls included. */
  onHandled?: (durationMs: number, requestType: string) => void;
  /** Local mode only (and required there): the receiver that stands in for Slack, e.g. src/local/'s terminal chat. */
  receiver?: Receiver;
}

function localReceiver(receiver: Receiver | undefined): Receiver {
  if (!receiver) throw new Error('local mode needs a receiver (see src/local/local-mode.ts)');
  return receiver;
}

/** Builds the Bolt app for the configured mode and registers every listener. */
export function createApp(config: Config, options: CreateAppOptions): AdvisorApp {
  const logger = options.logger ?? createLogger(config);
  const deps: Deps = {
    knowledge: options.knowledge,
    knowledgeIndex: new KnowledgeIndex(options.knowledge),
    store: options.store,
    users: options.users,
    logger,
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
    conversationTtlMs: config.conversationTtlMs,
  };
  let pruneTimer: NodeJS.Timeout | undefined;
  const pruneExpiredConversations = () => {
    const pruned = options.users.pruneSessions((session) =>
      isExpired(session, deps.now(), deps.conversationTtlMs),
    );
    if (pruned > 0) logger.info(`pruned ${pruned} expired conversation(s)`);
  };
  const version = readPackageVersion();
  const inFlight = new InFlightTracker((durationMs, requestType) => {
    options.onHandled?.(durationMs, requestType);
    if (durationMs > SLOW_HANDLER_MS) {
      logger.warn(`a ${requestType} request took ${Math.round(durationMs)} ms to handle`);
    }
  });
  const slackFetch = createSlackFetch({ timeoutMs: config.slackApiTimeoutMs });
  const clientOptions = {
    slackApiUrl: config.slackApiUrl,
    // The timeout (SLACK_API_TIMEOUT_MS) is enforced by this fetch, for the Web API and for Bolt's respond()
    // (response_url), which would otherwise wait without a limit. No `timeout` here: the client would add an
    // AbortSignal.timeout per call, one more timer kept alive for the whole timeout after each call.
    fetch: slackFetch.fetch,
    // Bounded retries with backoff; the client's default is about 30 minutes of them (Socket Mode raises it further).
    retryConfig: {
      retries: config.slackApiRetries,
      factor: 2,
      minTimeout: 200,
      maxTimeout: 5_000,
      randomize: true,
    },
  };

  const healthRoute = {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const body = JSON.stringify({
        status: 'ok',
        version,
        mode: config.mode,
        knowledge: {
          entries: options.knowledge.entries.length,
          dimensions: options.knowledge.dimensions.length,
        },
      });
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(body);
    },
  };

  const app =
    config.mode === 'socket'
      ? new App({
          token: config.botToken,
          appToken: config.appToken,
          socketMode: true,
          logger,
          clientOptions,
          deferInitialization: true,
          // Bolt's conversation store keeps per-channel state in memory on every event; nothing here uses it.
          convoStore: false,
          extendedErrorHandler: true,
        })
      : new App({
          token: config.botToken,
          receiver:
            config.mode === 'local'
              ? localReceiver(options.receiver)
              : new HTTPReceiver({
                  signingSecret: config.signingSecret ?? '',
                  endpoints: EVENTS_PATH,
                  customRoutes: [healthRoute],
                  logger,
                }),
          logger,
          clientOptions,
          deferInitialization: true,
          // Bolt's conversation store keeps per-channel state in memory on every event; nothing here uses it.
          convoStore: false,
          extendedErrorHandler: true,
        });

  app.use(async ({ next, body }) => {
    const payload = body as { type?: string; command?: string };
    await inFlight.track(next, payload.type ?? (payload.command ? 'slash_command' : 'unknown'));
  });
  registerListeners(app, deps);
  app.error(async ({ error, body, context }: ExtendedErrorHandlerArgs) => {
    const payload = body as {
      type?: string;
      user_id?: string;
      user?: { id?: string };
      event?: { user?: string };
    };
    logger.error('unhandled error in a listener', {
      team: context.teamId,
      user: payload.user_id ?? payload.user?.id ?? payload.event?.user,
      type: payload.type,
      error,
    });
  });

  return {
    app,
    logger,
    async start() {
      await app.init().catch((error: unknown) => {
        throw new StartFailure('bot-token', error);
      });
      const started = await app.start(config.port).catch((error: unknown) => {
        throw new StartFailure(config.mode === 'socket' ? 'app-token' : 'listen', error);
      });
      pruneExpiredConversations();
      pruneTimer = setInterval(pruneExpiredConversations, PRUNE_INTERVAL_MS);
      pruneTimer.unref();
      if (config.mode === 'local') {
        // The local receiver prints its own banner; an info line here would only clutter the chat.
        logger.debug(`pm-advisor ${version} running locally, without Slack`);
        return {};
      }
      if (config.mode === 'http') {
        const address = (started as Server).address() as AddressInfo;
        logger.info(
          `pm-advisor ${version} listening in HTTP mode on port ${address.port} (POST ${EVENTS_PATH})`,
        );
        return { port: address.port };
      }
      logger.info(`pm-advisor ${version} connected in Socket Mode`);
      return {};
    },
    idle: () => inFlight.drained(config.shutdownTimeoutMs),
    async stop() {
      await app.stop();
      const drained = await inFlight.drained(config.shutdownTimeoutMs);
      if (!drained)
        logger.warn(
          `shutdown: ${inFlight.count} handler(s) still running after ${config.shutdownTimeoutMs} ms`,
        );
      clearInterval(pruneTimer);
      slackFetch.close();
      await Promise.all([options.store.flush(), options.users.flush()]);
    },
  };
}
