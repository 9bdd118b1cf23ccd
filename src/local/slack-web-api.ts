import { randomBytes } from 'node:crypto';
import type { Block } from './render-blocks.js';
import {
  dmChannelOf,
  type KeptMessage,
  messageJson,
  newMessageTs,
  newResponseUrlPath,
  type SlackWorkspace,
} from './slack-workspace.js';

/** What the Slack side shows, in the order Slack would show it. */
export type Delivery =
  | { kind: 'message'; message: KeptMessage; updated: boolean }
  | { kind: 'deleted'; message: KeptMessage }
  | { kind: 'home'; userId: string; blocks: Block[] }
  | { kind: 'unsupported'; method: string };

/** Where a response_url's messages go: the conversation, the person, and the message a button was clicked in. */
export interface ResponseTarget {
  channel: string;
  userId: string;
  source?: KeptMessage;
}

export type Params = Record<string, unknown>;
export type WebApiResult = Record<string, unknown> & { ok: boolean };

/** A Web API call's answer as it travels over HTTP: Slack answers a rate-limited call 429 with a Retry-After. */
export interface WebApiAnswer {
  status: number;
  headers: Record<string, string>;
  body: WebApiResult;
}

/** Web API arguments the client sends as JSON strings inside a form body. */
const JSON_PARAMS = ['blocks', 'attachments', 'view', 'metadata', 'users'];

/**
 * The arguments of a call to Slack, whichever way they came: a form body, a JSON body, or a body an interceptor
 * already parsed; the JSON arguments a form carries as strings are decoded.
 */
export function decodeSlackBody(body: unknown, contentType?: string): Params {
  const params: Params =
    typeof body !== 'string'
      ? { ...(body as Params | undefined) }
      : body.length === 0
        ? {}
        : contentType?.includes('application/json')
          ? (JSON.parse(body) as Params)
          : Object.fromEntries(new URLSearchParams(body));
  for (const key of JSON_PARAMS) {
    const value = params[key];
    if (typeof value === 'string' && /^[[{]/.test(value.trim())) params[key] = JSON.parse(value);
  }
  return params;
}

/** What auth.test answers with the bot's token: who the bot is, in which workspace. */
export function authTestResult(workspace: SlackWorkspace): WebApiResult {
  return {
    ok: true,
    url: `https://${workspace.teamDomain}.slack.com/`,
    team: workspace.teamName,
    user: workspace.botName,
    team_id: workspace.teamId,
    user_id: workspace.botUserId,
    bot_id: workspace.botId,
    is_enterprise_install: false,
  };
}

const asString = (value: unknown): string | undefined => (typeof value === 'string' ? value : undefined);
const asBlocks = (value: unknown): Block[] => (Array.isArray(value) ? (value as Block[]) : []);

/** Slack gives every block a block_id when the app did not; clicks report it. */
function withBlockIds(blocks: Block[]): Block[] {
  return blocks.map((block) =>
    block.block_id ? block : { ...block, block_id: randomBytes(3).toString('base64url') },
  );
}

/**
 * The Slack side of the few Web API methods the app calls (auth.test, chat.postMessage, chat.update,
 * chat.postEphemeral, chat.delete, conversations.open, views.publish, assistant.threads.setSuggestedPrompts and
 * setStatus, and oauth.v2.access for an install, with the
 * codes its authorize page hands out: issueInstallCode) and of response_urls, as plain state: it
 * keeps the messages and numbers them as Slack does. No transport: the loopback stand-in (local mode, the bench)
 * and the tests' nock interceptors hand it the calls.
 */
export class SlackWebApi {
  private readonly kept = new Map<string, KeptMessage>();
  private readonly responseTargets = new Map<string, ResponseTarget>();
  private readonly deliveryListeners: Array<(delivery: Delivery) => void> = [];
  private readonly callListeners: Array<(method: string, params: Params) => void> = [];
  private readonly failures = new Map<string, string[]>();
  /**
   * Install codes handed out and not exchanged yet (oauth.v2.access takes each once), with the scopes granted and,
   * for an org-wide (Enterprise Grid) install, the organisation.
   */
  private readonly installCodes = new Map<string, { scope: string; enterpriseId?: string }>();
  /** Bot tokens handed out by oauth.v2.access. */
  readonly issuedTokens: string[] = [];
  /** Rate-limited conversations: their Retry-After (seconds), and how many calls were refused. */
  private readonly rateLimits = new Map<string, { retryAfterSeconds: number; refused: number }>();

  constructor(
    readonly workspace: SlackWorkspace,
    /** Where the response_urls it hands out point, up to the id (what the transport routes to respond()). */
    private readonly responseUrlBase: string,
  ) {}

  /** Every message kept, oldest first (person and bot alike; deleted ones are gone). */
  get messages(): KeptMessage[] {
    return [...this.kept.values()];
  }

  onDelivery(listener: (delivery: Delivery) => void): void {
    this.deliveryListeners.push(listener);
  }

  /** Hears every call, response_url posts included (as method `response_url`), before it is answered. */
  onCall(listener: (method: string, params: Params) => void): void {
    this.callListeners.push(listener);
  }

  /** The next call of `method` fails with this Slack error (`{ ok: false, error }`). */
  failNext(method: string, error: string): void {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
  }

  /**
   * Every Web API call for `channel` (chat.postMessage, chat.update, chat.postEphemeral, chat.delete…) is answered
   * HTTP 429 with `Retry-After: retryAfterSeconds`, and not carried out, until `liftRateLimit`; other conversations
   * are answered as usual. Takes effect through `answer()`, which the HTTP transports use.
   */
  rateLimit(channel: string, retryAfterSeconds: number): void {
    const refused = this.rateLimits.get(this.conversationFor(channel))?.refused ?? 0;
    this.rateLimits.set(this.conversationFor(channel), { retryAfterSeconds, refused });
  }

  liftRateLimit(channel: string): void {
    this.rateLimits.delete(this.conversationFor(channel));
  }

  /** How many calls for `channel` were answered 429 since it was rate-limited. */
  rateLimitedCalls(channel: string): number {
    return this.rateLimits.get(this.conversationFor(channel))?.refused ?? 0;
  }

  /**
   * What Slack's authorize page does once the person allows the install: a one-time code, which the app's OAuth
   * redirect exchanges for the workspace's bot token (oauth.v2.access).
   */
  issueInstallCode(scope = '', options: { orgWide?: { enterpriseId: string } } = {}): string {
    const code = `${this.workspace.teamId}.${randomBytes(8).toString('hex')}`;
    this.installCodes.set(code, {
      scope,
      ...(options.orgWide ? { enterpriseId: options.orgWide.enterpriseId } : {}),
    });
    return code;
  }

  /** A new response_url for one command or click. */
  createResponseUrl(target: ResponseTarget): string {
    const id = newResponseUrlPath(this.workspace);
    this.responseTargets.set(id, target);
    return `${this.responseUrlBase}${id}`;
  }

  /** A message a person wrote: kept like Slack keeps it, with a ts of its own. */
  recordPersonMessage(
    channel: string,
    text: string,
    options: { threadTs?: string; userId?: string } = {},
  ): KeptMessage {
    const message: KeptMessage = {
      channel,
      ts: newMessageTs(),
      user: options.userId ?? this.workspace.userId,
      text,
      blocks: [],
      updates: 0,
      ...(options.threadTs ? { threadTs: options.threadTs } : {}),
    };
    this.kept.set(message.ts, message);
    return message;
  }

  /**
   * A message sent to a response_url: a slash command's ack body goes through here too, so both are shown
   * the way Slack shows them (ephemeral unless response_type is in_channel; replace_original and
   * delete_original act on the message the button was in).
   */
  respond(responseUrl: string, payload: Params): { status: number; body: WebApiResult } {
    for (const listener of this.callListeners) listener('response_url', payload);
    const id = responseUrl.startsWith(this.responseUrlBase)
      ? responseUrl.slice(this.responseUrlBase.length)
      : responseUrl;
    const target = this.responseTargets.get(id);
    if (!target) return { status: 404, body: { ok: false, error: 'expired_url' } };
    const text = asString(payload.text) ?? '';
    const blocks = asBlocks(payload.blocks);
    const source = target.source ? this.kept.get(target.source.ts) : undefined;
    if (payload.delete_original === true && source) {
      this.kept.delete(source.ts);
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

  /** One Web API call, answered as Slack answers it. */
  call(method: string, params: Params): WebApiResult {
    for (const listener of this.callListeners) listener(method, params);
    return this.perform(method, params);
  }

  /** One Web API call as Slack answers it over HTTP: 429 for a rate-limited conversation, else 200 and the result. */
  answer(method: string, params: Params, token?: string): WebApiAnswer {
    for (const listener of this.callListeners) listener(method, params);
    const channel = asString(params.channel);
    const limit = channel === undefined ? undefined : this.rateLimits.get(this.conversationFor(channel));
    if (limit) {
      limit.refused++;
      return {
        status: 429,
        headers: { 'retry-after': String(limit.retryAfterSeconds) },
        body: { ok: false, error: 'ratelimited' },
      };
    }
    return { status: 200, headers: {}, body: this.perform(method, params, token) };
  }

  private perform(method: string, params: Params, token?: string): WebApiResult {
    const failure = this.failures.get(method)?.shift();
    if (failure) return { ok: false, error: failure };
    const W = this.workspace;
    const channelParam = asString(params.channel);
    switch (method) {
      case 'auth.test':
        return authTestResult(W);
      case 'oauth.v2.access': {
        const code = asString(params.code) ?? '';
        const grant = this.installCodes.get(code);
        if (grant === undefined) return { ok: false, error: 'invalid_code' };
        this.installCodes.delete(code);
        if (!asString(params.client_id) || !asString(params.client_secret))
          return { ok: false, error: 'invalid_client_id' };
        const token = `xoxb-${W.teamId}-${randomBytes(12).toString('hex')}`;
        this.issuedTokens.push(token);
        // An org-wide install has the organisation and no workspace (Slack's oauth.v2.access reference).
        const orgWide = grant.enterpriseId !== undefined;
        return {
          ok: true,
          app_id: W.appId,
          authed_user: { id: W.userId },
          scope: grant.scope,
          token_type: 'bot',
          access_token: token,
          bot_user_id: W.botUserId,
          team: orgWide ? null : { id: W.teamId, name: W.teamName },
          enterprise: orgWide ? { id: grant.enterpriseId, name: 'Org' } : null,
          is_enterprise_install: orgWide,
        };
      }
      case 'auth.revoke': {
        // The caller's own token (the Authorization header): calls with it fail from now on.
        const index = token === undefined ? -1 : this.issuedTokens.indexOf(token);
        if (index < 0) return { ok: false, error: 'invalid_auth' };
        this.issuedTokens.splice(index, 1);
        return { ok: true, revoked: true };
      }
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
        return { ok: true, channel: message.channel, ts: message.ts, message: messageJson(W, message) };
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
        const message = this.kept.get(asString(params.ts) ?? '');
        if (!message || !channelParam || message.channel !== this.conversationFor(channelParam))
          return { ok: false, error: 'message_not_found' };
        if (message.user !== W.botUserId) return { ok: false, error: 'cant_update_message' };
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
          message: messageJson(W, message),
        };
      }
      case 'chat.delete': {
        const message = this.kept.get(asString(params.ts) ?? '');
        if (!message) return { ok: false, error: 'message_not_found' };
        this.kept.delete(message.ts);
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
        const userId = asString(params.user_id) ?? W.userId;
        const blocks = withBlockIds(asBlocks(view?.blocks));
        this.emit({ kind: 'home', userId, blocks });
        return {
          ok: true,
          view: {
            id: `V${randomBytes(5).toString('hex').toUpperCase()}`,
            type: 'home',
            blocks,
            team_id: W.teamId,
          },
        };
      }
      // The agent surface (the Messages tab): accepted, nothing to show in a transcript.
      case 'assistant.threads.setSuggestedPrompts': {
        const channel = asString(params.channel_id);
        if (!channel) return { ok: false, error: 'channel_not_found' };
        if (params.thread_ts !== undefined) return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      }
      case 'assistant.threads.setStatus':
        if (!asString(params.channel_id)) return { ok: false, error: 'channel_not_found' };
        if (!asString(params.thread_ts)) return { ok: false, error: 'invalid_arguments' };
        return { ok: true };
      default:
        this.emit({ kind: 'unsupported', method });
        return { ok: false, error: 'unknown_method' };
    }
  }

  private emit(delivery: Delivery): void {
    for (const listener of this.deliveryListeners) listener(delivery);
  }

  private post(
    fields: Pick<KeptMessage, 'channel' | 'text' | 'blocks' | 'threadTs' | 'visibleTo'>,
  ): KeptMessage {
    const message: KeptMessage = {
      channel: fields.channel,
      ts: newMessageTs(),
      user: this.workspace.botUserId,
      text: fields.text,
      blocks: withBlockIds(fields.blocks),
      updates: 0,
      ...(fields.threadTs ? { threadTs: fields.threadTs } : {}),
      ...(fields.visibleTo ? { visibleTo: fields.visibleTo } : {}),
    };
    this.kept.set(message.ts, message);
    this.emit({ kind: 'message', message, updated: false });
    return message;
  }

  private update(message: KeptMessage, text: string, blocks: Block[]): void {
    message.text = text;
    message.blocks = withBlockIds(blocks);
    message.updates++;
    this.emit({ kind: 'message', message, updated: true });
  }

  /** A user id as a channel means "the DM with that person", as chat.postMessage allows. */
  private conversationFor(channel: string): string {
    if (channel.startsWith('U') || channel.startsWith('W')) return dmChannelOf(this.workspace, channel);
    if (channel === `#${this.workspace.channelName}`) return this.workspace.channelId;
    return channel;
  }
}
