import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { QA_SHARE_CHANNEL_ACTION, QA_SHARE_THREAD_ACTION } from '../../src/slack-ids.js';
import { type FakeMessage, FakeSlack, textOf } from '../helpers/fake-slack.js';
import {
  closeNetwork,
  messageShortcut,
  type RunningApp,
  startApp,
  TEST_WORKSPACE,
} from '../helpers/slack.js';

const W = TEST_WORKSPACE;

function buttonIds(message: FakeMessage): string[] {
  return FakeSlack.buttons(message).map((button) => button.action_id ?? '');
}

describe('private answers over HTTP: the "Ask the advisor" shortcut and /pm-compare <question>', () => {
  let slack: RunningApp;
  let chat: FakeSlack;
  beforeAll(async () => {
    closeNetwork();
    slack = await startApp();
  });
  beforeEach(() => {
    chat = new FakeSlack(slack);
  });
  afterEach(() => nock.cleanAll());
  afterAll(async () => {
    await slack.stop();
    nock.enableNetConnect();
  });

  /** Someone's message in the channel, and the shortcut used on it by the workspace's person. */
  async function askAbout(text: string, options: { threadTs?: string; user?: string } = {}) {
    const message = chat.api.recordPersonMessage(W.channelId, text, {
      userId: 'U0COLLEAGUE',
      ...(options.threadTs ? { threadTs: options.threadTs } : {}),
    });
    const before = chat.messages.length;
    const response = await slack.action(messageShortcut(message, options.user ? { user: options.user } : {}));
    expect(response.status).toBe(200);
    await slack.idle();
    return { message, replies: chat.messages.slice(before) };
  }

  it('answers a message privately, in its channel, to the person who used the shortcut, with "Share in thread"', async () => {
    const { message, replies } = await askAbout('Does anyone know if IT PMs need to code?');
    expect(replies).toHaveLength(1);
    const [reply] = replies;
    expect(reply).toMatchObject({ channel: W.channelId, visibleTo: W.userId });
    expect(reply?.threadTs).toBeUndefined();
    expect(textOf(reply as FakeMessage)).toContain('entry-technical-background-coding');
    expect(buttonIds(reply as FakeMessage)).toContain(QA_SHARE_THREAD_ACTION);

    const shared = await chat.click(reply as FakeMessage, 'Share in thread');
    expect(shared).toHaveLength(1);
    expect(shared[0]).toMatchObject({ channel: W.channelId, threadTs: message.ts });
    expect(shared[0]?.visibleTo).toBeUndefined();
    // The sharer asked about a colleague's message: credited with asking, not with the colleague's words.
    expect(textOf(shared[0] as FakeMessage)).toContain(
      `<@${W.userId}> asked the advisor about this message.`,
    );
    expect(textOf(shared[0] as FakeMessage)).not.toContain(`“${message.text}”`);
    expect(textOf(shared[0] as FakeMessage)).toContain('entry-technical-background-coding');
    expect(buttonIds(shared[0] as FakeMessage)).not.toContain(QA_SHARE_THREAD_ACTION);

    // A second click posts nothing more; the clicker is told.
    const again = await chat.click(reply as FakeMessage, 'Share in thread');
    expect(again.map((posted) => [posted.visibleTo, posted.text])).toEqual([
      [W.userId, 'Already shared in this thread.'],
    ]);
  });

  it('answers a reply in a thread in that thread, and shares it there', async () => {
    const { replies } = await askAbout('which one deals more with pricing?', {
      threadTs: '1700000000.000900',
    });
    expect(replies[0]).toMatchObject({ threadTs: '1700000000.000900', visibleTo: W.userId });
    const shared = await chat.click(replies[0] as FakeMessage, 'Share in thread');
    expect(shared[0]).toMatchObject({ threadTs: '1700000000.000900' });
  });

  it('says honestly when it cannot answer, without a share button', async () => {
    const { replies } = await askAbout('how do I write a PRD that engineers actually read?');
    expect(replies[0]?.text).toContain("I can't answer that");
    expect(buttonIds(replies[0] as FakeMessage)).not.toContain(QA_SHARE_THREAD_ACTION);
  });

  it('falls back to a DM when it cannot post in the channel, saying why', async () => {
    chat.api.failNext('chat.postEphemeral', 'channel_not_found');
    const { replies } = await askAbout('Do IT PMs need to code?');
    expect(replies).toHaveLength(1);
    expect(replies[0]?.channel).toBe(chat.dmChannel);
    expect(replies[0]?.text).toContain(`I couldn't answer you privately in <#${W.channelId}>`);
    expect(textOf(replies[0] as FakeMessage)).toContain('entry-technical-background-coding');
    expect(buttonIds(replies[0] as FakeMessage)).not.toContain(QA_SHARE_THREAD_ACTION);
  });

  it('tells the person when the app may not post the shared answer in the thread', async () => {
    const { replies } = await askAbout('Do IT PMs need to code?');
    chat.api.failNext('chat.postMessage', 'not_in_channel');
    const told = await chat.click(replies[0] as FakeMessage, 'Share in thread');
    expect(told).toHaveLength(1);
    expect(told[0]).toMatchObject({ visibleTo: W.userId });
    expect(told[0]?.text).toContain("I can't post in this channel");
  });

  /** /pm-compare with this text, its response_url answered by the fake Slack; what the person sees. */
  async function pmCompare(text: string): Promise<{ acked: string; shown: FakeMessage[] }> {
    const before = chat.messages.length;
    const responseUrl = chat.api.createResponseUrl({ channel: W.channelId, userId: W.userId });
    const response = await slack.command(text, { response_url: responseUrl });
    expect(response.status).toBe(200);
    // An ack with a body is shown as Slack shows it: through the same Slack side.
    if (response.text) chat.api.respond(responseUrl, response.json());
    await slack.idle();
    return { acked: response.text, shown: chat.messages.slice(before) };
  }

  it('/pm-compare <question> answers privately through the response_url, with "Share in channel"', async () => {
    const { acked, shown } = await pmCompare('do I need an MBA to become a product manager?');
    expect(acked).toBe('');
    expect(shown).toHaveLength(1);
    expect(shown[0]).toMatchObject({ channel: W.channelId, visibleTo: W.userId });
    expect(textOf(shown[0] as FakeMessage)).toContain('entry-getting-in-mba');
    expect(buttonIds(shown[0] as FakeMessage)).toContain(QA_SHARE_CHANNEL_ACTION);

    const shared = await chat.click(shown[0] as FakeMessage, 'Share in channel');
    expect(shared).toHaveLength(1);
    expect(shared[0]?.visibleTo).toBeUndefined();
    expect(shared[0]?.channel).toBe(W.channelId);
    expect(textOf(shared[0] as FakeMessage)).toContain(`<@${W.userId}> asked the advisor`);
    expect(textOf(shared[0] as FakeMessage)).toContain('entry-getting-in-mba');
  });

  it('/pm-compare salary answers the pay question between the two paths, saying how it read it', async () => {
    const { acked, shown } = await pmCompare('salary');
    expect(JSON.parse(acked)).toMatchObject({ response_type: 'ephemeral' });
    const text = textOf(shown[0] as FakeMessage);
    expect(text).not.toContain("didn't understand");
    expect(text).toContain('entry-it-pm-vs-general-pm-pay');
    expect(text).toContain('Taking this as: “salary, IT PM or General PM?”');
    expect(buttonIds(shown[0] as FakeMessage)).toContain(QA_SHARE_CHANNEL_ACTION);
  });

  it('/pm-compare <a question it cannot answer> says so honestly, privately, with nothing to share', async () => {
    const { shown } = await pmCompare('how do I write a PRD that engineers actually read?');
    expect(shown[0]?.text).toContain("I can't answer that");
    expect(buttonIds(shown[0] as FakeMessage)).not.toContain(QA_SHARE_CHANNEL_ACTION);
    expect(slack.qaLog.data.unanswered.at(-1)?.question).toBe(
      'how do I write a PRD that engineers actually read?',
    );
  });

  it('/pm-compare keeps its dimensions, roles and "didn\'t understand" for what is no question', async () => {
    const skills = await pmCompare('skills');
    expect(textOf(skills.shown[0] as FakeMessage)).toContain('Skills');
    const nonsense = await pmCompare('zzzz qqqq');
    expect(nonsense.shown[0]?.text).toContain("didn't understand");
  });
});
