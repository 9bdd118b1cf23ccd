import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Block } from './render-blocks.js';

/** The pretend workspace of local mode: one person, one channel, and their DM with the bot. Ids look like Slack's. */
export const LOCAL_WORKSPACE = {
  teamId: 'T0LOCAL0001',
  teamDomain: 'local',
  teamName: 'Local workspace',
  appId: 'A0LOCAL0001',
  botUserId: 'U0LOCALBOT1',
  botId: 'B0LOCALBOT1',
  botName: 'advisor',
  userId: 'U0LOCALYOU1',
  userName: 'you',
  channelId: 'C0LOCAL0001',
  channelName: 'general',
  dmChannelId: 'D0LOCAL0001',
} as const;

/** A message as the stand-in keeps it, shaped like the `message` objects Slack returns. */
export interface LocalMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** Who wrote it: the bot's or a person's user id. */
  user: string;
  text: string;
  blocks: Block[];
  /** Ephemeral: only this person sees it (chat.postEphemeral, ephemeral responses). */
  visibleTo?: string;
}

/** What the terminal is told to show, in the order Slack would show it. */
export type Delivery =
  | { kind: 'message'; message: LocalMessage; updated: boolean }
  | { kind: 'deleted'; message: LocalMessage }
  | { kind: 'home'; userId: string; blocks: Block[] }
  | { kind: 'unsupported'; method: string };

/** Where a response_url's messages go: the conversation, the person, and the message a button was clicked in. */
export interface ResponseTarget {
  channel: string;
  userId: string;
  source?: LocalMessage;
}

type Params = Record<string, unknown>;
type WebApiResult = Record<string, unknown> & { ok: boolean };

const API_PREFIX = '/api/';
const RESPONSE_PREFIX = '/response/';
/** Web API arguments the client sends as JSON strings inside a form body. */
const JSON_PARAMS = ['blocks', 'attachments', 'view', 'metadata', 'users'];

function parseBody(raw: string, contentType: string | undefined): Params {
  if (raw.length === 0) return {};
  if (contentType?.includes('application/json')) return JSON.parse(raw) as Params;
  const params: Params = Object.fromEntries(new URLSearchParams(raw));
  for (const key of JSON_PARAMS) {
    const value = params[key];
    if (typeof value === 'string' && /^[[{]/.test(value.trim())) params[key] = JSON.parse(value);
  }
  return params;
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const asBlocks = (value: unknown): Block[] => (Array.isArray(value) ? (value as Block[]) : []);

/** Slack gives every block a block_id when the app did not; clicks report it. */
function withBlockIds(blocks: Block[]): Block[] {
  return blocks.map((block) =>
    block.block_id ? block : { ...block, block_id: randomBytes(3).toString('base64url') },
  );
}

function messageJson(message: LocalMessage): Record<string, unknown> {
  return {
    type: 'message',
    user: message.user,
    ...(message.user === LOCAL_WORKSPACE.botUserId ? { bot_id: LOCAL_WORKSPACE.botId } : {}),
    text: message.text,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    blocks: message.blocks,
    team: LOCAL_WORKSPACE.teamId,
  };
}

/**
 * An in-process stand-in for the few Slack Web API methods the app calls, plus response_url endpoints,
 * on 127.0.0.1. The app reaches it through clientOptions.slackApiUrl, exactly as it reaches Slack.
 */
export class SlackApiStandIn {
  private readonly messages = new Map<string, LocalMessage>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly listeners: Array<(delivery: Delivery) => void> = [];
  private readonly waiters: Array<() => void> = [];
  private pending = 0;
  private lastTs = 0;
  private responseCount = 0;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
  ) {}

  /** Starts listening on a random loopback port. */
  static async start(): Promise<SlackApiStandIn> {
    let standIn: SlackApiStandIn | undefined;
    const server = createServer((req, res) => {
      if (standIn) standIn.handle(req, res);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    standIn = new SlackApiStandIn(server, `http://127.0.0.1:${port}`);
    return standIn;
  }

  /** The Web API base URL, for clientOptions.slackApiUrl. */
  get apiUrl(): string {
    return `${this.baseUrl}${API_PREFIX}`;
  }

  /** Requests received and not answered yet. */
  get pendingRequests(): number {
    return this.pending;
  }

  onDelivery(listener: (delivery: Delivery) => void): void {
    this.listeners.push(listener);
  }

  /** Resolves when every request received so far has been answered. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** A new response_url for one command or click, pointing here. */
  createResponseUrl(target: ResponseTarget): string {
    const id = `${LOCAL_WORKSPACE.teamId}/${++this.responseCount}/${randomBytes(8).toString('hex')}`;
    this.responseTargets.set(id, target);
    return `${this.baseUrl}${RESPONSE_PREFIX}${id}`;
  }

  /** A message the person typed: kept like Slack keeps it, with a ts of its own. */
  recordPersonMessage(channel: string, text: string, threadTs?: string): LocalMessage {
    const message: LocalMessage = {
      channel,
      ts: this.nextTs(),
      user: LOCAL_WORKSPACE.userId,
      text,
      blocks: [],
      ...(threadTs ? { threadTs } : {}),
    };
    this.messages.set(message.ts, message);
    return message;
  }

  /** A ts like Slack's ("seconds.micro"), unique and increasing. */
  nextTs(): string {
    const now = Date.now() * 1000;
    this.lastTs = Math.max(now, this.lastTs + 1);
    return `${Math.floor(this.lastTs / 1_000_000)}.${String(this.lastTs % 1_000_000).padStart(6, '0')}`;
  }

  /**
   * A message sent to a response_url: a slash command's ack body goes through here too, so both are shown
   * the way Slack shows them (ephemeral unless response_type is in_channel; replace_original and
   * delete_original act on the message the button was in).
   */
  respond(responseUrl: string, payload: Params): { status: number; body: WebApiResult } {
    const id = responseUrl.startsWith(this.baseUrl)
      ? responseUrl.slice(this.baseUrl.length + RESPONSE_PREFIX.length)
      : responseUrl;
    const target = this.responseTargets.get(id);
    if (!target) return { status: 404, body: { ok: false, error: 'expired_url' } };
    const text = asString(payload.text) ?? '';
    const blocks = asBlocks(payload.blocks);
    const source = target.source ? this.messages.get(target.source.ts) : undefined;
    if (payload.delete_original === true && source) {
      this.messages.delete(source.ts);
      this.emit({ kind: 'deleted', message: source });
      return { status: 200, body: { ok: true } };
    }
    if (!text && blocks.length === 0) return { status: 400, body: { ok: false, error: 'no_text' } };
    if (payload.replace_original === true && source) {
      this.update(source, text, blocks);
      return { status: 200, body: { ok: true } };
    }
    this.post({
      channel: target.channel,
      text,
      blocks,
      threadTs: asString(payload.thread_ts) ?? source?.threadTs,
      visibleTo: payload.response_type === 'in_channel' ? undefined : target.userId,
    });
    return { status: 200, body: { ok: true } };
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private emit(delivery: Delivery): void {
    for (const listener of this.listeners) listener(delivery);
  }

  private post(fields: Omit<LocalMessage, 'ts' | 'user' | 'blocks'> & { blocks: Block[] }): LocalMessage {
    const message: LocalMessage = {
      channel: fields.channel,
      ts: this.nextTs(),
      user: LOCAL_WORKSPACE.botUserId,
      text: fields.text,
      blocks: withBlockIds(fields.blocks),
      ...(fields.threadTs ? { threadTs: fields.threadTs } : {}),
      ...(fields.visibleTo ? { visibleTo: fields.visibleTo } : {}),
    };
    this.messages.set(message.ts, message);
    this.emit({ kind: 'message', message, updated: false });
    return message;
  }

  private update(message: LocalMessage, text: string, blocks: Block[]): void {
    message.text = text;
    message.blocks = withBlockIds(blocks);
    this.emit({ kind: 'message', message, updated: true });
  }

  /** A user id as a channel means "the DM with that person", as chat.postMessage allows. */
  private conversationFor(channel: string): string {
    if (channel === LOCAL_WORKSPACE.userId) return LOCAL_WORKSPACE.dmChannelId;
    if (channel.startsWith('U') || channel.startsWith('W')) return `D${channel.slice(1)}`;
    if (channel === `#${LOCAL_WORKSPACE.channelName}`) return LOCAL_WORKSPACE.channelId;
    return channel;
  }

  private callMethod(method: string, params: Params): WebApiResult {
    const channelParam = asString(params.channel);
    switch (method) {
      case 'auth.test':
        return {
          ok: true,
          url: `https://${LOCAL_WORKSPACE.teamDomain}.slack.com/`,
          team: LOCAL_WORKSPACE.teamName,
          user: LOCAL_WORKSPACE.botName,
          team_id: LOCAL_WORKSPACE.teamId,
          user_id: LOCAL_WORKSPACE.botUserId,
          bot_id: LOCAL_WORKSPACE.botId,
          is_enterprise_install: false,
        };
      case 'chat.postMessage': {
        if (!channelParam) return { ok: false, error: 'channel_not_found' };
        const text = asString(params.text) ?? '';
        const blocks = asBlocks(params.blocks);
        if (!text && blocks.length === 0) return { ok: false, error: 'no_text' };
        const message = this.post({
          channel: this.conversationFor(channelParam),
          text,
          blocks,
          threadTs: asString(params.thread_ts),
        });
        return { ok: true, channel: message.channel, ts: message.ts, message: messageJson(message) };
      }
      case 'chat.postEphemeral': {
        const user = asString(params.user);
        if (!channelParam || !user)
          return { ok: false, error: channelParam ? 'user_not_found' : 'channel_not_found' };
        const message = this.post({
          channel: this.conversationFor(channelParam),
          text: asString(params.text) ?? '',
          blocks: asBlocks(params.blocks),
          threadTs: asString(params.thread_ts),
          visibleTo: user,
        });
        return { ok: true, message_ts: message.ts };
      }
      case 'chat.update': {
        const message = this.messages.get(asString(params.ts) ?? '');
        if (!message || !channelParam || message.channel !== this.conversationFor(channelParam))
          return { ok: false, error: 'message_not_found' };
        if (message.user !== LOCAL_WORKSPACE.botUserId) return { ok: false, error: 'cant_update_message' };
        this.update(
          message,
          asString(params.text) ?? message.text,
          asBlocks(params.blocks ?? message.blocks),
        );
        return {
          ok: true,
          channel: message.channel,
          ts: message.ts,
          text: message.text,
          message: messageJson(message),
        };
      }
      case 'chat.delete': {
        const message = this.messages.get(asString(params.ts) ?? '');
        if (!message) return { ok: false, error: 'message_not_found' };
        this.messages.delete(message.ts);
        this.emit({ kind: 'deleted', message });
        return { ok: true, channel: message.channel, ts: message.ts };
      }
      case 'conversations.open': {
        const raw = params.users;
        const users = Array.isArray(raw) ? raw.map(String) : (asString(raw) ?? '').split(',').filter(Boolean);
        const [user] = users;
        if (!user && !channelParam) return { ok: false, error: 'users_list_not_supplied' };
        return {
          ok: true,
          no_op: true,
          already_open: true,
          channel: { id: this.conversationFor(user ?? channelParam ?? '') },
        };
      }
      case 'views.publish': {
        const view = params.view as { blocks?: unknown } | undefined;
        const userId = asString(params.user_id) ?? LOCAL_WORKSPACE.userId;
        const blocks = withBlockIds(asBlocks(view?.blocks));
        this.emit({ kind: 'home', userId, blocks });
        return {
          ok: true,
          view: {
            id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
            type: 'home',
            blocks,
            team_id: LOCAL_WORKSPACE.teamId,
          },
        };
      }
      default:
        this.emit({ kind: 'unsupported', method });
        return { ok: false, error: 'unknown_method' };
    }
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.pending++;
    res.on('close', () => {
      this.pending--;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    });
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      let status = 200;
      let body: WebApiResult;
      try {
        const params = parseBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
        if (req.method === 'POST' && url.startsWith(API_PREFIX)) {
          body = this.callMethod(url.slice(API_PREFIX.length).split('?')[0] ?? '', params);
        } else if (req.method === 'POST' && url.startsWith(RESPONSE_PREFIX)) {
          ({ status, body } = this.respond(url.slice(RESPONSE_PREFIX.length), params));
        } else {
          status = 404;
          body = { ok: false, error: 'not_found' };
        }
      } catch {
        status = 400;
        body = { ok: false, error: 'invalid_request' };
      }
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  }
}
