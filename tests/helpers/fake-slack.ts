import type { Button, KnownBlock } from '@slack/types';
import nock from 'nock';
import {
  decodeSlackBody,
  eventCallback,
  RESPONSE_URL_HOST,
  type RunningApp,
  SLACK_API,
  TEAM_ID,
} from './slack.js';

/** A message as the fake Slack holds it: what the app posted (or last updated it to). */
export interface FakeMessage {
  channel: string;
  ts: string;
  text: string;
  blocks: KnownBlock[];
  /** True when it came through a response_url as an ephemeral reply. */
  ephemeral: boolean;
  /** How many times chat.update rewrote it. */
  updates: number;
}

/**
 * The Slack side of a conversation, for tests that read like the chat:
 * `await chat.dm('help me choose')`, then `await chat.click(question, '2.')`.
 * Every Web API call the app makes lands here through nock; nothing reaches the network.
 */
let helpersCreated = 0;

export class FakeSlack {
  readonly messages: FakeMessage[] = [];
  readonly calls: { method: string; body: Record<string, unknown> }[] = [];
  private nextTs = 1_700_000_000;
  private events = 0;
  /** Tells this helper's event ids from those of earlier helpers for the same person. */
  private readonly instance = ++helpersCreated;
  /** Make the next chat.postMessage to a channel fail with this Slack error. */
  failNextPostWith: string | undefined;

  constructor(
    private slack: RunningApp,
    readonly userId = 'U0PERSON001',
    readonly dmChannel = 'D0PERSON001',
  ) {
    this.install();
  }

  /** After a restart, point at the new app instance. */
  use(slack: RunningApp): void {
    this.slack = slack;
  }

  private newTs(): string {
    this.nextTs += 1;
    return `${this.nextTs}.000100`;
  }

  install(): void {
    nock(SLACK_API)
      .persist()
      .post(/\/api\/.*/)
      .reply((uri, rawBody) => {
        const method = uri.replace('/api/', '');
        const body = decodeSlackBody(rawBody);
        this.calls.push({ method, body });
        if (method === 'conversations.open') return [200, { ok: true, channel: { id: this.dmChannel } }];
        if (method === 'chat.postMessage') {
          if (this.failNextPostWith) {
            const error = this.failNextPostWith;
            this.failNextPostWith = undefined;
            return [200, { ok: false, error }];
          }
          const message = this.store(String(body.channel), body, false);
          return [200, { ok: true, channel: message.channel, ts: message.ts }];
        }
        if (method === 'chat.update') {
          const message = this.messages.find((m) => m.channel === body.channel && m.ts === body.ts);
          if (!message) return [200, { ok: false, error: 'message_not_found' }];
          message.text = String(body.text ?? '');
          message.blocks = (body.blocks as KnownBlock[]) ?? [];
          message.updates++;
          return [200, { ok: true, channel: message.channel, ts: message.ts }];
        }
        return [200, { ok: true }];
      });
    nock(RESPONSE_URL_HOST)
      .persist()
      .post(/.*/)
      .reply((_uri, rawBody) => {
        const body = decodeSlackBody(rawBody);
        this.calls.push({ method: 'response_url', body });
        this.store(this.dmChannel, body, body.response_type !== 'in_channel');
        return [200, { ok: true }];
      });
  }

  private store(channel: string, body: Record<string, unknown>, ephemeral: boolean): FakeMessage {
    const message: FakeMessage = {
      channel,
      ts: this.newTs(),
      text: String(body.text ?? ''),
      blocks: (body.blocks as KnownBlock[]) ?? [],
      ephemeral,
      updates: 0,
    };
    this.messages.push(message);
    return message;
  }

  /** Sends a DM from the person and returns what the bot posted in reply. */
  async dm(text: string): Promise<FakeMessage[]> {
    const before = this.messages.length;
    this.events++;
    await this.slack.event(
      eventCallback(
        {
          type: 'message',
          channel: this.dmChannel,
          channel_type: 'im',
          user: this.userId,
          text,
          ts: this.newTs(),
        },
        // Unique per person, conversation helper and message: the app drops any event id it has seen before.
        `Ev0DM${this.userId}${this.instance}x${String(this.events).padStart(7, '0')}`,
      ),
    );
    await this.slack.idle();
    return this.messages.slice(before);
  }

  /** The buttons of a message, in order. */
  static buttons(message: FakeMessage): Button[] {
    return message.blocks.flatMap((block) =>
      block.type === 'actions'
        ? block.elements.filter((element): element is Button => element.type === 'button')
        : [],
    );
  }

  /** Clicks the first button whose label starts with `label`; returns what the bot posted in reply. */
  async click(
    message: FakeMessage,
    label: string,
    options: { userId?: string } = {},
  ): Promise<FakeMessage[]> {
    const button = FakeSlack.buttons(message).find((candidate) => candidate.text.text.startsWith(label));
    if (!button)
      throw new Error(
        `no button "${label}" in: ${FakeSlack.buttons(message)
          .map((b) => b.text.text)
          .join(' | ')}`,
      );
    return this.clickButton(message, button, options);
  }

  async clickButton(
    message: FakeMessage,
    button: Button,
    options: { userId?: string } = {},
  ): Promise<FakeMessage[]> {
    const before = this.messages.length;
    await this.slack.action(this.actionPayload(message, button, options.userId ?? this.userId));
    await this.slack.idle();
    return this.messages.slice(before);
  }

  actionPayload(
    message: FakeMessage,
    element: { action_id?: string; value?: string },
    userId: string,
    extra = {},
  ) {
    return {
      type: 'block_actions',
      team: { id: TEAM_ID, domain: 'testteam' },
      user: { id: userId, username: 'alex', team_id: TEAM_ID },
      api_app_id: 'A0APP00001',
      token: 'legacy-verification-token',
      container: {
        type: 'message',
        message_ts: message.ts,
        channel_id: message.channel,
        is_ephemeral: message.ephemeral,
      },
      trigger_id: '1234.5678.abcdef',
      channel: { id: message.channel, name: 'directmessage' },
      message: { ts: message.ts, text: message.text, blocks: message.blocks },
      response_url: `${RESPONSE_URL_HOST}/actions/${TEAM_ID}/1/${message.ts}`,
      actions: [
        {
          type: 'button',
          action_id: element.action_id,
          block_id: 'b',
          value: element.value,
          action_ts: '1700000001.000200',
          ...extra,
        },
      ],
    };
  }

  last(): FakeMessage {
    const message = this.messages.at(-1);
    if (!message) throw new Error('no messages yet');
    return message;
  }
}

/** All the text of a message, blocks included. */
export function textOf(message: FakeMessage): string {
  return `${message.text}\n${JSON.stringify(message.blocks)}`;
}
