import { existsSync, readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, expect, test } from '@jest/globals';
import { type App, type Logger, LogLevel } from '@slack/bolt';
import YAML from 'yaml';
import { findSchemaPath, manifestPath, validateManifest } from '../../scripts/check-manifest.js';
import { KnowledgeIndex } from '../../src/advisor/knowledge-index.js';
import type { Deps } from '../../src/deps.js';
import { AgentSurface } from '../../src/flows/agent-surface.js';
import { KeyedLock } from '../../src/flows/keyed-lock.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { registerListeners } from '../../src/listeners/index.js';
import { MESSAGE_SUBSCRIPTIONS } from '../../src/listeners/messages/index.js';
import { projectRoot } from '../../src/paths.js';
import { ASK_ADVISOR_SHORTCUT, BOT_SCOPES, PM_COMPARE_COMMAND } from '../../src/slack-ids.js';
import { openDataStores } from '../../src/store/data-stores.js';
import { SUGGESTED_PROMPTS } from '../../src/views/agent-view.js';

/** The parts of manifest.yml this test reads; the schema test checks the whole shape. */
interface Manifest {
  _metadata?: { major_version?: number };
  features?: {
    app_home?: {
      home_tab_enabled?: boolean;
      messages_tab_enabled?: boolean;
      messages_tab_read_only_enabled?: boolean;
    };
    slash_commands?: { command: string; url?: string }[];
    shortcuts?: { name: string; type: string; callback_id: string }[];
    agent_view?: { agent_description?: string; suggested_prompts?: { title: string; message: string }[] };
  };
  oauth_config?: { scopes?: { bot?: string[] } };
  settings?: {
    event_subscriptions?: { request_url?: string; bot_events?: string[] };
    interactivity?: { is_enabled?: boolean; request_url?: string };
    socket_mode_enabled?: boolean;
  };
}

type Matcher = string | RegExp;

/** Stands in for Bolt's App: records what the real listeners register instead of wiring them up. */
class RecordingApp {
  readonly commands: Matcher[] = [];
  readonly events: Matcher[] = [];
  readonly messageListeners: unknown[][] = [];
  readonly actions: unknown[] = [];
  readonly views: unknown[] = [];
  readonly shortcuts: unknown[] = [];
  readonly optionsRequests: unknown[] = [];
  readonly middleware: unknown[] = [];
  readonly errorHandlers: unknown[] = [];

  command(name: Matcher, ..._listeners: unknown[]) {
    this.commands.push(name);
  }
  event(name: Matcher, ..._listeners: unknown[]) {
    this.events.push(name);
  }
  message(...args: unknown[]) {
    this.messageListeners.push(args);
  }
  action(constraints: unknown, ..._listeners: unknown[]) {
    this.actions.push(constraints);
  }
  view(constraints: unknown, ..._listeners: unknown[]) {
    this.views.push(constraints);
  }
  shortcut(constraints: unknown, ..._listeners: unknown[]) {
    this.shortcuts.push(constraints);
  }
  options(constraints: unknown, ..._listeners: unknown[]) {
    this.optionsRequests.push(constraints);
  }
  use(middleware: unknown) {
    this.middleware.push(middleware);
  }
  error(handler: unknown) {
    this.errorHandlers.push(handler);
  }
}

/**
 * The event names a registration matches: its name, or the names of the EventRouter's one listener (an anchored
 * list of names, `^(?:a|b)$`, as eventNamesPattern builds it); none for any other pattern.
 */
function eventNamesOf(matcher: Matcher): string[] {
  if (typeof matcher === 'string') return [matcher];
  const names = /^\^\(\?:([\w|]+)\)\$$/.exec(matcher.source)?.[1];
  return names ? names.split('|') : [];
}

/** Bolt's app.event('message') stands for every message subscription the app handles (MESSAGE_SUBSCRIPTIONS). */
function manifestEventsFor(boltEvent: string): string[] {
  return boltEvent === 'message' ? Object.values(MESSAGE_SUBSCRIPTIONS) : [boltEvent];
}

/** Bot scopes each subscribed event needs; an event missing here fails the scope test until it is added. */
const SCOPES_FOR_EVENT: Record<string, string[]> = {
  app_home_opened: [],
  app_mention: ['app_mentions:read'],
  'message.im': ['im:history'],
  'message.channels': ['channels:history'],
  'message.groups': ['groups:history'],
  app_uninstalled: [],
  tokens_revoked: [],
};

const silentLogger: Logger = {
  debug: () => {},
  info: () => {},
  warn: () => {},
  error: () => {},
  setLevel: () => {},
  getLevel: () => LogLevel.ERROR,
  setName: () => {},
};

function sorted(values: Iterable<string>): string[] {
  return [...new Set(values)].sort();
}

/** Both directions of a set difference, labelled so a failure says which file to change. */
function compareSets(registered: Iterable<string>, inManifest: Iterable<string>) {
  const code = new Set(registered);
  const manifest = new Set(inManifest);
  return {
    'registered in the code but missing from manifest.yml': sorted([...code].filter((x) => !manifest.has(x))),
    'in manifest.yml but not registered by the code': sorted([...manifest].filter((x) => !code.has(x))),
  };
}

/** Slack's schema, vendored in scripts/slack-manifest-schema/ (or MANIFEST_SCHEMA), as `npm run manifest:check` finds it. */
const schemaPath = findSchemaPath();
function loadSchema(): Record<string, unknown> {
  if (!existsSync(schemaPath)) throw new Error(`Slack's manifest schema is missing (${schemaPath})`);
  return JSON.parse(readFileSync(schemaPath, 'utf8')) as Record<string, unknown>;
}

const inStep = {
  'registered in the code but missing from manifest.yml': [],
  'in manifest.yml but not registered by the code': [],
};

describe('manifest.yml', () => {
  const manifest = YAML.parse(readFileSync(manifestPath, 'utf8')) as Manifest;
  const app = new RecordingApp();
  let registeredEvents: string[] = [];

  beforeAll(async () => {
    const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    const dataDir = await mkdtemp(path.join(tmpdir(), 'pm-advisor-manifest-'));
    const deps: Deps = {
      knowledge,
      knowledgeIndex: Promise.resolve(new KnowledgeIndex(knowledge)),
      personLock: new KeyedLock(),
      ...(await openDataStores(path.join(dataDir, 'db.json'), silentLogger)),
      logger: silentLogger,
      now: () => new Date(),
      newId: () => 'id',
      questionnaireTtlMs: 1000,
      qaLogRetentionMs: 1000,
      agentSurface: new AgentSurface(silentLogger),
    };
    registerListeners(app as unknown as App, deps);
    registeredEvents = sorted([
      ...app.events.flatMap(eventNamesOf).flatMap(manifestEventsFor),
      ...(app.messageListeners.length > 0 ? ['message.im'] : []),
    ]);
  });

  test('every listener is registered by name, so it can be matched against the manifest', () => {
    expect({
      commands: app.commands.filter((name) => typeof name !== 'string').map(String),
      events: app.events.filter((name) => eventNamesOf(name).length === 0).map(String),
    }).toEqual({ commands: [], events: [] });
  });

  test('lists exactly the slash commands the app registers', () => {
    const registered = app.commands.filter((name) => typeof name === 'string');
    const listed = (manifest.features?.slash_commands ?? []).map(({ command }) => command);
    expect(compareSets(registered, listed)).toEqual(inStep);
    expect(listed).toContain(PM_COMPARE_COMMAND);
  });

  test('subscribes to exactly the bot events the app listens to', () => {
    const subscribed = manifest.settings?.event_subscriptions?.bot_events ?? [];
    expect(compareSets(registeredEvents, subscribed)).toEqual(inStep);
  });

  test('enables interactivity when the app registers actions, views, shortcuts or options', () => {
    const interactive = [app.actions, app.views, app.shortcuts, app.optionsRequests].some(
      (list) => list.length > 0,
    );
    if (interactive) expect(manifest.settings?.interactivity?.is_enabled).toBe(true);
  });

  test('enables a writable Messages tab (the questionnaire runs in DMs) and the Home tab', () => {
    expect(manifest.features?.app_home).toMatchObject({
      messages_tab_enabled: true,
      messages_tab_read_only_enabled: false,
    });
    if (registeredEvents.includes('app_home_opened')) {
      expect(manifest.features?.app_home?.home_tab_enabled).toBe(true);
    }
  });

  test('runs in Socket Mode, with no request URLs to verify', () => {
    expect(manifest.settings?.socket_mode_enabled).toBe(true);
    expect({
      events: manifest.settings?.event_subscriptions?.request_url,
      interactivity: manifest.settings?.interactivity?.request_url,
      commands: (manifest.features?.slash_commands ?? []).flatMap(({ url }) => (url ? [url] : [])),
    }).toEqual({ events: undefined, interactivity: undefined, commands: [] });
  });

  test('requests the bot scopes each subscribed event and the slash commands need', () => {
    const unknown = registeredEvents.filter((event) => !(event in SCOPES_FOR_EVENT));
    expect({ 'events with no entry in SCOPES_FOR_EVENT': unknown }).toEqual({
      'events with no entry in SCOPES_FOR_EVENT': [],
    });
    const needed = sorted([
      'chat:write',
      ...(app.commands.length > 0 ? ['commands'] : []),
      ...registeredEvents.flatMap((event) => SCOPES_FOR_EVENT[event] ?? []),
    ]);
    const granted = new Set(manifest.oauth_config?.scopes?.bot ?? []);
    expect({ 'missing bot scopes': needed.filter((scope) => !granted.has(scope)) }).toEqual({
      'missing bot scopes': [],
    });
  });

  test('lists exactly the shortcuts the app registers, each with its type', () => {
    const registered = app.shortcuts.map((constraints) => {
      const { type, callback_id } = constraints as { type?: string; callback_id?: unknown };
      return `${type === 'message_action' ? 'message' : type === 'shortcut' ? 'global' : String(type)} ${String(callback_id)}`;
    });
    const listed = (manifest.features?.shortcuts ?? []).map(
      ({ type, callback_id }) => `${type} ${callback_id}`,
    );
    expect(compareSets(registered, listed)).toEqual(inStep);
    expect(listed).toContain(`message ${ASK_ADVISOR_SHORTCUT}`);
    // Shortcuts need the commands scope.
    expect(manifest.oauth_config?.scopes?.bot).toContain('commands');
  });

  test('offers the agent surface (agent_view) with the prompts the Messages tab sends, and its scope', () => {
    const agentView = manifest.features?.agent_view;
    expect(agentView?.agent_description?.length).toBeGreaterThan(0);
    expect(agentView?.suggested_prompts).toEqual(SUGGESTED_PROMPTS);
    // setSuggestedPrompts needs assistant:write; setStatus takes it or chat:write.
    expect(manifest.oauth_config?.scopes?.bot).toEqual(
      expect.arrayContaining(['assistant:write', 'chat:write']),
    );
  });

  test('asks an installing workspace for the bot scopes manifest.yml lists (BOT_SCOPES), no more, no fewer', () => {
    expect(sorted(BOT_SCOPES)).toEqual(sorted(manifest.oauth_config?.scopes?.bot ?? []));
  });

  test("is valid against Slack's manifest schema 2.0.0 (vendored)", () => {
    expect(manifest._metadata?.major_version).toBe(2);
    expect(validateManifest(manifest, loadSchema())).toEqual([]);
  });

  test('the schema check reports what is wrong, with where', () => {
    const broken = {
      ...manifest,
      display_information: { name: 'pm-advisor', background_color: 'dark grey' },
      settings: { ...manifest.settings, socket_mode: true },
    };
    expect(validateManifest(broken, loadSchema())).toEqual(
      expect.arrayContaining([
        {
          instancePath: '/display_information/background_color',
          message: expect.stringContaining('must match pattern'),
        },
        { instancePath: '/settings', message: 'must NOT have additional properties: "socket_mode"' },
      ]),
    );
  });
});
