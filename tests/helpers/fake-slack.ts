import type { Block, Button, KnownBlock } from '@slack/types';
import nock from 'nock';
import { type ClickOptions, messageEventFields } from '../../src/local/slack-payloads.js';
import { decodeSlackBody, type Params, SlackWebApi } from '../../src/local/slack-web-api.js';
import { dmChannelOf, type KeptMessage } from '../../src/local/slack-workspace.js';
import {
  appHomeOpened,
  buttonClick,
  conversationsSelect,
  directMessage,
  eventCallback,
  homeButtonClick,
  RESPONSE_URL_HOST,
  type RunningApp,
  SLACK_API,
  TEST_WORKSPACE,
} from './slack.js';

/** A message as the fake Slack keeps it: what the app posted (or last updated it to), or what a person wrote. */
export type FakeMessage = KeptMessage;

/** The path below RESPONSE_URL_HOST of the response_urls this Slack side hands out. */
const RESPONSE_PATH = '/actions/';

/**
 * The Slack side of a conversation, for tests that read like the chat:
 * `await chat.dm('help me choose')`, then `await chat.click(question, '2.')`.
 * Every Web API call and response_url post the app makes lands, through nock, in one SlackWebApi: the Slack side
 * local mode uses, which keeps the messages. Nothing reaches the network.
 */
export class FakeSlack {
  /** The Slack side, shared by everyone in the workspace (see person()). */
  readonly api: SlackWebApi;
  /** Every call the app made to Slack, in order (response_url posts as method `response_url`). */
  readonly calls: { method: string; params: Params }[];
  /** The person's DM with the bot. */
  readonly dmChannel: string;
  /** Every Home tab the app published, per user, oldest first (views.publish). */
  readonly homes: Map<string, Block[][]>;

  constructor(
    private slack: RunningApp,
    readonly userId = TEST_WORKSPACE.userId,
    sameWorkspaceAs?: FakeSlack,
  ) {
    this.dmChannel = dmChannelOf(TEST_WORKSPACE, userId);
    if (sameWorkspaceAs) {
      this.api = sameWorkspaceAs.api;
      this.calls = sameWorkspaceAs.calls;
      this.homes = sameWorkspaceAs.homes;
      return;
    }
    this.api = new SlackWebApi(TEST_WORKSPACE, `${RESPONSE_URL_HOST}${RESPONSE_PATH}`);
    const calls: { method: string; params: Params }[] = [];
    this.api.onCall((method, params) => calls.push({ method, params }));
    this.calls = calls;
    const homes = new Map<string, Block[][]>();
    this.api.onDelivery((delivery) => {
      if (delivery.kind === 'home')
        homes.set(delivery.userId, [...(homes.get(delivery.userId) ?? []), delivery.blocks as Block[]]);
    });
    this.homes = homes;
    this.install();
  }

  /** Routes every Web API call and response_url post to the Slack side. */
  private install(): void {
    const api = this.api;
    nock(SLACK_API)
      .persist()
      .post(/^\/api\//)
      .reply((uri, body) => {
        const answer = api.answer(uri.replace(/^\/api\//, ''), decodeSlackBody(body));
        return [answer.status, answer.body, answer.headers];
      });
    nock(RESPONSE_URL_HOST)
      .persist()
      .post((uri) => uri.startsWith(RESPONSE_PATH))
      .reply((uri, body) => {
        const { status, body: result } = api.respond(`${RESPONSE_URL_HOST}${uri}`, decodeSlackBody(body));
        return [status, result];
      });
  }

  /** Someone else in the same workspace, in their own DM with the bot. */
  person(userId: string): FakeSlack {
    return new FakeSlack(this.slack, userId, this);
  }

  /** After a restart, point at the new app instance. */
  use(slack: RunningApp): void {
    this.slack = slack;
  }

  /** What the app posted (or last updated it to), oldest first. */
  get messages(): FakeMessage[] {
    return this.api.messages.filter((message) => message.user === TEST_WORKSPACE.botUserId);
  }

  /** Sends a DM from the person and returns what the bot posted in reply. */
  async dm(text: string): Promise<FakeMessage[]> {
    const message = this.api.recordPersonMessage(this.dmChannel, text, { userId: this.userId });
    return this.replies(() => this.slack.event(eventCallback(directMessage(messageEventFields(message)))));
  }

  /** The buttons of a message (or a Home tab's blocks), in order: in actions blocks and beside sections. */
  static buttons(message: FakeMessage | { blocks: Block[] }): Button[] {
    return (message.blocks as KnownBlock[]).flatMap((block) =>
      block.type === 'actions'
        ? block.elements.filter((element): element is Button => element.type === 'button')
        : block.type === 'section' && block.accessory?.type === 'button'
          ? [block.accessory]
          : [],
    );
  }

  /** The Home tab last published for the person (its blocks); throws when there is none yet. */
  home(): Block[] {
    const home = this.homes.get(this.userId)?.at(-1);
    if (!home) throw new Error(`no Home tab published for ${this.userId}`);
    return home;
  }

  /** How many times the person's Home tab was published. */
  get homePublishes(): number {
    return this.homes.get(this.userId)?.length ?? 0;
  }

  /** The person opens the bot's Home tab; returns what the app published. */
  async openHome(): Promise<Block[]> {
    const before = this.homePublishes;
    await this.slack.event(eventCallback(appHomeOpened({ user: this.userId })));
    await this.slack.idle();
    if (this.homePublishes === before) throw new Error('opening the Home tab published nothing');
    return this.home();
  }

  /** Clicks the first button of the person's current Home tab whose label starts with `label`. */
  async clickHome(label: string): Promise<FakeMessage[]> {
    const blocks = this.home();
    const button = FakeSlack.buttons({ blocks }).find((candidate) => candidate.text.text.startsWith(label));
    if (!button)
      throw new Error(
        `no button "${label}" in the Home tab: ${FakeSlack.buttons({ blocks })
          .map((b) => b.text.text)
          .join(' | ')}`,
      );
    return this.replies(() =>
      this.slack.action(
        homeButtonClick(
          {
            action_id: button.action_id ?? '',
            ...(button.value !== undefined ? { value: button.value } : {}),
          },
          { blocks, user: this.userId },
        ),
      ),
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
    return this.replies(() => this.slack.action(this.clickPayload(message, button, options.userId)));
  }

  /** Picks a conversation in the message's conversations_select menu with this action_id. */
  async pick(message: FakeMessage, actionId: string, conversation: string): Promise<FakeMessage[]> {
    return this.replies(() =>
      this.slack.action(
        conversationsSelect(
          { action_id: actionId, selected_conversation: conversation },
          this.clickedIn(message, this.userId),
        ),
      ),
    );
  }

  /** The request a click on a button of this message sends, with a response_url of its own. */
  clickPayload(message: FakeMessage, button: { action_id?: string; value?: string }, userId = this.userId) {
    return buttonClick(
      { action_id: button.action_id ?? '', ...(button.value !== undefined ? { value: button.value } : {}) },
      this.clickedIn(message, userId),
    );
  }

  last(): FakeMessage {
    const message = this.messages.at(-1);
    if (!message) throw new Error('no messages yet');
    return message;
  }

  private clickedIn(message: FakeMessage, userId: string): ClickOptions {
    return {
      message,
      user: userId,
      responseUrl: this.api.createResponseUrl({ channel: message.channel, userId, source: message }),
    };
  }

  /** What the bot posted while `act` ran and the app finished handling it (messages it deleted meanwhile aside). */
  private async replies(act: () => Promise<unknown>): Promise<FakeMessage[]> {
    const before = new Set(this.messages.map((message) => message.ts));
    await act();
    await this.slack.idle();
    return this.messages.filter((message) => !before.has(message.ts));
  }

  /** Whether Slack still has this message (the app may have deleted it). */
  has(message: FakeMessage): boolean {
    return this.messages.some((kept) => kept.ts === message.ts);
  }

  /** Answers every remaining questionnaire question by clicking the button at the same position; the result. */
  async answerAllWith(position: number): Promise<FakeMessage> {
    for (let guard = 0; guard < 20; guard++) {
      const question = [...this.messages].reverse().find(isQuestion);
      if (!question || question.updates > 0) break;
      const replies = await this.click(question, `${position}.`);
      if (replies.some((reply) => reply.text.startsWith('Your result'))) return this.last();
    }
    throw new Error('the questionnaire did not finish');
  }
}

/** A questionnaire question (its blocks are named question-…). */
export function isQuestion(message: FakeMessage): boolean {
  return message.blocks.some((block) => block.block_id?.startsWith('question-'));
}

/** All the text of a message, blocks included. */
export function textOf(message: FakeMessage): string {
  return `${message.text}\n${JSON.stringify(message.blocks)}`;
}
