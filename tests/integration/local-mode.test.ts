import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeAll, describe, expect, it } from '@jest/globals';
import type { App, BlockAction } from '@slack/bolt';
import { createApp } from '../../src/app.js';
import { type Config, loadConfig } from '../../src/config.js';
import type { Knowledge } from '../../src/knowledge/knowledge.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { startLocalMode } from '../../src/local/local-mode.js';
import { LOCAL_WORKSPACE } from '../../src/local/slack-workspace.js';
import { projectRoot } from '../../src/paths.js';
import { openDataStores } from '../../src/store/data-stores.js';
import { QaLogFile } from '../../src/store/qa-log.js';
import { actions, button, section } from '../../src/views/block-kit.js';
import { runBuiltApp } from '../helpers/process.js';

const PROMPT = 'you> ';
const QUESTION = 'do I need to code to be an IT product manager?';

/** The output split at each echoed input line: what the app printed in answer to that line, and only to it. */
function repliesByLine(output: string): { input: string; reply: string }[] {
  return output
    .split(new RegExp(`^${PROMPT}`, 'm'))
    .slice(1)
    .map((chunk) => {
      const [input = '', ...rest] = chunk.split('\n');
      return { input, reply: rest.join('\n') };
    });
}

function replyTo(replies: { input: string; reply: string }[], input: string): string {
  const found = replies.find((entry) => entry.input === input);
  if (!found) throw new Error(`no reply to “${input}” in the transcript`);
  return found.reply;
}

describe('npm start with no Slack credentials: the local chat (built app, piped transcript)', () => {
  let knowledge: Knowledge;
  let cwd: string;
  beforeAll(async () => {
    knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
    cwd = await mkdtemp(path.join(tmpdir(), 'pm-advisor-local-'));
  });

  it('drives the app line by line, in order, and exits 0 at the end of input with data flushed and no colour codes', async () => {
    const dataFile = path.join(cwd, 'transcript.json');
    const transcript = [
      '/pm-compare',
      '/pm-compare skills',
      '/pm-compare help',
      '/pm-compare skils',
      'Skills',
      QUESTION,
      '👍 Helpful',
      `@advisor ${QUESTION}`,
      `/shortcut ${QUESTION}`,
      'Share in thread',
      '/home',
      'Forget me',
      'Keep it',
      '/help',
    ];
    const run = runBuiltApp({ DATA_FILE: dataFile }, cwd);
    run.child.stdin.end(`${transcript.join('\n')}\n`);
    const { code } = await run.exited;
    const output = run.output();
    expect(code).toBe(0);
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
    expect(output).not.toMatch(/\u001b\[/);
    expect(output.split('\n')[0]).toMatch(/local mode.*\/help.*Connect a Slack workspace/);

    const replies = repliesByLine(output);
    expect(replies.map((entry) => entry.input)).toEqual(transcript);

    const overview = replyTo(replies, '/pm-compare');
    expect(overview).toMatch(/^advisor in #general \(only you can see this\):/);
    for (const role of knowledge.paths.slice(0, 2)) expect(overview).toContain(role.name);
    for (const dimension of knowledge.dimensions) expect(overview).toContain(dimension.title);
    expect(overview).toMatch(/ │ /); // the roles side by side, in two columns
    expect(overview).toMatch(/\[\d+\] Share in channel/);
    expect(overview).toMatch(/\[\d+\] Skills/);

    const skills = knowledge.dimensionsById.get('skills');
    expect(skills).toBeDefined();
    expect(replyTo(replies, '/pm-compare skills')).toContain(`${skills?.title}:`);
    expect(replyTo(replies, '/pm-compare skills')).toMatch(/\n\s+═+\n/); // the header, underlined

    expect(replyTo(replies, '/pm-compare help')).toContain('How to use /pm-compare');

    const typo = replyTo(replies, '/pm-compare skils');
    expect(typo).toMatch(/I didn't understand “skils”\. Did you mean \*Skills\*\?/);
    expect(typo).toMatch(/\[1\] Skills/);

    // Clicking the typo message's "Skills" button replaces that (ephemeral) message, as Slack does.
    const clicked = replyTo(replies, 'Skills');
    expect(clicked).toMatch(/^advisor in #general \(only you can see this\) \(updated\):/);
    expect(clicked).toContain(`${skills?.title}:`);

    const dm = replyTo(replies, QUESTION);
    expect(dm).toMatch(/^advisor in your DM:/);
    const coding = knowledge.entriesById.get('technical-background-coding');
    expect(dm).toContain(`${coding?.verdict}.`);
    expect(dm).toContain(coding?.body.slice(0, 40));
    expect(dm).toMatch(/\n\s+Sources?: /);
    expect(dm).toMatch(/\[\d+\] 👍 Helpful/);

    expect(replyTo(replies, '👍 Helpful')).toMatch(/\(only you can see this\):\n.*vote was recorded/);

    const mention = replyTo(replies, `@advisor ${QUESTION}`);
    expect(mention).toMatch(/^advisor in #general, in thread:/);
    expect(mention).toMatch(/\n\s+Sources?: /);

    // The message shortcut: a colleague's message, answered only to you, then shared in its thread.
    const asked = replyTo(replies, `/shortcut ${QUESTION}`);
    expect(asked).toMatch(/advisor in #general \(only you can see this\):/);
    expect(asked).toContain(coding?.body.slice(0, 40));
    expect(asked).toMatch(/\[\d+\] Share in thread/);
    expect(replyTo(replies, 'Share in thread')).toMatch(
      /^advisor in #general, in thread:\n.*asked the advisor/,
    );

    // The Home tab: its buttons click like a message's, and what the app publishes next is shown.
    expect(replyTo(replies, '/home')).toMatch(/^advisor's Home tab \(published\):[\s\S]*\[\d+\] Forget me/);
    expect(replyTo(replies, 'Forget me')).toMatch(/Delete it all\?[\s\S]*\[\d+\] Keep it/);
    expect(replyTo(replies, 'Keep it')).toContain('OK, nothing was deleted.');

    const help = replyTo(replies, '/help');
    expect(help).toContain('/shortcut <text>');
    expect(help).toMatch(/\/pm-compare \[.*\]\s+Compare/);
    expect(help).toContain('@advisor <question>');
    expect(help).toContain('/quit');

    // Everything was written before the exit: the answers given, with their vote.
    const saved = JSON.stringify(await QaLogFile.read(dataFile, console));
    expect(saved).toContain(QUESTION);
    expect(saved).toContain('helpful');
  });

  it('clicks a button by its number, and /quit leaves with exit 0 (typed one line at a time)', async () => {
    const run = runBuiltApp({ DATA_FILE: path.join(cwd, 'numbers.json') }, cwd);
    run.child.stdin.write('/pm-compare\n');
    const [, number] = await run.waitForOutput(/\[(\d+)\] Skills/);
    run.child.stdin.write(`${number}\n`);
    await run.waitForOutput(/\(updated\):\n\s+Skills: /);
    run.child.stdin.write('/quit\n');
    expect((await run.exited).code).toBe(0);
  });

  it('says so when a number names no button, and sends nothing', async () => {
    const run = runBuiltApp({ DATA_FILE: path.join(cwd, 'range.json') }, cwd);
    run.child.stdin.end('/pm-compare skils\n99\n');
    expect((await run.exited).code).toBe(0);
    expect(replyTo(repliesByLine(run.output()), '99')).toMatch(
      /^\(There is no button 99: .* 1 to \d+\.\)\n$/,
    );
  });
});

/** Runs a local chat in-process on the real app, with listeners added by `register`, and returns what it printed. */
async function runInProcess(
  config: Config,
  knowledge: Knowledge,
  lines: string[],
  options: { register?: (app: App) => void; tty?: boolean } = {},
): Promise<{ printed: string; standInUrl: string }> {
  const input = new PassThrough();
  const output = Object.assign(new PassThrough(), options.tty ? { isTTY: true, columns: 80 } : {});
  let printed = '';
  output.on('data', (chunk: Buffer) => {
    printed += chunk.toString();
  });
  const local = await startLocalMode(config, { input, output });
  const stores = await openDataStores(local.config.dataFile, console);
  const advisor = createApp(local.config, { knowledge, ...stores, receiver: local.receiver });
  options.register?.(advisor.app);
  local.attach(advisor);
  await advisor.start();
  input.end(`${lines.join('\n')}\n`);
  await local.ended;
  await advisor.stop();
  await local.close();
  return { printed, standInUrl: local.standIn.baseUrl };
}

describe('local mode in-process: listeners added with plain Bolt code work with no extra code', () => {
  let config: Config;
  let knowledge: Knowledge;
  beforeAll(async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'pm-advisor-local-inproc-'));
    const result = loadConfig({ DATA_FILE: path.join(dir, 'db.json'), LOG_LEVEL: 'error' });
    if (!result.ok) throw new Error(result.problems.join('\n'));
    config = result.config;
    knowledge = await loadKnowledge(config.knowledgeDir);
  });

  it('a new slash command, its button and a message listener answer in the terminal', async () => {
    expect(config.mode).toBe('local');
    const clicks: BlockAction[] = [];
    const { printed, standInUrl } = await runInProcess(
      config,
      knowledge,
      ['/pm-extra hello world', '1', 'ping'],
      {
        register: (app) => {
          app.command('/pm-extra', async ({ command, ack }) => {
            await ack({
              response_type: 'ephemeral',
              text: `Extra: ${command.text}`,
              blocks: [
                section(`Extra: *${command.text}*`),
                ...actions([button('Press me', 'extra_press', 'v1')]),
              ],
            });
          });
          app.action<BlockAction>('extra_press', async ({ ack, body, respond }) => {
            await ack();
            clicks.push(body);
            const [action] = body.actions;
            await respond({
              replace_original: true,
              text: `pressed ${action?.type === 'button' ? action.value : ''}`,
            });
          });
          app.message(/^ping$/, async ({ say }) => {
            await say('pong');
          });
        },
      },
    );

    const replies = repliesByLine(printed);
    expect(replyTo(replies, '/pm-extra hello world')).toMatch(
      /^advisor in #general \(only you can see this\):\n\s+Extra: \*hello world\*\n\s+\[1\] Press me/,
    );
    expect(replyTo(replies, '1')).toMatch(/\(updated\):\n\s+pressed v1/);
    expect(replyTo(replies, 'ping')).toMatch(/advisor in your DM:\n\s+pong/);

    // The click reached the listener as Slack sends it.
    expect(clicks).toHaveLength(1);
    const [click] = clicks;
    expect(click?.type).toBe('block_actions');
    expect(click?.user.id).toBe(LOCAL_WORKSPACE.userId);
    expect(click?.actions[0]).toMatchObject({ type: 'button', action_id: 'extra_press', value: 'v1' });
    expect(click?.container).toMatchObject({
      type: 'message',
      channel_id: LOCAL_WORKSPACE.channelId,
      is_ephemeral: true,
    });
    expect(click?.response_url.startsWith(standInUrl)).toBe(true);
  });

  it('Web API calls land in the terminal: posted, updated, ephemeral, DMs, menus noted, unknown methods named', async () => {
    const results: Record<string, unknown>[] = [];
    const { printed } = await runInProcess(config, knowledge, ['/pm-extra'], {
      register: (app) => {
        app.command('/pm-extra', async ({ ack, client, command }) => {
          await ack();
          const posted = await client.chat.postMessage({
            channel: command.channel_id,
            text: 'first',
            blocks: [
              {
                type: 'section',
                text: { type: 'mrkdwn', text: `first, for <@${command.user_id}> &amp; friends` },
                accessory: {
                  type: 'static_select',
                  action_id: 'pick',
                  placeholder: { type: 'plain_text', text: 'Pick one' },
                  options: [{ text: { type: 'plain_text', text: 'A' }, value: 'a' }],
                },
              },
            ],
          });
          results.push({ ...posted });
          // Without blocks, chat.update keeps the old ones (as Slack does); an empty list removes them.
          results.push({
            ...(await client.chat.update({
              channel: command.channel_id,
              ts: posted.ts ?? '',
              text: 'second',
              blocks: [],
            })),
          });
          results.push({
            ...(await client.chat.postEphemeral({
              channel: command.channel_id,
              user: command.user_id,
              text: 'just for you',
            })),
          });
          const dm = await client.conversations.open({ users: command.user_id });
          results.push({ ...dm });
          await client.chat.postMessage({ channel: dm.channel?.id ?? '', text: 'in your DM' });
          await client.users.info({ user: command.user_id }).catch(() => undefined);
        });
      },
    });

    const reply = replyTo(repliesByLine(printed), '/pm-extra');
    expect(reply).toMatch(
      /^advisor in #general:\n\s+first, for @you & friends\n\s+\(menu “Pick one”: not available/,
    );
    expect(reply).toMatch(/advisor in #general \(updated\):\n\s+second\n/);
    expect(reply).toMatch(/advisor in #general \(only you can see this\):\n\s+just for you\n/);
    expect(reply).toMatch(/advisor in your DM:\n\s+in your DM\n/);
    expect(reply).toContain('users.info');
    expect(reply).not.toContain('Nothing acknowledged');

    const [posted, updated, ephemeral, opened] = results;
    expect(posted).toMatchObject({
      ok: true,
      channel: LOCAL_WORKSPACE.channelId,
      message: { text: 'first' },
    });
    expect(posted?.ts).toMatch(/^\d+\.\d{6}$/);
    expect(updated).toMatchObject({ ok: true, ts: posted?.ts, text: 'second' });
    expect(ephemeral).toMatchObject({ ok: true, message_ts: expect.stringMatching(/^\d+\.\d{6}$/) });
    expect(opened).toMatchObject({ ok: true, channel: { id: LOCAL_WORKSPACE.dmChannelId } });
  });

  it('colours only a TTY, and never with NO_COLOR', async () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for ANSI escapes is the point
    const ansi = /\u001b\[/;
    expect((await runInProcess(config, knowledge, ['/pm-compare'], { tty: true })).printed).toMatch(ansi);
    expect(
      (await runInProcess({ ...config, noColor: true }, knowledge, ['/pm-compare'], { tty: true })).printed,
    ).not.toMatch(ansi);
    expect((await runInProcess(config, knowledge, ['/pm-compare'])).printed).not.toMatch(ansi);
  });
});
