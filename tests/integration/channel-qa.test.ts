import { readFile } from 'node:fs/promises';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { AppMentionEvent } from '@slack/types';
import nock from 'nock';
import { decodeSlackBody } from '../../src/local/slack-web-api.js';
import {
  FORGET_CANCEL_ACTION,
  FORGET_CONFIRM_ACTION,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
  QUESTIONNAIRE_START_ACTION,
} from '../../src/slack-ids.js';
import { eventsFileFor } from '../../src/store/handled-events.js';
import { journalPathFor } from '../../src/store/journal-file.js';
import { QaLogFile } from '../../src/store/qa-log.js';
import {
  appMention,
  BOT_USER_ID,
  buttonClick,
  captureResponseUrl,
  eventCallback,
  PUBLIC_MESSAGE,
  SLACK_API,
  shareOneApp,
} from '../helpers/slack.js';
import { waitFor } from '../helpers/wait.js';

function mention(text: string, overrides: Partial<AppMentionEvent> = {}) {
  return appMention({ text: `<@${BOT_USER_ID}> ${text}`, ts: '1700000100.000100', ...overrides });
}

/** Intercepts chat.postMessage (or `method`) and collects what the app posted (form or JSON body, blocks decoded). */
function capturePosts(
  times = 1,
  reply: Record<string, unknown> = { ok: true, ts: '1700000200.000200' },
  method = 'chat.postMessage',
) {
  const posts: Record<string, unknown>[] = [];
  nock(SLACK_API)
    .post(`/api/${method}`, (body) => {
      posts.push(decodeSlackBody(body));
      return true;
    })
    .times(times)
    .reply(200, reply);
  return posts;
}

describe('channel Q&A over HTTP', () => {
  const slack = shareOneApp({ config: { slackApiRetries: 1 } });

  it('answers a mention in its thread from the knowledge store: the verdict first, one source line, feedback', async () => {
    const posts = capturePosts();
    const response = await slack.event(
      eventCallback(mention('do I need to code to be an IT product manager?')),
    );
    expect(response.status).toBe(200);
    await waitFor(() => posts.length === 1);
    const [post] = posts;
    expect(post).toMatchObject({ channel: 'C0CHANNEL01', thread_ts: '1700000100.000100' });
    const entry = slack.knowledge.entriesById.get('technical-background-coding');
    expect(post?.text).toBe(`${entry?.verdict}. ${entry?.body}`);
    const blocks = JSON.stringify(post?.blocks);
    expect(blocks).toContain(`*${entry?.verdict}.* `);
    expect(blocks.match(/Sources?: /g)).toHaveLength(1);
    expect(blocks).not.toContain('knowledge entry');
    expect(blocks).toContain(QA_HELPFUL_ACTION);
    expect(blocks).toContain(QA_RELATED_ACTION.prefix);
    expect(Object.values(slack.qaLog.data.answers).at(-1)?.entryIds).toEqual(['technical-background-coding']);
  });

  it('answers a covered basic ("what does an IT PM do?") instead of declining it', async () => {
    const posts = capturePosts();
    await slack.event(eventCallback(mention('hey, what does an IT PM actually do?')));
    await waitFor(() => posts.length === 1);
    expect(posts[0]?.text).toBe(slack.knowledge.entriesById.get('it-pm-duties')?.body);
  });

  it('answers the covered part of a multi-part question and names the part it cannot answer', async () => {
    const posts = capturePosts();
    const unanswered = slack.qaLog.data.unanswered.length;
    await slack.event(
      eventCallback(
        mention("I'm a QA engineer. What does an IT PM do, and how much do they earn in Berlin?"),
      ),
    );
    await waitFor(() => posts.length === 1);
    const blocks = JSON.stringify(posts[0]?.blocks);
    expect(blocks).toContain('entry-it-pm-duties');
    expect(blocks).toContain("I can't answer this part yet: “how much do they earn in Berlin?”");
    expect(Object.values(slack.qaLog.data.answers).at(-1)?.entryIds).toEqual(['it-pm-duties']);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered + 1);
    expect(slack.qaLog.data.unanswered.at(-1)?.question).toBe('how much do they earn in Berlin?');
  });

  it('offers the questionnaire next to the answer when someone asks which path to choose', async () => {
    const posts = capturePosts();
    await slack.event(eventCallback(mention('IT PM or PM, which one should I choose?')));
    await waitFor(() => posts.length === 1);
    const blocks = JSON.stringify(posts[0]?.blocks);
    expect(blocks).toContain(QUESTIONNAIRE_START_ACTION);
    expect(blocks).toContain('Find my path');
  });

  it('replies inside the thread a mention came from', async () => {
    const posts = capturePosts();
    await slack.event(
      eventCallback(
        mention('which one deals more with pricing?', { ts: '1700000300.1', thread_ts: '1700000000.9' }),
      ),
    );
    await waitFor(() => posts.length === 1);
    expect(posts[0]?.thread_ts).toBe('1700000000.9');
    expect(JSON.stringify(posts[0]?.blocks)).toContain('pricing');
  });

  it('says plainly when it cannot answer a question about product work, and records it for curators', async () => {
    const posts = capturePosts();
    const before = slack.qaLog.data.unanswered.length;
    await slack.event(eventCallback(mention('how do I write a PRD that engineers actually read?')));
    await waitFor(() => posts.length === 1);
    const text = JSON.stringify(posts[0]);
    expect(text).toContain("I can't answer that");
    expect(text).not.toContain(QA_HELPFUL_ACTION);
    expect(slack.qaLog.data.unanswered.length).toBe(before + 1);
    expect(slack.qaLog.data.unanswered.at(-1)?.question).toBe(
      'how do I write a PRD that engineers actually read?',
    );
  });

  it('answers an out-of-scope question kindly with what it covers, no questionnaire, nothing recorded', async () => {
    const posts = capturePosts();
    const unanswered = slack.qaLog.data.unanswered.length;
    const answers = Object.keys(slack.qaLog.data.answers).length;
    await slack.event(eventCallback(mention('<!channel> where should we go for lunch &amp; drinks?')));
    await waitFor(() => posts.length === 1);
    const text = JSON.stringify(posts[0]);
    expect(text).toContain("That's outside what I cover");
    for (const example of slack.knowledge.scope.examples) expect(text).toContain(example);
    expect(text).not.toContain('<!channel>');
    expect(text).not.toContain(QUESTIONNAIRE_START_ACTION);
    expect(text).not.toContain(QA_HELPFUL_ACTION);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered);
    expect(Object.keys(slack.qaLog.data.answers).length).toBe(answers);
  });

  it('takes "@advisor forget me" as a command: a private confirmation, nothing posted or recorded', async () => {
    const ephemeral = capturePosts(1, { ok: true, message_ts: '1700000500.000100' }, 'chat.postEphemeral');
    const unanswered = slack.qaLog.data.unanswered.length;
    const answers = Object.keys(slack.qaLog.data.answers).length;
    await slack.event(eventCallback(mention('forget me')));
    await waitFor(() => ephemeral.length === 1);
    expect(ephemeral[0]).toMatchObject({ channel: 'C0CHANNEL01', user: 'U0PERSON001' });
    const blocks = JSON.stringify(ephemeral[0]?.blocks);
    expect(blocks).toContain(FORGET_CONFIRM_ACTION);
    expect(blocks).toContain(FORGET_CANCEL_ACTION);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered);
    expect(Object.keys(slack.qaLog.data.answers).length).toBe(answers);
  });

  it('answers "@advisor what can you do?" privately with all three things it does', async () => {
    const ephemeral = capturePosts(1, { ok: true, message_ts: '1700000500.000200' }, 'chat.postEphemeral');
    const unanswered = slack.qaLog.data.unanswered.length;
    await slack.event(eventCallback(mention('what can you do?', { thread_ts: '1700000000.5' })));
    await waitFor(() => ephemeral.length === 1);
    expect(ephemeral[0]).toMatchObject({ user: 'U0PERSON001', thread_ts: '1700000000.5' });
    const text = JSON.stringify(ephemeral[0]);
    for (const thing of ['/pm-compare', 'help me choose', 'mention me']) expect(text).toContain(thing);
    expect(slack.qaLog.data.unanswered.length).toBe(unanswered);
  });

  it('answers a Slack retry of the same event only once, also after a restart', async () => {
    const posts = capturePosts(1);
    const body = eventCallback(mention('what KPIs do IT PMs track?'), { event_id: 'Ev0RETRY0001' });
    await slack.event(body);
    await waitFor(() => posts.length === 1);
    const retry = await slack.event(body, {
      'x-slack-retry-num': '1',
      'x-slack-retry-reason': 'http_timeout',
    });
    expect(retry.status).toBe(200);
    await slack.idle();
    await slack.restart();
    expect(slack.handledEvents.processedEvents.Ev0RETRY0001).toBeDefined();
    await slack.event(body, { 'x-slack-retry-num': '2', 'x-slack-retry-reason': 'http_timeout' });
    await slack.idle();
    // A second answer would have found no interceptor and been logged as a failed post.
    expect(posts).toHaveLength(1);
    expect(slack.logger.lines.filter((line) => line.level === 'error')).toEqual([]);
  });

  it('ignores bots (itself included), edits, joins and mentions without a user', async () => {
    const errorsBefore = slack.logger.lines.filter((line) => line.level === 'error').length;
    await slack.event(eventCallback(mention('pricing?', { bot_id: 'B0BOT00001', user: BOT_USER_ID })));
    await slack.event(eventCallback({ ...mention('pricing?'), subtype: 'bot_message' }));
    await slack.event(
      eventCallback({
        type: 'message',
        subtype: 'message_changed',
        channel: 'D0DM000001',
        channel_type: 'im',
        ts: '1.2',
      }),
    );
    await slack.event(
      eventCallback({
        type: 'message',
        subtype: 'channel_join',
        channel: 'D0DM000001',
        channel_type: 'im',
        user: 'U1',
        ts: '1.3',
      }),
    );
    await slack.event(
      eventCallback({
        type: 'message',
        channel: 'D0DM000001',
        channel_type: 'im',
        bot_id: 'B0OTHER001',
        text: 'hi',
        ts: '1.4',
      }),
    );
    await slack.idle();
    // No chat.postMessage interceptor exists: any reply would have been logged as a failure.
    expect(slack.logger.lines.filter((line) => line.level === 'error').slice(errorsBefore)).toEqual([]);
  });

  it('answers a plain DM in the DM', async () => {
    const posts = capturePosts();
    await slack.event(
      eventCallback({
        type: 'message',
        channel: 'D0DM000001',
        channel_type: 'im',
        user: 'U0PERSON001',
        text: 'what does an it pm do day to day?',
        ts: '1700000400.000100',
      }),
    );
    await waitFor(() => posts.length === 1);
    expect(posts[0]?.channel).toBe('D0DM000001');
    expect(posts[0]?.thread_ts).toBeUndefined();
  });

  it('retries a 429 after Retry-After and a 5xx, then answers', async () => {
    nock(SLACK_API)
      .post('/api/chat.postMessage')
      .reply(429, { ok: false, error: 'ratelimited' }, { 'Retry-After': '0' });
    const posts = capturePosts();
    await slack.event(eventCallback(mention('what is voice of the customer?')));
    await waitFor(() => posts.length === 1);
    nock(SLACK_API).post('/api/chat.postMessage').reply(503, 'unavailable');
    const again = capturePosts();
    await slack.event(eventCallback(mention('who does competitive analysis?')));
    await waitFor(() => again.length === 1);
  });

  it('logs not_in_channel and network errors with context, sends the answer by DM instead, and keeps serving', async () => {
    nock(SLACK_API).post('/api/chat.postMessage').reply(200, { ok: false, error: 'not_in_channel' });
    nock(SLACK_API)
      .post('/api/conversations.open')
      .reply(200, { ok: true, channel: { id: 'D0ASKER0001' } });
    const dms = capturePosts();
    await slack.event(
      eventCallback(mention('pricing?', { channel: 'C0NOTMEMBER' }), { event_id: 'Ev0NOTIN0001' }),
    );
    await waitFor(() => dms.length === 1);
    expect(dms[0]?.channel).toBe('D0ASKER0001');
    expect(dms[0]?.text).toContain("I couldn't post my answer in <#C0NOTMEMBER>");
    const loggedError = (text: string) =>
      slack.logger.lines.find((line) => line.level === 'error' && JSON.stringify(line.args).includes(text));
    await waitFor(() => loggedError('not_in_channel') !== undefined);
    const logged = JSON.stringify(loggedError('not_in_channel'));
    expect(logged).toContain('C0NOTMEMBER');
    expect(logged).toContain('Ev0NOTIN0001');

    nock(SLACK_API).post('/api/chat.postMessage').times(2).replyWithError('socket hang up');
    nock(SLACK_API).post('/api/conversations.open').times(2).replyWithError('socket hang up');
    await slack.event(eventCallback(mention('pricing?'), { event_id: 'Ev0NETERR001' }));
    await waitFor(() => loggedError('Ev0NETERR001') !== undefined);
    expect((await fetch(`${slack.baseUrl}/healthz`)).status).toBe(200);
  });

  describe('feedback and related topics', () => {
    let answerId = '';
    beforeAll(async () => {
      const posts = capturePosts();
      await slack.event(eventCallback(mention('how do regulated industries affect product managers?')));
      await waitFor(() => posts.length === 1);
      const blocks = (posts[0]?.blocks ?? []) as { block_id?: string; elements?: { value: string }[] }[];
      const feedback = blocks.find((block) => block.block_id === 'qa-feedback');
      answerId = feedback?.elements?.[0]?.value ?? '';
      expect(answerId).not.toBe('');
      nock.cleanAll();
    });

    it('stores one vote per person, confirms it privately, and a second click changes it', async () => {
      let responses = captureResponseUrl();
      await slack.action(
        buttonClick(
          { action_id: QA_HELPFUL_ACTION, value: answerId },
          { message: PUBLIC_MESSAGE, user: 'U0VOTER001' },
        ),
      );
      await waitFor(() => responses.length === 1);
      expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(slack.qaLog.data.answers[answerId]?.votes.U0VOTER001?.vote).toBe('helpful');

      responses = captureResponseUrl();
      await slack.action(
        buttonClick(
          { action_id: QA_NOT_HELPFUL_ACTION, value: answerId },
          { message: PUBLIC_MESSAGE, user: 'U0VOTER001' },
        ),
      );
      await waitFor(() => responses.length === 1);
      expect(JSON.stringify(responses[0])).toContain('changed from your earlier vote');
      expect(JSON.stringify(responses[0])).toContain(QA_REASON_ACTION.with('outdated'));
      expect(Object.keys(slack.qaLog.data.answers[answerId]?.votes ?? {})).toEqual(['U0VOTER001']);
      expect(slack.qaLog.data.answers[answerId]?.votes.U0VOTER001?.vote).toBe('not_helpful');

      responses = captureResponseUrl();
      await slack.action(
        buttonClick({ action_id: QA_REASON_ACTION.with('wrong'), value: answerId }, { user: 'U0VOTER001' }),
      );
      await waitFor(() => responses.length === 1);
      expect(slack.qaLog.data.answers[answerId]?.votes.U0VOTER001?.reason).toBe('wrong');
    });

    it('shows a related topic to the clicker only', async () => {
      const responses = captureResponseUrl();
      await slack.action(
        buttonClick(
          { action_id: QA_RELATED_ACTION.with('competitive-analysis'), value: 'competitive-analysis' },
          { message: PUBLIC_MESSAGE },
        ),
      );
      await waitFor(() => responses.length === 1);
      expect(responses[0]).toMatchObject({ response_type: 'ephemeral', replace_original: false });
      expect(JSON.stringify(responses[0])).toContain(
        slack.knowledge.entriesById.get('competitive-analysis')?.title,
      );
    });
  });

  it('persists what it recorded to the data file', async () => {
    const posts = capturePosts();
    await slack.event(eventCallback(mention('what KPIs do IT PMs track?'), { event_id: 'Ev0PERSIST01' }));
    await waitFor(() => posts.length === 1);
    await Promise.all([slack.qaLog.flush(), slack.handledEvents.flush()]);
    const onDisk = await QaLogFile.read(slack.dataFile, slack.logger);
    expect(Object.keys(onDisk.answers).length).toBeGreaterThan(0);
    // The claim is in the events journal (folded into the events file once it grows).
    const events = await Promise.all(
      [eventsFileFor(slack.dataFile), journalPathFor(eventsFileFor(slack.dataFile))].map((file) =>
        readFile(file, 'utf8').catch(() => ''),
      ),
    );
    expect(events.join('')).toContain('Ev0PERSIST01');
  });
});
