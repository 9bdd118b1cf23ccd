import { randomBytes } from 'node:crypto';
import type { Block } from './render-blocks.js';

/**
 * A pretend Slack workspace, for the Slack side that local mode, the tests and the bench put in place of Slack:
 * one person, one channel, and their DM with the bot. Ids look like Slack's.
 */
export interface SlackWorkspace {
  teamId: string;
  teamDomain: string;
  teamName: string;
  appId: string;
  botUserId: string;
  botId: string;
  botName: string;
  /** The person (other people can be named by id). */
  userId: string;
  userName: string;
  channelId: string;
  channelName: string;
  /** The person's DM with the bot. */
  dmChannelId: string;
}

/** The workspace of local mode. */
export const LOCAL_WORKSPACE: SlackWorkspace = {
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
};

/** A message as the Slack side keeps it, shaped like the `message` objects Slack returns. */
export interface KeptMessage {
  channel: string;
  ts: string;
  threadTs?: string;
  /** Who wrote it: the bot's or a person's user id. */
  user: string;
  text: string;
  blocks: Block[];
  /** Ephemeral: only this person sees it (chat.postEphemeral, ephemeral responses). */
  visibleTo?: string;
  /** How many times it was rewritten (chat.update, replace_original). */
  updates: number;
}

let lastTs = 0;

/** A message ts like Slack's ("seconds.micro"), unique and increasing within the process. */
export function newMessageTs(): string {
  lastTs = Math.max(Date.now() * 1000, lastTs + 1);
  return `${Math.floor(lastTs / 1_000_000)}.${String(lastTs % 1_000_000).padStart(6, '0')}`;
}

/** The DM with the bot of the person a user id names ("D…" for "U…"), as chat.postMessage takes a user id. */
export function dmChannelOf(workspace: SlackWorkspace, userId: string): string {
  return userId === workspace.userId ? workspace.dmChannelId : `D${userId.slice(1)}`;
}

/** A message as Slack hands it back (in Web API results and in the clicks on it). */
export function messageJson(workspace: SlackWorkspace, message: KeptMessage) {
  return {
    type: 'message' as const,
    user: message.user,
    ...(message.user === workspace.botUserId ? { bot_id: workspace.botId } : {}),
    text: message.text,
    ts: message.ts,
    ...(message.threadTs ? { thread_ts: message.threadTs } : {}),
    blocks: message.blocks,
    team: workspace.teamId,
  };
}

let responseUrls = 0;

/** Where a response_url points below its host: `T…/<n>/<random>`, unique within the process. */
export function newResponseUrlPath(workspace: SlackWorkspace): string {
  return `${workspace.teamId}/${++responseUrls}/${randomBytes(8).toString('hex')}`;
}
