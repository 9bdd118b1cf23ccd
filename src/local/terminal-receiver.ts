import { createInterface, type Interface } from 'node:readline';
import type { Readable, Writable } from 'node:stream';
import type { App, Receiver, ReceiverEvent } from '@slack/bolt';
import type { Block as SlackBlock } from '@slack/types';
import { type AppSurface, findLocalCommand, helpLines } from './local-help.js';
import { type Block, type RenderedButton, renderMessage } from './render-blocks.js';
import type { SlackApiStandIn } from './slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from './slack-payloads.js';
import type { Delivery } from './slack-web-api.js';
import { type KeptMessage, LOCAL_WORKSPACE } from './slack-workspace.js';
import { type Names, paint, type Style } from './terminal-text.js';

const W = LOCAL_WORKSPACE;
const payloads = slackPayloads(W);
const PROMPT = 'you> ';
/** Who wrote the message `/shortcut` asks the advisor about. */
const COLLEAGUE = 'U0COLLEAGUE';
const COLLEAGUE_NAME = 'sam';
const INDENT = '  ';
const DEFAULT_WIDTH = 100;
const MIN_WIDTH = 40;
const MAX_WIDTH = 120;
/** `@advisor` typed anywhere in a line: a channel message that mentions the bot (exported for the regex check). */
export const MENTION = new RegExp(`(^|\\s)@${W.botName}\\b`, 'i');
export const MENTIONS = new RegExp(MENTION.source, 'gi');

export interface TerminalReceiverOptions {
  input: Readable;
  output: Writable & { isTTY?: boolean; columns?: number };
  standIn: SlackApiStandIn;
  /** What /help lists (the app's slash commands and bot events, from manifest.yml). */
  surface: AppSurface;
  /** ANSI colours: only for a TTY without NO_COLOR. */
  color: boolean;
  /** The one line printed when the chat opens. */
  banner: string;
}

/** The buttons a typed number clicks: the last message's, or the Home tab's right after it was shown. */
type ActiveButtons =
  | { message: KeptMessage; buttons: RenderedButton[] }
  | { home: Block[]; buttons: RenderedButton[] };

function normalizeLabel(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * A Bolt receiver that is a chat in the terminal: each line typed becomes the request Slack would send
 * (a slash command, an event_callback, a block_actions click) and goes through app.processEvent, the same
 * path as the HTTP and Socket Mode receivers. What the app sends back reaches the terminal through the
 * Web API stand-in (chat.postMessage, response_url…) or, for a command, through ack().
 */
export class TerminalReceiver implements Receiver {
  /** Resolves when the person leaves: /quit, Ctrl-D, the end of piped input, or stop(). */
  readonly ended: Promise<void>;
  private endChat: () => void = () => {};
  private app: App | undefined;
  private lines: Interface | undefined;
  private idle: () => Promise<boolean> = async () => true;
  private active: ActiveButtons | undefined;
  private toldHowToClick = false;
  /** /home is being opened: the Home tab published meanwhile is shown (other publishes are not). */
  private showingHome = false;
  private outputGone = false;
  private readonly interactive: boolean;
  private readonly names: Names;

  constructor(private readonly options: TerminalReceiverOptions) {
    this.ended = new Promise((resolve) => {
      this.endChat = resolve;
    });
    this.interactive = Boolean((options.input as { isTTY?: boolean }).isTTY && options.output.isTTY);
    this.names = {
      users: { [W.userId]: W.userName, [W.botUserId]: W.botName, [COLLEAGUE]: COLLEAGUE_NAME },
      channels: { [W.channelId]: W.channelName },
    };
    options.standIn.api.onDelivery((delivery) => this.show(delivery));
    // The reader went away (`npm start | head`): leave quietly, as /quit does.
    options.output.on('error', () => {
      this.outputGone = true;
      this.lines?.close();
    });
  }

  init(app: App): void {
    this.app = app;
  }

  /** Before reading the next line, wait for this too (the app's idle(): no handler in flight). */
  waitForIdleWith(idle: () => Promise<boolean>): void {
    this.idle = idle;
  }

  async start(): Promise<this> {
    this.write(paint(this.options.banner, 'dim', this.options.color));
    const lines = createInterface({
      input: this.options.input,
      ...(this.interactive
        ? { output: this.options.output, terminal: true, prompt: PROMPT }
        : { terminal: false }),
    });
    // Ctrl-C in the chat leaves it like /quit does (the terminal is in raw mode, so no SIGINT reaches the process).
    lines.on('SIGINT', () => lines.close());
    this.lines = lines;
    void this.readLines(lines);
    return this;
  }

  async stop(): Promise<void> {
    this.lines?.close();
  }

  /** Lines strictly in order: the next one is read only when the app has finished with this one. */
  private async readLines(lines: Interface): Promise<void> {
    try {
      if (this.interactive) lines.prompt();
      for await (const line of lines) {
        if (!this.interactive && line.trim()) this.write(`${PROMPT}${line}`);
        if (!(await this.handleLine(line.trim()))) break;
        if (this.interactive) lines.prompt();
      }
    } catch (error) {
      this.note(`The terminal chat stopped: ${(error as Error).message}`);
    } finally {
      lines.close();
      this.endChat();
    }
  }

  /** One line typed; false to leave. */
  private async handleLine(text: string): Promise<boolean> {
    if (!text) return true;
    const [word = ''] = text.split(/\s+/, 1);
    if (word.startsWith('/')) {
      const local = findLocalCommand(word);
      if (local === 'quit') return false;
      if (local === 'help') this.write(helpLines(this.options.surface).join('\n'));
      else if (local === 'home') await this.openHome();
      else if (local === 'shortcut') await this.shortcut(text.slice(word.length).trim());
      else await this.slashCommand(word.toLowerCase(), text.slice(word.length).trim());
      return true;
    }
    const button = this.findButton(text);
    if (button === 'out-of-range') return true;
    if (button && this.active)
      await ('home' in this.active
        ? this.clickHome(button, this.active.home)
        : this.click(button, this.active.message));
    else if (MENTION.test(text)) await this.mention(text);
    else await this.directMessage(text);
    return true;
  }

  private findButton(text: string): RenderedButton | 'out-of-range' | undefined {
    const buttons = this.active?.buttons ?? [];
    if (buttons.length === 0) return undefined;
    if (/^\d+$/.test(text)) {
      const button = buttons[Number(text) - 1];
      if (button) return button;
      this.note(`There is no button ${text}: the last message's buttons are 1 to ${buttons.length}.`);
      return 'out-of-range';
    }
    const wanted = normalizeLabel(text);
    return buttons.find((button) => normalizeLabel(button.label) === wanted);
  }

  private async slashCommand(command: string, text: string): Promise<void> {
    const target = { channel: W.channelId, userId: W.userId };
    const responseUrl = this.options.standIn.api.createResponseUrl(target);
    const acked = await this.dispatch(
      payloads.slashCommand({ command, text, channel_id: target.channel, response_url: responseUrl }),
      (response) => {
        // What a command's ack carries is its immediate reply; show it as Slack does.
        if (response === undefined || response === '') return;
        const payload =
          typeof response === 'string' ? { text: response } : (response as Record<string, unknown>);
        this.options.standIn.api.respond(responseUrl, payload);
      },
    );
    if (!acked)
      this.note(
        `Nothing acknowledged ${command}, so Slack would say “${command} failed with the error "dispatch_failed"”. Type /help for the commands that exist.`,
      );
  }

  private async click(button: RenderedButton, source: KeptMessage): Promise<void> {
    const target = { channel: source.channel, userId: W.userId, source };
    const responseUrl = this.options.standIn.api.createResponseUrl(target);
    const body = payloads.buttonClick(
      {
        action_id: button.actionId,
        block_id: button.blockId,
        text: { type: 'plain_text', text: button.label, emoji: true },
        ...(button.value !== undefined ? { value: button.value } : {}),
        ...(button.style ? { style: button.style } : {}),
        ...(button.url ? { url: button.url } : {}),
      },
      { message: source, responseUrl },
    );
    if (!(await this.dispatch(body)))
      this.note(`Nothing handled “${button.label}” (action_id ${button.actionId}).`);
  }

  /** A button of the Home tab: as Slack sends it (a view container, no response_url); the tab shows what follows. */
  private async clickHome(button: RenderedButton, blocks: Block[]): Promise<void> {
    const body = payloads.homeButtonClick(
      {
        action_id: button.actionId,
        block_id: button.blockId,
        ...(button.value !== undefined ? { value: button.value } : {}),
      },
      // The blocks as the app published them: the same JSON Slack would send back in the payload's view.
      { blocks: blocks as unknown as SlackBlock[] },
    );
    this.showingHome = true;
    try {
      if (!(await this.dispatch(body)))
        this.note(`Nothing handled “${button.label}” (action_id ${button.actionId}).`);
    } finally {
      this.showingHome = false;
    }
  }

  private async mention(text: string): Promise<void> {
    const slackText = text.replace(MENTIONS, (_whole, before: string) => `${before}<@${W.botUserId}>`);
    const message = this.options.standIn.api.recordPersonMessage(W.channelId, slackText);
    await this.dispatch(payloads.eventCallback(payloads.appMention(messageEventFields(message))));
  }

  private async directMessage(text: string): Promise<void> {
    const message = this.options.standIn.api.recordPersonMessage(W.dmChannelId, text);
    await this.dispatch(payloads.eventCallback(payloads.directMessage(messageEventFields(message))));
  }

  /** A colleague's message in the channel, and the person uses the "Ask the advisor" shortcut on it. */
  private async shortcut(text: string): Promise<void> {
    if (!text) {
      this.note(
        'Type the message to ask about after /shortcut, for example: /shortcut do IT PMs need to code?',
      );
      return;
    }
    const message = this.options.standIn.api.recordPersonMessage(W.channelId, text, { userId: COLLEAGUE });
    this.write(paint(`@${COLLEAGUE_NAME} in #${W.channelName}: ${text}`, 'dim', this.options.color));
    if (!(await this.dispatch(payloads.messageShortcut(message))))
      this.note('Nothing handled the “Ask the advisor” shortcut.');
  }

  private async openHome(): Promise<void> {
    this.showingHome = true;
    try {
      await this.dispatch(payloads.eventCallback(payloads.appHomeOpened()));
    } finally {
      this.showingHome = false;
    }
  }

  /** Hands a request to Bolt as any receiver does, then waits until the app and the stand-in are done with it. */
  private async dispatch(body: ReceiverEvent['body'], onAck?: (response: unknown) => void): Promise<boolean> {
    const app = this.app;
    if (!app) throw new Error('TerminalReceiver.init(app) was not called');
    let acked = false;
    const event: ReceiverEvent = {
      body,
      ack: async (response?: unknown) => {
        if (acked) return;
        acked = true;
        onAck?.(response);
      },
    };
    try {
      await app.processEvent(event);
    } catch (error) {
      this.note(`The app failed on this (${(error as Error).message ?? String(error)}); see the log.`);
    }
    await this.settle();
    return acked;
  }

  /** No handler in flight and no request to the stand-in unanswered: everything the line caused is printed. */
  private async settle(): Promise<void> {
    for (;;) {
      if (!(await this.idle())) {
        this.note('The app is still working on that; going on.');
        return;
      }
      if (this.options.standIn.pendingRequests === 0) return;
      await this.options.standIn.settled();
    }
  }

  private get width(): number {
    const columns = this.options.output.isTTY ? this.options.output.columns : undefined;
    return Math.max(MIN_WIDTH, Math.min(columns || DEFAULT_WIDTH, MAX_WIDTH)) - INDENT.length;
  }

  private where(message: KeptMessage): string {
    const place =
      message.channel === W.dmChannelId
        ? 'your DM'
        : message.channel.startsWith('D')
          ? `a DM (${message.channel})`
          : `#${this.names.channels[message.channel] ?? message.channel}`;
    return `${place}${message.threadTs ? ', in thread' : ''}`;
  }

  /** Showing a message must never fail the app's call that delivered it. */
  private show(delivery: Delivery): void {
    try {
      this.render(delivery);
    } catch (error) {
      this.note(`This message could not be shown in the terminal (${(error as Error).message}).`);
    }
  }

  private render(delivery: Delivery): void {
    const { color } = this.options;
    const label = (text: string, style: Style = 'bold') => paint(text, style, color);
    switch (delivery.kind) {
      case 'message': {
        const { message, updated } = delivery;
        const marks = [
          message.visibleTo === undefined
            ? ''
            : message.visibleTo === W.userId
              ? ' (only you can see this)'
              : ` (only @${message.visibleTo} can see this)`,
          updated ? ' (updated)' : '',
        ].join('');
        const rendered = renderMessage(message, { width: this.width, color, names: this.names });
        this.write(
          [
            `${label(`${W.botName} in ${this.where(message)}`)}${label(marks, 'dim')}:`,
            ...rendered.lines.map((line) => `${INDENT}${line}`),
          ].join('\n'),
        );
        if (rendered.buttons.length > 0) {
          this.active = { message, buttons: rendered.buttons };
          if (!this.toldHowToClick) {
            this.toldHowToClick = true;
            this.write(label(`${INDENT}(type a button's number or its words to click it)`, 'dim'));
          }
        } else if (this.active && 'message' in this.active && this.active.message === message)
          this.active = undefined;
        break;
      }
      case 'deleted':
        if (this.active && 'message' in this.active && this.active.message === delivery.message)
          this.active = undefined;
        this.write(label(`${W.botName} deleted a message in ${this.where(delivery.message)}.`, 'dim'));
        break;
      case 'home': {
        // The app publishes the Home tab again after each change it shows; like Slack, the terminal shows it only
        // when it is opened (/home).
        if (!this.showingHome) break;
        const rendered = renderMessage(
          { blocks: delivery.blocks },
          { width: this.width, color, names: this.names },
        );
        this.write(
          [
            `${label(`${W.botName}'s Home tab`)}${label(' (published)', 'dim')}:`,
            ...rendered.lines.map((line) => `${INDENT}${line}`),
          ].join('\n'),
        );
        // Its buttons are the ones a number clicks now, until a message with buttons of its own comes.
        if (rendered.buttons.length > 0) this.active = { home: delivery.blocks, buttons: rendered.buttons };
        break;
      }
      case 'unsupported':
        this.note(
          `The app called ${delivery.method}, which the local stand-in for Slack does not offer; it answered {"ok":false,"error":"unknown_method"}.`,
        );
        break;
    }
  }

  private note(text: string): void {
    this.write(paint(`(${text})`, 'dim', this.options.color));
  }

  private write(text: string): void {
    if (!this.outputGone) this.options.output.write(`${text}\n`);
  }
}
