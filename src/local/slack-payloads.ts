import { randomBytes, randomUUID } from 'node:crypto';
import type {
  BasicElementAction,
  BlockAction,
  ButtonAction,
  ConversationsSelectAction,
  EnvelopedEvent,
  MessageShortcut,
  SlashCommand,
} from '@slack/bolt';
import type { AppHomeOpenedEvent, AppMentionEvent, GenericMessageEvent } from '@slack/types';
import { ASK_ADVISOR_SHORTCUT, PM_COMPARE_COMMAND } from '../slack-ids.js';
import type { Block } from './render-blocks.js';
import {
  type KeptMessage,
  messageJson,
  newMessageTs,
  newResponseUrlPath,
  type SlackWorkspace,
} from './slack-workspace.js';

/**
 * Request bodies shaped like the ones Slack sends (as Bolt hands them to listeners), for one workspace: local mode
 * turns what is typed into these, the tests and the bench send them to the app. Every factory takes overrides.
 */

/** Where Slack's response_urls point. */
export const SLACK_HOOKS_URL = 'https://hooks.slack.com';
const VERIFICATION_TOKEN = 'legacy-verification-token';

/** A plain message event (no subtype), as message.im and message.channels deliver it. */
export type MessageEventPayload = Omit<GenericMessageEvent, 'subtype'>;

/** What a click needs besides the element: the message clicked, who clicked, where the app may answer. */
export interface ClickOptions {
  /**
   * The message clicked, as the Slack side keeps it; ephemeral when it has `visibleTo`. By default an ephemeral
   * message from the bot to the person in the workspace's channel (what /pm-compare answers with).
   */
  message?: Partial<KeptMessage> & Pick<KeptMessage, 'channel' | 'ts'>;
  /** Who clicked; the workspace's person by default. */
  user?: string;
  responseUrl?: string;
  actionTs?: string;
}

/** Event ids are unique across runs too: the data file remembers handled ones, so a repeat would be ignored. */
function newEventId(): string {
  return `Ev0${randomBytes(6).toString('hex').toUpperCase()}`;
}

/** The fields of a message event for a message the Slack side keeps (one a person typed). */
export function messageEventFields(
  message: KeptMessage,
): Pick<MessageEventPayload, 'channel' | 'user' | 'text' | 'ts' | 'thread_ts'> {
  return {
    channel: message.channel,
    user: message.user,
    text: message.text,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
  };
}

function triggerId(): string {
  return `${Date.now()}.${Date.now() % 1_000_000}.${randomBytes(16).toString('hex')}`;
}

type Element = NonNullable<Block['elements']>[number];

/** The interactive element with this action_id in some blocks, and the block it is in. */
function findElement(blocks: Block[], actionId: string): { block: Block; element: Element } | undefined {
  for (const block of blocks) {
    const element = [...(block.elements ?? []), ...(block.accessory ? [block.accessory] : [])].find(
      (candidate) => candidate.action_id === actionId,
    );
    if (element) return { block, element };
  }
  return undefined;
}

/** The payload factories for one workspace: `slackPayloads(LOCAL_WORKSPACE).directMessage({ text: 'hi' })`. */
export function slackPayloads(workspace: SlackWorkspace) {
  const W = workspace;
  const channelName = (channel: string) =>
    channel.startsWith('D') ? 'directmessage' : channel === W.channelId ? W.channelName : channel;
  const userName = (user: string) => (user === W.userId ? W.userName : user.toLowerCase());

  /** What a message event carries, whichever event it arrives as; event_ts follows ts. */
  function messageFields(overrides: { ts?: string }) {
    const ts = overrides.ts ?? newMessageTs();
    return { client_msg_id: randomUUID(), user: W.userId, text: '', ts, event_ts: ts, team: W.teamId };
  }

  /** block_actions around one element's action, in the message clicked (the element's block_id found there). */
  function blockActions<A extends BasicElementAction>(
    action: Omit<A, 'block_id' | 'action_ts'> & Partial<BasicElementAction>,
    options: ClickOptions,
  ): BlockAction<A> {
    const user = options.user ?? W.userId;
    const clicked: KeptMessage = {
      user: W.botUserId,
      text: '',
      blocks: [],
      updates: 0,
      ...(options.message ?? { channel: W.channelId, ts: newMessageTs(), visibleTo: user }),
    };
    const ephemeral = clicked.visibleTo !== undefined;
    return {
      type: 'block_actions',
      user: { id: user, username: userName(user), name: userName(user), team_id: W.teamId },
      api_app_id: W.appId,
      token: VERIFICATION_TOKEN,
      container: {
        type: 'message',
        message_ts: clicked.ts,
        channel_id: clicked.channel,
        is_ephemeral: ephemeral,
        ...(clicked.threadTs ? { thread_ts: clicked.threadTs } : {}),
      },
      trigger_id: triggerId(),
      team: { id: W.teamId, domain: W.teamDomain },
      is_enterprise_install: false,
      channel: { id: clicked.channel, name: channelName(clicked.channel) },
      // Slack sends the message itself only when it is not ephemeral.
      ...(ephemeral ? {} : { message: messageJson(W, clicked) }),
      state: { values: {} },
      response_url: options.responseUrl ?? `${SLACK_HOOKS_URL}/actions/${newResponseUrlPath(W)}`,
      actions: [
        {
          block_id:
            findElement(clicked.blocks, action.action_id ?? '')?.block.block_id ??
            randomBytes(3).toString('base64url'),
          action_ts: options.actionTs ?? newMessageTs(),
          ...action,
        } as A,
      ],
    };
  }

  return {
    workspace,

    /** A slash command, as the form fields Slack posts (/pm-compare by default). */
    slashCommand(overrides: Partial<SlashCommand> = {}): SlashCommand {
      const channel = overrides.channel_id ?? W.channelId;
      const user = overrides.user_id ?? W.userId;
      return {
        token: VERIFICATION_TOKEN,
        team_id: W.teamId,
        team_domain: W.teamDomain,
        channel_id: channel,
        channel_name: channelName(channel),
        user_id: user,
        user_name: userName(user),
        command: PM_COMPARE_COMMAND,
        text: '',
        api_app_id: W.appId,
        is_enterprise_install: 'false',
        response_url: `${SLACK_HOOKS_URL}/commands/${newResponseUrlPath(W)}`,
        trigger_id: triggerId(),
        ...overrides,
      };
    },

    /** The Events API envelope around an event. */
    eventCallback<E extends { type: string }>(
      event: E,
      overrides: Partial<EnvelopedEvent<E>> = {},
    ): EnvelopedEvent<E> {
      return {
        token: VERIFICATION_TOKEN,
        team_id: W.teamId,
        context_team_id: W.teamId,
        api_app_id: W.appId,
        event,
        type: 'event_callback',
        event_id: newEventId(),
        event_time: Math.floor(Date.now() / 1000),
        authorizations: [
          {
            enterprise_id: null,
            team_id: W.teamId,
            user_id: W.botUserId,
            is_bot: true,
            is_enterprise_install: false,
          },
        ],
        is_ext_shared_channel: false,
        ...overrides,
      };
    },

    /** message.im: the person wrote to the bot in their DM. */
    directMessage(overrides: Partial<MessageEventPayload> = {}): MessageEventPayload {
      return {
        type: 'message',
        channel_type: 'im',
        channel: W.dmChannelId,
        ...messageFields(overrides),
        ...overrides,
      };
    },

    /** message.channels: a message in the workspace's channel (in a thread with `thread_ts`). */
    channelMessage(overrides: Partial<MessageEventPayload> = {}): MessageEventPayload {
      return {
        type: 'message',
        channel_type: 'channel',
        channel: W.channelId,
        ...messageFields(overrides),
        ...overrides,
      };
    },

    /** app_mention: a channel message that mentions the bot (`<@BOT>` in its text). */
    appMention(overrides: Partial<AppMentionEvent> = {}): AppMentionEvent {
      return {
        type: 'app_mention',
        channel: W.channelId,
        ...messageFields(overrides),
        text: `<@${W.botUserId}>`,
        ...overrides,
      };
    },

    /** app_home_opened: the person opened the bot's Home tab (or, with `tab: 'messages'`, its Messages tab). */
    appHomeOpened(overrides: Partial<AppHomeOpenedEvent> = {}): AppHomeOpenedEvent {
      return {
        type: 'app_home_opened',
        user: W.userId,
        channel: W.dmChannelId,
        tab: 'home',
        event_ts: newMessageTs(),
        ...overrides,
      };
    },

    /** The person clicked a button (by default in an ephemeral message of the bot, in the workspace's channel). */
    buttonClick(
      button: Partial<ButtonAction> & Pick<ButtonAction, 'action_id'>,
      options: ClickOptions = {},
    ): BlockAction<ButtonAction> {
      const found = findElement(options.message?.blocks ?? [], button.action_id);
      const label = typeof found?.element.text === 'object' ? found.element.text.text : undefined;
      return blockActions<ButtonAction>(
        {
          type: 'button',
          text: { type: 'plain_text', text: label ?? 'Button', emoji: true },
          ...(found?.element.value !== undefined ? { value: found.element.value } : {}),
          ...button,
        },
        options,
      );
    },

    /**
     * The person clicked a button in the bot's Home tab (the view as published, `blocks`): a view container, no
     * channel, and no response_url (Slack gives none for a Home tab).
     */
    homeButtonClick(
      button: Partial<ButtonAction> & Pick<ButtonAction, 'action_id'>,
      options: { blocks: Block[]; user?: string },
    ): BlockAction<ButtonAction> {
      const user = options.user ?? W.userId;
      const found = findElement(options.blocks, button.action_id);
      const label = typeof found?.element.text === 'object' ? found.element.text.text : undefined;
      const viewId = `V${randomBytes(5).toString('hex').toUpperCase()}`;
      return {
        type: 'block_actions',
        user: { id: user, username: userName(user), name: userName(user), team_id: W.teamId },
        api_app_id: W.appId,
        token: VERIFICATION_TOKEN,
        container: { type: 'view', view_id: viewId },
        trigger_id: triggerId(),
        team: { id: W.teamId, domain: W.teamDomain },
        is_enterprise_install: false,
        view: { id: viewId, type: 'home', team_id: W.teamId, blocks: options.blocks },
        state: { values: {} },
        actions: [
          {
            type: 'button',
            block_id: found?.block.block_id ?? randomBytes(3).toString('base64url'),
            action_ts: newMessageTs(),
            text: { type: 'plain_text', text: label ?? 'Button', emoji: true },
            ...(found?.element.value !== undefined ? { value: found.element.value } : {}),
            ...button,
          },
        ],
      } as unknown as BlockAction<ButtonAction>;
    },

    /**
     * A message shortcut ("Ask the advisor" by default) used on a message the Slack side keeps, by the workspace's
     * person unless `user` says otherwise.
     */
    messageShortcut(
      message: Pick<KeptMessage, 'channel' | 'ts' | 'text'> & Partial<KeptMessage>,
      options: { user?: string; callbackId?: string; responseUrl?: string } = {},
    ): MessageShortcut {
      const user = options.user ?? W.userId;
      return {
        type: 'message_action',
        callback_id: options.callbackId ?? ASK_ADVISOR_SHORTCUT,
        trigger_id: triggerId(),
        message_ts: message.ts,
        response_url: options.responseUrl ?? `${SLACK_HOOKS_URL}/app/${newResponseUrlPath(W)}`,
        message: {
          type: 'message',
          user: message.user ?? W.userId,
          ts: message.ts,
          text: message.text,
          ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
        },
        user: { id: user, name: userName(user), username: userName(user), team_id: W.teamId },
        channel: { id: message.channel, name: channelName(message.channel) },
        team: { id: W.teamId, domain: W.teamDomain },
        token: VERIFICATION_TOKEN,
        action_ts: newMessageTs(),
        is_enterprise_install: false,
      };
    },

    /** The person picked a conversation in a conversations_select menu. */
    conversationsSelect(
      select: Partial<ConversationsSelectAction> &
        Pick<ConversationsSelectAction, 'action_id' | 'selected_conversation'>,
      options: ClickOptions = {},
    ): BlockAction<ConversationsSelectAction> {
      return blockActions<ConversationsSelectAction>({ type: 'conversations_select', ...select }, options);
    },
  };
}
