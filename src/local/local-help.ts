import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML from 'yaml';
import { projectRoot } from '../paths.js';
import { ASK_ADVISOR_SHORTCUT, PM_COMPARE_COMMAND } from '../slack-ids.js';
import { LOCAL_WORKSPACE } from './slack-workspace.js';

/** What the app offers in Slack, read from manifest.yml (which a test keeps in step with the listeners). */
export interface AppSurface {
  commands: { command: string; usageHint?: string; description?: string }[];
  botEvents: string[];
  /** The message shortcuts' callback_ids. */
  messageShortcuts: string[];
}

/** Commands of the terminal itself; they win over an app command of the same name. */
export const LOCAL_COMMANDS = [
  { id: 'help', names: ['/help'], usage: '/help', description: 'this list' },
  {
    id: 'home',
    names: ['/home'],
    usage: '/home',
    description: `open @${LOCAL_WORKSPACE.botName}'s Home tab: your dashboard (its buttons click like a message's)`,
    needsEvent: 'app_home_opened',
  },
  {
    id: 'shortcut',
    names: ['/shortcut'],
    usage: '/shortcut <text>',
    description: `a colleague's message in #${LOCAL_WORKSPACE.channelName} with this text, and you use “Ask the advisor” on it (answered only to you)`,
    needsShortcut: ASK_ADVISOR_SHORTCUT,
  },
  {
    id: 'quit',
    names: ['/quit', '/exit'],
    usage: '/quit',
    description: 'leave (so do Ctrl-D and the end of piped input)',
  },
] as const;

export type LocalCommandId = (typeof LOCAL_COMMANDS)[number]['id'];

export function findLocalCommand(word: string): LocalCommandId | undefined {
  const name = word.toLowerCase();
  return LOCAL_COMMANDS.find((command) => (command.names as readonly string[]).includes(name))?.id;
}

/** The events the terminal can produce, and what typing does for each. */
const EVENT_INPUTS: { event: string; usage: string; description: string }[] = [
  {
    event: 'message.im',
    usage: '<any other text>',
    description: `a direct message to @${LOCAL_WORKSPACE.botName}`,
  },
  {
    event: 'app_mention',
    usage: `@${LOCAL_WORKSPACE.botName} <question>`,
    description: `a message in #${LOCAL_WORKSPACE.channelName} mentioning @${LOCAL_WORKSPACE.botName} (it answers in a thread)`,
  },
];

const FALLBACK_SURFACE: AppSurface = {
  commands: [{ command: PM_COMPARE_COMMAND }],
  botEvents: ['message.im', 'app_mention', 'app_home_opened'],
  messageShortcuts: [ASK_ADVISOR_SHORTCUT],
};

interface ManifestShape {
  features?: {
    slash_commands?: { command?: string; usage_hint?: string; description?: string }[];
    shortcuts?: { type?: string; callback_id?: string }[];
  };
  settings?: { event_subscriptions?: { bot_events?: string[] } };
}

/** Reads the slash commands and bot events from manifest.yml; falls back to the listeners' constants. */
export function readAppSurface(manifestFile = path.join(projectRoot, 'manifest.yml')): AppSurface {
  try {
    const manifest = YAML.parse(readFileSync(manifestFile, 'utf8')) as ManifestShape;
    const commands = (manifest.features?.slash_commands ?? []).flatMap((entry) =>
      entry.command
        ? [
            {
              command: entry.command,
              ...(entry.usage_hint ? { usageHint: entry.usage_hint } : {}),
              ...(entry.description ? { description: entry.description } : {}),
            },
          ]
        : [],
    );
    const messageShortcuts = (manifest.features?.shortcuts ?? []).flatMap((shortcut) =>
      shortcut.type === 'message' && shortcut.callback_id ? [shortcut.callback_id] : [],
    );
    return {
      commands,
      botEvents: manifest.settings?.event_subscriptions?.bot_events ?? [],
      messageShortcuts,
    };
  } catch {
    return FALLBACK_SURFACE;
  }
}

/** The /help text: the app's slash commands, what plain text and mentions do, clicking, and the local commands. */
export function helpLines(surface: AppSurface): string[] {
  const rows: [string, string][] = [
    ...surface.commands.map((command): [string, string] => [
      `${command.command}${command.usageHint ? ` ${command.usageHint}` : ''}`,
      `${command.description ?? 'a slash command of the app'} (typed in #${LOCAL_WORKSPACE.channelName})`,
    ]),
    ...EVENT_INPUTS.filter((input) => surface.botEvents.includes(input.event)).map(
      (input): [string, string] => [input.usage, input.description],
    ),
    ['1, 2, … or a button’s words', 'click that button of the last message with buttons'],
    ...LOCAL_COMMANDS.filter(
      (command) =>
        (!('needsEvent' in command) || surface.botEvents.includes(command.needsEvent)) &&
        (!('needsShortcut' in command) || surface.messageShortcuts.includes(command.needsShortcut)),
    ).map((command): [string, string] => [command.usage, command.description]),
  ];
  const width = Math.max(...rows.map(([usage]) => usage.length));
  return [
    `You are @${LOCAL_WORKSPACE.userName} in the workspace “${LOCAL_WORKSPACE.teamName}”. You can type:`,
    ...rows.map(([usage, description]) => `  ${usage.padEnd(width)}  ${description}`),
  ];
}
