import { App, LogLevel } from '@slack/bolt';
import { PM_COMPARE_COMMAND } from '../src/slack-ids.js';

/**
 * The anchor of `npm run bench:ack`: a bare Bolt 5 app in HTTP mode, as the Bolt docs write one, doing the least
 * each request needs: `/pm-compare` acked with nothing, an app_mention answered with one `chat.postMessage` thread
 * reply, every block action acked. Settings from the environment (SLACK_SIGNING_SECRET, SLACK_API_URL, PORT).
 */
const app = new App({
  token: process.env.SLACK_BOT_TOKEN ?? 'xoxb-bench',
  signingSecret: process.env.SLACK_SIGNING_SECRET ?? '',
  logLevel: LogLevel.INFO,
  clientOptions: {
    slackApiUrl: process.env.SLACK_API_URL ?? 'https://slack.com/api/',
    retryConfig: { retries: 0 },
  },
});

app.command(PM_COMPARE_COMMAND, async ({ ack }) => {
  await ack();
});

app.event('app_mention', async ({ event, client }) => {
  await client.chat.postMessage({
    channel: event.channel,
    thread_ts: event.thread_ts ?? event.ts,
    text: 'Thanks for asking.',
  });
});

app.action({ type: 'block_actions' }, async ({ ack }) => {
  await ack();
});

await app.start(Number(process.env.PORT ?? 3000));
// Exits on SIGTERM, so a profile asked for with --cpu-prof is written (BENCH_PROFILE).
process.on('SIGTERM', () => process.exit(0));
