import { randomBytes, randomUUID } from 'node:crypto';
import type { RenderedButton } from './render-blocks.js';
import { LOCAL_WORKSPACE, type LocalMessage } from './slack-api-stand-in.js';

/** Request bodies shaped like the ones Slack sends (HTTP mode, after Bolt parsed them), for the local workspace. */

const W = LOCAL_WORKSPACE;
const VERIFICATION_TOKEN = 'local-verification-token';

/** Event ids are unique across runs too: the data file remembers handled ones, so a repeat would be ignored. */
export function newEventId(): string {
  return `Ev0${randomBytes(6).toString('hex').toUpperCase()}`;
}

function triggerId(): string {
  return `${Date.now()}.${Date.now() % 1_000_000}.${randomBytes(16).toString('hex')}`;
}

export function channelName(channel: string): string {
  return channel.startsWith('D') ? 'directmessage' : channel === W.channelId ? W.channelName : channel;
}

/** A slash command, as the form fields Slack posts. */
export function slashCommandBody(
  command: string,
  text: string,
  channel: string,
  responseUrl: string,
): Record<string, string> {
  return {
    token: VERIFICATION_TOKEN,
    team_id: W.teamId,
    team_domain: W.teamDomain,
    channel_id: channel,
    channel_name: channelName(channel),
    user_id: W.userId,
    user_name: W.userName,
    command,
    text,
    api_app_id: W.appId,
    is_enterprise_install: 'false',
    response_url: responseUrl,
    trigger_id: triggerId(),
  };
}

/** The Events API envelope around an event. */
export function eventCallbackBody(event: Record<string, unknown>): Record<string, unknown> {
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
  };
}

/** What a message event carries, whichever event it arrives as. */
function messageFields(message: LocalMessage): Record<string, unknown> {
  return {
    client_msg_id: randomUUID(),
    channel: message.channel,
    user: message.user,
    text: message.text,
    ts: message.ts,
    event_ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    team: W.teamId,
  };
}

/** message.im: the person wrote to the bot in their DM. */
export function directMessageEvent(message: LocalMessage): Record<string, unknown> {
  return { type: 'message', channel_type: 'im', ...messageFields(message) };
}

/** app_mention: a channel message that mentions the bot (its text holds `<@BOT>`). */
export function appMentionEvent(message: LocalMessage): Record<string, unknown> {
  return { type: 'app_mention', ...messageFields(message) };
}

export function appHomeOpenedEvent(eventTs: string): Record<string, unknown> {
  return { type: 'app_home_opened', user: W.userId, channel: W.dmChannelId, tab: 'home', event_ts: eventTs };
}

/** block_actions: the person clicked a button in a message. */
export function buttonClickBody(
  button: RenderedButton,
  source: LocalMessage,
  responseUrl: string,
  actionTs: string,
): Record<string, unknown> {
  const ephemeral = source.visibleTo !== undefined;
  return {
    type: 'block_actions',
    user: { id: W.userId, username: W.userName, name: W.userName, team_id: W.teamId },
    api_app_id: W.appId,
    token: VERIFICATION_TOKEN,
    container: {
      type: 'message',
      message_ts: source.ts,
      channel_id: source.channel,
      is_ephemeral: ephemeral,
      ...(source.threadTs ? { thread_ts: source.threadTs } : {}),
    },
    trigger_id: triggerId(),
    team: { id: W.teamId, domain: W.teamDomain },
    enterprise: null,
    is_enterprise_install: false,
    channel: { id: source.channel, name: channelName(source.channel) },
    // Slack sends the message itself only when it is not ephemeral.
    ...(ephemeral
      ? {}
      : {
          message: {
            type: 'message',
            user: source.user,
            ...(source.user === W.botUserId ? { bot_id: W.botId } : {}),
            text: source.text,
            ts: source.ts,
            ...(source.threadTs ? { thread_ts: source.threadTs } : {}),
            blocks: source.blocks,
            team: W.teamId,
          },
        }),
    state: { values: {} },
    response_url: responseUrl,
    actions: [
      {
        type: 'button',
        action_id: button.actionId,
        block_id: button.blockId,
        text: { type: 'plain_text', text: button.label, emoji: true },
        ...(button.value !== undefined ? { value: button.value } : {}),
        ...(button.style ? { style: button.style } : {}),
        ...(button.url ? { url: button.url } : {}),
        action_ts: actionTs,
      },
    ],
  };
}
