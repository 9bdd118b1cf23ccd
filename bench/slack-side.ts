import { type ChildProcess, spawn } from 'node:child_process';
import path from 'node:path';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import type { KeptMessage } from '../src/local/slack-workspace.js';
import { projectRoot } from '../src/paths.js';
import { QUESTIONNAIRE_ANSWER_ACTION } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/** Someone answering the questionnaire in their DM. */
export interface QuestionnairePerson {
  userId: string;
  channel: string;
  /** Answers the person saw taken (the next question or the result came back). */
  confirmed: number;
  resultShown: boolean;
}

const isResult = (message: KeptMessage) => message.text.startsWith('Your result');

function answerIds(message: KeptMessage): string[] {
  return message.blocks
    .flatMap((block) => block.elements ?? [])
    .flatMap((element) => element.action_id ?? [])
    .filter((id) => id.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
}

/**
 * Slack's side of a benchmark: the Web API stand-in the app posts to, people sending signed requests the way
 * Slack does, and waiting for what the app posts back, per channel.
 */
export class SlackSide {
  readonly payloads = slackPayloads(BENCH_WORKSPACE);
  /** Per channel, what someone waits to see next there, and who is woken when it comes. */
  private readonly waiting = new Map<
    string,
    { wanted: (message: KeptMessage) => boolean; wake: (message: KeptMessage) => void }
  >();

  private constructor(
    readonly standIn: SlackApiStandIn,
    readonly secret: string,
  ) {
    standIn.api.onDelivery((delivery) => {
      if (delivery.kind !== 'message') return;
      const waiter = this.waiting.get(delivery.message.channel);
      if (!waiter?.wanted(delivery.message)) return;
      this.waiting.delete(delivery.message.channel);
      waiter.wake(delivery.message);
    });
  }

  static async start(secret: string): Promise<SlackSide> {
    return new SlackSide(await SlackApiStandIn.start(BENCH_WORKSPACE), secret);
  }

  close(): Promise<void> {
    return this.standIn.close();
  }

  /** Forgets everyone waiting (between rounds). */
  reset(): void {
    this.waiting.clear();
  }

  nextIn(channel: string, wanted: (message: KeptMessage) => boolean): Promise<KeptMessage> {
    return new Promise((wake) => this.waiting.set(channel, { wanted, wake }));
  }

  /** The next question or the result in a person's DM (an answered question is only updated: not that). */
  async next(channel: string): Promise<KeptMessage | 'result'> {
    const message = await this.nextIn(channel, (m) => isResult(m) || answerIds(m).length > 0);
    return isResult(message) ? 'result' : message;
  }

  async send(url: string, payload: object): Promise<void> {
    const { body, headers } = signedSlackRequest(this.secret, payload);
    await fetch(url, { method: 'POST', headers, body }).catch(() => undefined);
  }

  /** The built app in HTTP mode against the stand-in; `prefix` runs it under another program (taskset). */
  startApp(
    dataFile: string,
    options: { prefix?: string[]; env?: Record<string, string> } = {},
  ): Promise<{ child: ChildProcess; url: string; baseUrl: string }> {
    const [command, ...args] = [
      ...(options.prefix ?? []),
      process.execPath,
      path.join(projectRoot, 'dist', 'src', 'index.js'),
    ];
    const child = spawn(command ?? process.execPath, args, {
      env: {
        PATH: process.env.PATH ?? '',
        SLACK_BOT_TOKEN: 'xoxb-bench',
        SLACK_SIGNING_SECRET: this.secret,
        SLACK_API_URL: this.standIn.apiUrl,
        SLACK_API_RETRIES: '0',
        PORT: '0',
        LOG_LEVEL: 'info',
        DATA_FILE: dataFile,
        ...options.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    return new Promise((resolve, reject) => {
      let output = '';
      const onData = (chunk: Buffer) => {
        output += chunk.toString();
        const port = /listening in HTTP mode on port (\d+)/.exec(output)?.[1];
        if (!port) return;
        const baseUrl = `http://127.0.0.1:${port}`;
        resolve({ child, url: `${baseUrl}/slack/events`, baseUrl });
      };
      child.stdout?.on('data', onData);
      child.stderr?.on('data', onData);
      child.on('exit', () => reject(new Error(`the app exited before it listened:\n${output}`)));
    });
  }

  /** Someone mentions the app in a channel with a question; resolves with the answer once it is posted. */
  async ask(url: string, channel: string, userId: string, text: string): Promise<KeptMessage> {
    const answered = this.nextIn(channel, (m) => m.threadTs !== undefined);
    const { ts } = this.standIn.api.recordPersonMessage(channel, text, { userId });
    await this.send(
      url,
      this.payloads.eventCallback(this.payloads.appMention({ channel, user: userId, ts, text })),
    );
    return answered;
  }

  /** One person answering every question the moment it arrives, until the result (or `alive` turns false). */
  async answerAll(
    url: string,
    person: QuestionnairePerson,
    alive?: () => boolean,
    onConfirmed: () => void = () => undefined,
  ): Promise<void> {
    const gone: Promise<undefined> = alive ? dead(alive) : new Promise(() => undefined);
    const first = this.next(person.channel);
    const start = this.standIn.api.recordPersonMessage(person.channel, 'start', { userId: person.userId });
    await this.send(url, this.payloads.eventCallback(this.payloads.directMessage(messageEventFields(start))));
    let shown = await Promise.race([first, gone]);
    for (let step = 0; shown && shown !== 'result'; step++) {
      const ids = answerIds(shown);
      const arrived = this.next(person.channel);
      await this.send(
        url,
        this.payloads.buttonClick(
          { action_id: ids[step % ids.length] ?? '' },
          {
            message: shown,
            user: person.userId,
            responseUrl: this.standIn.api.createResponseUrl({
              channel: person.channel,
              userId: person.userId,
              source: shown,
            }),
          },
        ),
      );
      shown = await Promise.race([arrived, gone]);
      if (!shown) break;
      person.confirmed++;
      if (shown === 'result') person.resultShown = true;
      onConfirmed();
    }
  }
}

/** Resolves undefined once the app is gone (checked every few ms). */
export function dead(alive: () => boolean): Promise<undefined> {
  return new Promise((resolve) => {
    const timer = setInterval(() => {
      if (alive()) return;
      clearInterval(timer);
      resolve(undefined);
    }, 5);
  });
}
