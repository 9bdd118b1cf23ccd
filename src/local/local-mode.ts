import type { Readable, Writable } from 'node:stream';
import type { AdvisorApp } from '../app.js';
import { type Config, LOCAL_BOT_TOKEN } from '../config.js';
import { readAppSurface } from './local-help.js';
import { SlackApiStandIn } from './slack-api-stand-in.js';
import { TerminalReceiver } from './terminal-receiver.js';

export const LOCAL_BANNER =
  'pm-advisor is running in local mode (no Slack credentials, or SLACK_MODE=local): this terminal stands in for Slack. Type /help for what you can type, /quit to leave. To connect a real workspace, see “Connect a Slack workspace” in README.md.';

export interface LocalModeIo {
  input: Readable;
  output: Writable & { isTTY?: boolean; columns?: number };
}

/** Local mode, ready to build the app with: createApp(local.config, { …, receiver: local.receiver }). */
export interface LocalMode {
  /** The configuration for createApp: the stand-in's Web API URL and the local bot token. */
  config: Config;
  receiver: TerminalReceiver;
  standIn: SlackApiStandIn;
  /** Resolves when the person leaves: /quit, Ctrl-D, or the end of piped input. */
  ended: Promise<void>;
  /** Lets the terminal wait for the app's handlers (advisor.idle()) before it reads the next line. */
  attach(advisor: Pick<AdvisorApp, 'idle'>): void;
  /** Stops the stand-in and lets the output drain; call after advisor.stop(). */
  close(): Promise<void>;
}

/** Starts the Web API stand-in and prepares the terminal chat (which starts reading when the app starts). */
export async function startLocalMode(
  config: Config,
  io: LocalModeIo = { input: process.stdin, output: process.stdout },
): Promise<LocalMode> {
  const standIn = await SlackApiStandIn.start();
  const receiver = new TerminalReceiver({
    input: io.input,
    output: io.output,
    standIn,
    surface: readAppSurface(),
    color: Boolean(io.output.isTTY) && !config.noColor,
    banner: LOCAL_BANNER,
  });
  return {
    config: { ...config, mode: 'local', botToken: LOCAL_BOT_TOKEN, slackApiUrl: standIn.apiUrl },
    receiver,
    standIn,
    ended: receiver.ended,
    attach: (advisor) => receiver.waitForIdleWith(() => advisor.idle()),
    async close() {
      await standIn.close();
      await new Promise<void>((resolve) => io.output.write('', () => resolve()));
    },
  };
}
