import { describe, expect, it } from '@jest/globals';
import nock from 'nock';
import { decodeSlackBody } from '../../src/local/slack-web-api.js';
import {
  appMention,
  BOT_USER_ID,
  channelMessage,
  eventCallback,
  SLACK_API,
  shareOneApp,
  TEST_WORKSPACE,
  unstubbedCallsDuring,
} from '../helpers/slack.js';
import { waitFor } from '../helpers/wait.js';

const W = TEST_WORKSPACE;

/** Intercepts `times` chat.postMessage calls and collects what the app posted. */
function capturePosts(times = 1) {
  const posts: Record<string, unknown>[] = [];
  nock(SLACK_API)
    .post('/api/chat.postMessage', (body) => {
      posts.push(decodeSlackBody(body));
      return true;
    })
    .times(times)
    .reply(200, { ok: true, ts: '1700009999.000100' });
  return posts;
}

let lastTs = 1_700_100_000;
/** A fresh message ts, so each test's threads are its own. */
const newTs = () => `${++lastTs}.000100`;

const mention = (text: string, ts: string, threadTs?: string) =>
  eventCallback(
    appMention({ text: `<@${BOT_USER_ID}> ${text}`, ts, ...(threadTs ? { thread_ts: threadTs } : {}) }),
  );
const reply = (text: string, threadTs: string, overrides: Record<string, unknown> = {}) =>
  eventCallback(
    channelMessage({ text, ts: newTs(), thread_ts: threadTs, user: 'U0COLLEAGUE', ...overrides }),
  );

describe('follow-ups in threads the app answered, over HTTP', () => {
  const slack = shareOneApp();

  /** "@advisor <question>" posted at `ts` and answered in its thread. */
  async function askInChannel(question: string): Promise<string> {
    const ts = newTs();
    const posts = capturePosts();
    await slack.event(mention(question, ts));
    await waitFor(() => posts.length === 1);
    await slack.idle();
    return ts;
  }

  it('answers a reply without a mention as a follow-up, using the question answered before', async () => {
    const thread = await askInChannel('what does an IT PM earn?');
    const posts = capturePosts();
    await slack.event(reply('and for a general PM?', thread));
    await waitFor(() => posts.length === 1);
    const [post] = posts;
    expect(post).toMatchObject({ channel: W.channelId, thread_ts: thread });
    const blocks = JSON.stringify(post?.blocks);
    expect(blocks).toContain('Taking this as: “what does a general PM earn?”');
    expect(blocks).toContain('entry-salary-expectations');
    // Read alone it would have been "what is general PM?": not what was asked.
    expect(blocks).not.toContain('entry-what-is-general-pm');
    await slack.idle();
    // A follow-up of the follow-up builds on it.
    const more = capturePosts();
    await slack.event(reply('do they need to code?', thread));
    await waitFor(() => more.length === 1);
    expect(JSON.stringify(more[0]?.blocks)).toContain('entry-pm-coding-required');
  });

  it('answers a full question in the thread as itself; an unclear one honestly when asked of the app, else not at all', async () => {
    const thread = await askInChannel('what does an IT PM do?');
    const posts = capturePosts(2);
    await slack.event(reply('Do I need an MBA?', thread));
    await waitFor(() => posts.length === 1);
    expect(JSON.stringify(posts[0]?.blocks)).toContain('entry-getting-in-mba');
    expect(JSON.stringify(posts[0]?.blocks)).not.toContain('Taking this as');
    // Among colleagues, "why?" or a question the knowledge has nothing for gets no public "I can't answer that",
    // and nothing of it is stored.
    const unanswered = slack.qaLog.data.unanswered.length;
    expect(
      await unstubbedCallsDuring(async () => {
        await slack.event(reply('why?', thread));
        await slack.event(reply('when is lunch?', thread));
        await slack.event(reply('is it raining?', thread));
      }, slack.idle),
    ).toEqual([]);
    expect(posts).toHaveLength(1);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered);
    // Asked of the app, the same "why?" gets the honest reply.
    await slack.event(mention('why?', newTs(), thread));
    await waitFor(() => posts.length === 2);
    expect(posts[1]?.text).toContain("I can't answer that");
  });

  it('ignores everything else in channels: no Slack call, nothing stored', async () => {
    const thread = await askInChannel('what does an IT PM earn?');
    const answers = Object.keys(slack.qaLog.data.answers).length;
    const unanswered = slack.qaLog.data.unanswered.length;
    const claims = Object.keys(slack.handledEvents.processedEvents).length;
    const unstubbed = await unstubbedCallsDuring(async () => {
      // A top-level message, a thread the app never answered, chatter in the answered thread, a reply to someone
      // else, a bot's and the app's own messages, an edit and a join.
      await slack.event(eventCallback(channelMessage({ text: 'what does an IT PM earn?', ts: newTs() })));
      await slack.event(reply('and for a general PM?', '1600000000.000100'));
      await slack.event(reply('thanks!', thread));
      await slack.event(reply('I think it depends on the company', thread));
      await slack.event(reply('<@U0BOB00001> and for a general PM?', thread));
      await slack.event(reply('and for a general PM?', thread, { bot_id: 'B0OTHER001' }));
      await slack.event(reply('and for a general PM?', thread, { user: BOT_USER_ID }));
      await slack.event(reply('and for a general PM?', thread, { subtype: 'message_changed' }));
      await slack.event(reply('', thread, { subtype: 'channel_join' }));
      await slack.event(
        eventCallback({
          ...channelMessage({ text: 'and for a general PM?', ts: newTs(), thread_ts: thread }),
          channel_type: 'group',
          channel: 'G0PRIVATE01',
        }),
      );
    }, slack.idle);
    expect(unstubbed).toEqual([]);
    expect(Object.keys(slack.qaLog.data.answers).length).toBe(answers);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered);
    expect(Object.keys(slack.handledEvents.processedEvents).length).toBe(claims);
    expect(slack.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('remembers no thread for a mention outside what the advisor covers: replies there stay unread', async () => {
    const thread = await askInChannel("what's the wifi password?");
    expect(Object.keys(slack.qaLog.data.threads).filter((key) => key.endsWith(thread))).toEqual([]);
    expect(
      await unstubbedCallsDuring(() => slack.event(reply('and for a general PM?', thread)), slack.idle),
    ).toEqual([]);
  });

  it("answers a reply also sent to the channel, and one it cannot post in the thread in the asker's DM", async () => {
    const thread = await askInChannel('what does an IT PM earn?');
    const posts = capturePosts();
    await slack.event(reply('and for a general PM?', thread, { subtype: 'thread_broadcast' }));
    await waitFor(() => posts.length === 1);
    expect(posts[0]).toMatchObject({ channel: W.channelId, thread_ts: thread });
    await slack.idle();

    // The thread's channel refuses the post (archived since): the answer goes to the asker's DM, saying why.
    nock(SLACK_API).post('/api/chat.postMessage').reply(200, { ok: false, error: 'is_archived' });
    nock(SLACK_API)
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0COLLEAG01' } });
    const dm = capturePosts();
    await slack.event(reply('do they need to code?', thread));
    await waitFor(() => dm.length === 1);
    expect(dm[0]?.channel).toBe('D0COLLEAG01');
    expect(String(dm[0]?.text)).toContain(`I couldn't post my answer in <#${W.channelId}>`);
    await slack.idle();
  });

  it('answers a mention in a thread once, though it arrives as app_mention and as a channel message', async () => {
    const thread = await askInChannel('what does an IT PM earn?');
    const ts = newTs();
    const text = `<@${BOT_USER_ID}> and for a general PM?`;
    const posts = capturePosts();
    const unstubbed = await unstubbedCallsDuring(async () => {
      await slack.event(eventCallback(appMention({ text, ts, thread_ts: thread })));
      await slack.event(eventCallback(channelMessage({ text, ts, thread_ts: thread })));
    }, slack.idle);
    expect(unstubbed).toEqual([]);
    expect(posts).toHaveLength(1);
    // The mention is read in the thread too.
    expect(JSON.stringify(posts[0]?.blocks)).toContain('entry-salary-expectations');
  });

  it('answers a retried follow-up once, and remembers the thread across a restart', async () => {
    const thread = await askInChannel('do IT PMs need to code?');
    const posts = capturePosts();
    const body = reply('what about for general PMs?', thread);
    await slack.event(body);
    await waitFor(() => posts.length === 1);
    expect(
      await unstubbedCallsDuring(
        () => slack.event(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' }),
        slack.idle,
      ),
    ).toEqual([]);
    await slack.restart();
    const after = capturePosts();
    await slack.event(reply('and for a product owner?', thread));
    await waitFor(() => after.length === 1);
    expect(after[0]?.thread_ts).toBe(thread);
  });
});
