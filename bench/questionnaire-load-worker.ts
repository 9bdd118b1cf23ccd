import { Agent, request as httpRequest } from 'node:http';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';
import { SlackApiStandIn } from '../src/local/slack-api-stand-in.js';
import { messageEventFields, slackPayloads } from '../src/local/slack-payloads.js';
import { dmChannelOf, type KeptMessage } from '../src/local/slack-workspace.js';
import { QUESTIONNAIRE_ANSWER_ACTION } from '../src/slack-ids.js';
import { signedSlackRequest } from '../src/slack-request.js';
import { BENCH_WORKSPACE } from './bench-workspace.js';

/**
 * The Slack side of `npm run bench:questionnaire`, in its own process so it does not compete with the app's event loop:
 * a Web API stand-in that reads the questions the app posts, and people who answer them by clicking.
 */
export interface RunRequest {
  type: 'run';
  url: string;
  secret: string;
  prefix: string;
  people: number;
  /** Each person waits between min and max ms before clicking (0/0 = as fast as possible). */
  thinkMs: [number, number];
  /** People say "start" spread over this many ms (0 = all at once). */
  startSpreadMs: number;
}
export interface RunReport {
  type: 'report';
  latencies: number[];
  elapsedSeconds: number;
  answers: number;
  /** The load generator's own event-loop delay (ms): its lag is part of what the app's Slack calls wait for. */
  workerLoopDelayP99: number;
  workerLoopDelayMax: number;
}

interface Question {
  message: KeptMessage;
  actionIds: string[];
}

/** The bench talks to this side over IPC (it runs as a child process, on its own CPUs where possible). */
if (!process.send) throw new Error('run me from bench/questionnaire-store.js');
const port = {
  postMessage: (message: unknown) => process.send?.(message),
  on: (event: 'message', listener: (message: RunRequest | { type: 'exit' }) => void) =>
    process.on(event, listener),
  close: () => process.disconnect(),
};
const waiting = new Map<string, (question: Question | 'result') => void>();

const standIn = await SlackApiStandIn.start(BENCH_WORKSPACE);
const payloads = slackPayloads(BENCH_WORKSPACE);
standIn.api.onDelivery((delivery) => {
  // Only new messages: an answered question is updated in place.
  if (delivery.kind !== 'message' || delivery.updated) return;
  const { message } = delivery;
  const wake = waiting.get(message.channel);
  if (!wake) return;
  if (message.text.startsWith('Your result')) {
    waiting.delete(message.channel);
    wake('result');
    return;
  }
  const actionIds = message.blocks
    .flatMap((block) => block.elements ?? [])
    .flatMap((element) => element.action_id ?? [])
    .filter((actionId) => actionId.startsWith(QUESTIONNAIRE_ANSWER_ACTION.prefix));
  if (actionIds.length === 0) return;
  waiting.delete(message.channel);
  wake({ message, actionIds });
});
port.postMessage({ type: 'ready', port: Number(new URL(standIn.baseUrl).port) });

function next(channel: string): Promise<Question | 'result'> {
  return new Promise((resolve) => waiting.set(channel, resolve));
}

/** Plain node:http with kept-alive connections: much cheaper per request than fetch, so Slack's side stays light. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

/** Sends a request to the app, encoded and signed as Slack does. */
function send(request: RunRequest, payload: object): Promise<void> {
  const { body, headers } = signedSlackRequest(request.secret, payload);
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      request.url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': Buffer.byteLength(body) } },
      (response) => {
        response.resume();
        response.on('end', () =>
          (response.statusCode ?? 0) < 300
            ? resolve()
            : reject(new Error(`the app answered ${response.statusCode}`)),
        );
      },
    );
    outgoing.on('error', reject);
    outgoing.end(body);
  });
}

async function runPerson(request: RunRequest, index: number, latencies: number[]): Promise<number> {
  const userId = `U0${request.prefix}${index}`;
  const channel = dmChannelOf(BENCH_WORKSPACE, userId);
  if (request.startSpreadMs > 0)
    await new Promise((resolve) => setTimeout(resolve, Math.random() * request.startSpreadMs));
  const first = next(channel);
  const start = standIn.api.recordPersonMessage(channel, 'start', { userId });
  await send(request, payloads.eventCallback(payloads.directMessage(messageEventFields(start))));
  let question = await first;
  let answers = 0;
  for (let step = 0; question !== 'result'; step++) {
    const [min, max] = request.thinkMs;
    if (max > 0) await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
    const { message, actionIds } = question;
    const click = payloads.buttonClick(
      { action_id: actionIds[step % actionIds.length] ?? '' },
      {
        message,
        user: userId,
        responseUrl: standIn.api.createResponseUrl({ channel, userId, source: message }),
      },
    );
    const arrived = next(channel);
    const started = performance.now();
    await send(request, click);
    question = await arrived;
    latencies.push(performance.now() - started);
    answers++;
  }
  return answers;
}

async function handleMessage(request: RunRequest | { type: 'exit' }): Promise<void> {
  if (request.type === 'exit') {
    void standIn.close();
    port.close();
    return;
  }
  const latencies: number[] = [];
  const loop = monitorEventLoopDelay({ resolution: 5 });
  loop.enable();
  const started = performance.now();
  const counts = await Promise.all(
    Array.from({ length: request.people }, (_, index) => runPerson(request, index, latencies)),
  );
  const report: RunReport = {
    type: 'report',
    latencies,
    elapsedSeconds: (performance.now() - started) / 1000,
    answers: counts.reduce((sum, count) => sum + count, 0),
    workerLoopDelayP99: loop.percentile(99) / 1e6,
    workerLoopDelayMax: loop.max / 1e6,
  };
  loop.disable();
  port.postMessage(report);
}

port.on('message', (request: RunRequest | { type: 'exit' }) => void handleMessage(request));
