import { randomUUID } from 'node:crypto';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { App, HTTPReceiver, type Logger, type Receiver, type ReceiverEvent } from '@slack/bolt';
import type { ExtendedErrorHandlerArgs } from '@slack/bolt/dist/App.js';
import { ConsoleLogger } from '@slack/logger';
import { InFlightTracker } from './activity.js';
import type { KnowledgeIndex } from './advisor/knowledge-index.js';
import type { Config } from './config.js';
import type { Deps, Stores } from './deps.js';
import { AgentSurface } from './flows/agent-surface.js';
import { KeyedLock } from './flows/keyed-lock.js';
import { scheduleQaLogRetention } from './flows/qa-retention.js';
import { schedulePruning } from './flows/questionnaire.js';
import { healthRoute } from './health.js';
import type { Knowledge } from './knowledge/knowledge.js';
import { registerListeners } from './listeners/index.js';
import { JSON_RESPONSE } from './listeners/json-ack.js';
import { readPackageVersion } from './paths.js';
import { type ScreenedRequest, screenRequests } from './request-screen.js';
import { slackClientOptions } from './slack-client.js';
import { BOT_SCOPES } from './slack-ids.js';
import { acceptAdminInstalls, boltInstallationStore, OnceOnlyStateStore } from './slack-installations.js';
import { StartFailure } from './start-failure.js';
import type { PersonLock } from './store/person-lock.js';

export const EVENTS_PATH = '/slack/events';
/** OAuth (SLACK_CLIENT_ID): the "Add to Slack" page, and where Slack sends the installer back. */
export const INSTALL_PATH = '/slack/install';
export const OAUTH_REDIRECT_PATH = '/slack/oauth_redirect';

/** How long after the start the Q&A index is built, when no question asked for it sooner. */
const INDEX_WARM_UP_MS = 1_000;

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

export interface CreateAppOptions extends Stores {
  knowledge: Knowledge;
  logger?: Logger;
  /** The clock (tests move it to expire questionnaires). */
  now?: () => Date;
  /** Told how long each incoming request took to handle, acknowledgement and Slack calls included. */
  onHandled?: (durationMs: number, requestType: string) => void;
  /** The backend's person lock when several replicas share it (PostgreSQL); by default one within this process. */
  personLock?: PersonLock;
  /** Local mode only (and required there): the receiver that stands in for Slack, e.g. src/local/'s terminal chat. */
  receiver?: Receiver;
}

function localReceiver(receiver: Receiver | undefined): Receiver {
  if (!receiver) throw new Error('local mode needs a receiver (see src/local/local-mode.ts)');
  return receiver;
}

/** Shutdown writes what is pending, trying a few times when the disk refuses; throws, saying what is lost, if it still does. */
async function flushStores(stores: Stores, logger: Logger, attempts = 3): Promise<void> {
  for (let attempt = 1; ; attempt++) {
    const results = await Promise.allSettled([
      stores.qaLog.flush(),
      stores.handledEvents.flush(),
      stores.questionnaires.flush(),
      stores.installations.flush(),
    ]);
    const failed = results.filter((result) => result.status === 'rejected');
    if (failed.length === 0) return;
    if (attempt >= attempts) {
      const problem = writeProblemOf(stores) ?? 'writing failed';
      logger.error(`shutdown: unsaved changes are lost (${problem})`);
      throw new Error(`could not write the data before stopping: ${problem}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 500 * attempt));
  }
}

/** Why the stores cannot write, while they cannot. */
function writeProblemOf(stores: Stores): string | undefined {
  return (
    stores.qaLog.writeProblem() ??
    stores.handledEvents.writeProblem() ??
    stores.questionnaires.writeProblem() ??
    stores.installations.writeProblem()
  );
}

/** The receiver for the mode: Socket Mode builds its own; HTTP mode serves Slack's requests and /healthz. */
function receiverFor(
  config: Config,
  options: CreateAppOptions,
  logger: Logger,
  version: string,
  clientOptions: ReturnType<typeof slackClientOptions>['clientOptions'],
) {
  if (config.mode === 'socket') return { socketMode: true, appToken: config.appToken };
  if (config.mode === 'local') return { receiver: localReceiver(options.receiver) };
  const receiver = new HTTPReceiver({
    signingSecret: config.signingSecret ?? '',
    endpoints: EVENTS_PATH,
    customRoutes: [healthRoute(config, options.knowledge, version, () => writeProblemOf(options))],
    logger,
    ...(config.oauth ? oauthOptions(config.oauth, options, clientOptions) : {}),
    // The request screen's per-request JSON marker, for the listeners' acknowledgements (listeners/json-ack.ts).
    customPropertiesExtractor: (req) => {
      const markJson = (req as ScreenedRequest).markJsonResponse;
      return markJson ? { [JSON_RESPONSE]: markJson } : {};
    },
  });
  receiver.requestListener = screenRequests(receiver.requestListener, {
    signingSecret: config.signingSecret ?? '',
    endpoint: EVENTS_PATH,
  });
  if (config.oauth?.adminInstalls)
    receiver.requestListener = acceptAdminInstalls(receiver.requestListener, {
      clientId: config.oauth.clientId,
      clientSecret: config.oauth.clientSecret,
      installationStore: boltInstallationStore(options.installations, options.now),
      redirectPath: OAUTH_REDIRECT_PATH,
      clientOptions,
      logger,
    });
  return { receiver };
}

/**
 * Bolt's OAuth installer (@slack/oauth): /slack/install and /slack/oauth_redirect, the installations in the app's
 * store, each request authorised with its own workspace's token. The OAuth calls (oauth.v2.access, auth.test) go
 * where every Web API call goes (SLACK_API_URL). No token rotation: see the README.
 */
function oauthOptions(
  oauth: NonNullable<Config['oauth']>,
  options: CreateAppOptions,
  clientOptions: ReturnType<typeof slackClientOptions>['clientOptions'],
) {
  return {
    clientId: oauth.clientId,
    clientSecret: oauth.clientSecret,
    stateSecret: oauth.stateSecret,
    scopes: [...BOT_SCOPES],
    installationStore: boltInstallationStore(options.installations, options.now),
    installerOptions: {
      installPath: INSTALL_PATH,
      redirectUriPath: OAUTH_REDIRECT_PATH,
      stateStore: new OnceOnlyStateStore(oauth.stateSecret, (key, expiresAt) =>
        options.installations.claimState(key, expiresAt),
      ),
      authorizationUrl: oauth.authorizationUrl,
      clientOptions,
    },
  };
}

function depsFor(config: Config, options: CreateAppOptions, logger: Logger): Deps {
  let knowledgeIndex: Promise<KnowledgeIndex> | undefined;
  return {
    knowledge: options.knowledge,
    // Loaded and built when the first question comes, not at start-up: building it was most of a start (about
    // 0.6 s of 1.4 s in `npm run bench:ack`), its modules (stop words, stemmer) another 40 ms, and only questions
    // need it; /pm-compare, clicks and DMs never wait for it. A failed build is tried again by the next question.
    get knowledgeIndex() {
      knowledgeIndex ??= import('./advisor/knowledge-index.js')
        .then((module) => new module.KnowledgeIndex(options.knowledge))
        .catch((error: unknown) => {
          knowledgeIndex = undefined;
          throw error;
        });
      return knowledgeIndex;
    },
    qaLog: options.qaLog,
    handledEvents: options.handledEvents,
    questionnaires: options.questionnaires,
    installations: options.installations,
    personLock: options.personLock ?? new KeyedLock(),
    logger,
    now: options.now ?? (() => new Date()),
    newId: randomUUID,
    questionnaireTtlMs: config.questionnaireTtlMs,
    qaLogRetentionMs: config.qaLogRetentionDays * 24 * 60 * 60 * 1000,
    curators: new Set(config.curators ?? []),
    agentSurface: new AgentSurface(logger),
  };
}

/** The last resort for an error no listener caught: logged with where it happened, never shown in Slack. */
function logUnhandled(logger: Logger) {
  return async ({ error, body, context }: ExtendedErrorHandlerArgs) => {
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
  };
}

/** The line the app logs once it receives: which version, how it is reached. */
function startedLine(config: Config, version: string, started: unknown): { line?: string; port?: number } {
  // The local receiver prints its own banner; an info line would only clutter the chat.
  if (config.mode === 'local') return {};
  if (config.mode === 'socket') return { line: `pm-advisor ${version} connected in Socket Mode` };
  const { port } = (started as Server).address() as AddressInfo;
  const install = config.oauth ? `, install at GET ${INSTALL_PATH}` : '';
  return {
    line: `pm-advisor ${version} listening in HTTP mode on port ${port} (POST ${EVENTS_PATH}${install})`,
    port,
  };
}

/** Builds the Bolt app for the configured mode and registers every listener. */
export function createApp(config: Config, options: CreateAppOptions): AdvisorApp {
  const logger = options.logger ?? createLogger(config);
  const deps = depsFor(config, options, logger);
  const version = readPackageVersion();
  const inFlight = new InFlightTracker((durationMs, requestType) => {
    options.onHandled?.(durationMs, requestType);
    if (durationMs > SLOW_HANDLER_MS)
      logger.warn(`a ${requestType} request took ${Math.round(durationMs)} ms to handle`);
  });
  const client = slackClientOptions(config);
  const app = new App({
    // With OAuth, each request's token comes from its workspace's installation (Bolt: receiver.installer.authorize).
    token: config.oauth ? undefined : config.botToken,
    ...receiverFor(config, options, logger, version, client.clientOptions),
    logger,
    // Without it Bolt sets the logger it is given to INFO, and LOG_LEVEL=debug would never print.
    logLevel: logger.getLevel(),
    clientOptions: client.clientOptions,
    deferInitialization: true,
    // Bolt's conversation store keeps per-channel state in memory on every event; nothing here uses it.
    convoStore: false,
    extendedErrorHandler: true,
  });
  // Every request the receiver hands over is tracked around Bolt's processing of it (its handlers included), so
  // shutdown can wait for it. Around processEvent rather than as a global middleware: a middleware is one more step
  // of Bolt's chain for every request, about 3 % of a /pm-compare's CPU in the in-process A/B of bench:ack's apps.
  const processEvent = app.processEvent.bind(app);
  app.processEvent = (event: ReceiverEvent) => {
    const payload = event.body as { type?: string; command?: string };
    return inFlight.track(
      () => processEvent(event),
      payload.type ?? (payload.command ? 'slash_command' : 'unknown'),
    );
  };
  registerListeners(app, deps);
  app.error(logUnhandled(logger));

  let stopPruning: (() => void) | undefined;
  let warmUp: NodeJS.Timeout | undefined;
  let stopRetention: (() => void) | undefined;
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
      stopPruning = schedulePruning(deps);
      // The Q&A index is built a moment after the start (not before listening, which made every start wait for it),
      // so the first question rarely waits for it either.
      warmUp = setTimeout(() => void deps.knowledgeIndex.catch(() => undefined), INDEX_WARM_UP_MS);
      warmUp.unref();
      stopRetention = scheduleQaLogRetention(deps);
      const { line, port } = startedLine(config, version, started);
      if (line) logger.info(line);
      return port === undefined ? {} : { port };
    },
    idle: () => inFlight.drained(config.shutdownTimeoutMs),
    async stop() {
      await app.stop();
      if (!(await inFlight.drained(config.shutdownTimeoutMs)))
        logger.warn(
          `shutdown: ${inFlight.count} handler(s) still running after ${config.shutdownTimeoutMs} ms`,
        );
      stopPruning?.();
      clearTimeout(warmUp);
      stopRetention?.();
      client.close();
      await flushStores(deps, logger);
    },
  };
}
