import { createHmac } from 'node:crypto';
import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { monitorEventLoopDelay, performance } from 'node:perf_hooks';

/**
 * The Slack side of `npm run bench:quiz`, in its own process so it does not compete with the app's event loop:
 * a Web API stand-in that reads the questions the app posts, and people who answer them by clicking.
 */
export interface RunRequest {
  type: 'run';
  url: string;
  secret: string;
  team: string;
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
  value: string;
  actionIds: string[];
  ts: string;
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
let ts = 1_700_000_000;

const server = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk) => {
    body += chunk;
  });
  req.on('end', () => {
    const params = new URLSearchParams(body);
    const method = req.url?.replace('/api/', '') ?? '';
    const channel = params.get('channel') ?? '';
    res.writeHead(200, { 'content-type': 'application/json' });
    if (method === 'auth.test') {
      res.end(JSON.stringify({ ok: true, team_id: 'T', user_id: 'U0BOT', bot_id: 'B0BOT' }));
      return;
    }
    ts++;
    const messageTs = `${ts}.000100`;
    res.end(JSON.stringify({ ok: true, channel, ts: messageTs }));
    if (method !== 'chat.postMessage') return;
    const text = params.get('text') ?? '';
    const wake = waiting.get(channel);
    if (!wake) return;
    if (text.startsWith('Your result')) {
      waiting.delete(channel);
      wake('result');
      return;
    }
    const blocks = JSON.parse(params.get('blocks') ?? '[]') as {
      elements?: { action_id?: string; value?: string }[];
    }[];
    const answers = blocks
      .flatMap((block) => block.elements ?? [])
      .filter((e) => e.action_id?.startsWith('quiz_answer:'));
    if (answers.length === 0) return;
    waiting.delete(channel);
    wake({ value: answers[0]?.value ?? '', actionIds: answers.map((e) => e.action_id ?? ''), ts: messageTs });
  });
});
server.listen(0, '127.0.0.1', () => {
  port.postMessage({ type: 'ready', port: (server.address() as AddressInfo).port });
});

function next(channel: string): Promise<Question | 'result'> {
  return new Promise((resolve) => waiting.set(channel, resolve));
}

/** Plain node:http with kept-alive connections: much cheaper per request than fetch, so Slack's side stays light. */
const agent = new Agent({ keepAlive: true, maxSockets: 256 });

function send(request: RunRequest, body: string, contentType: string): Promise<void> {
  const timestamp = Math.floor(Date.now() / 1000);
  const signature = `v0=${createHmac('sha256', request.secret).update(`v0:${timestamp}:${body}`).digest('hex')}`;
  return new Promise((resolve, reject) => {
    const outgoing = httpRequest(
      request.url,
      {
        method: 'POST',
        agent,
        headers: {
          'content-type': contentType,
          'content-length': Buffer.byteLength(body),
          'x-slack-request-timestamp': String(timestamp),
          'x-slack-signature': signature,
        },
      },
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
  const channel = `D0${request.prefix}${index}`;
  if (request.startSpreadMs > 0)
    await new Promise((resolve) => setTimeout(resolve, Math.random() * request.startSpreadMs));
  const first = next(channel);
  const event = {
    type: 'event_callback',
    team_id: request.team,
    api_app_id: 'A0BENCH',
    event_id: `Ev0${request.prefix}${index}`,
    event_time: Math.floor(Date.now() / 1000),
    event: { type: 'message', channel_type: 'im', channel, user: userId, text: 'start', ts: '1.1' },
  };
  await send(request, JSON.stringify(event), 'application/json');
  let question = await first;
  let answers = 0;
  for (let step = 0; question !== 'result'; step++) {
    const [min, max] = request.thinkMs;
    if (max > 0) await new Promise((resolve) => setTimeout(resolve, min + Math.random() * (max - min)));
    const actionId = question.actionIds[step % question.actionIds.length] ?? '';
    const payload = {
      type: 'block_actions',
      team: { id: request.team },
      user: { id: userId, team_id: request.team },
      api_app_id: 'A0BENCH',
      container: { type: 'message', channel_id: channel, message_ts: question.ts, is_ephemeral: false },
      channel: { id: channel },
      response_url: `${request.url.replace('/slack/events', '')}/nowhere`,
      actions: [{ type: 'button', action_id: actionId, value: question.value, block_id: 'b' }],
    };
    const arrived = next(channel);
    const started = performance.now();
    await send(
      request,
      new URLSearchParams({ payload: JSON.stringify(payload) }).toString(),
      'application/x-www-form-urlencoded',
    );
    question = await arrived;
    latencies.push(performance.now() - started);
    answers++;
  }
  return answers;
}

async function handleMessage(request: RunRequest | { type: 'exit' }): Promise<void> {
  if (request.type === 'exit') {
    server.close();
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
