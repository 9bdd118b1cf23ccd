import { subscribe, unsubscribe } from 'node:diagnostics_channel';
import { readFile } from 'node:fs/promises';
import {
  type ClientRequest,
  createServer,
  type IncomingMessage,
  type Server,
  type ServerResponse,
} from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { WebClient } from '@slack/web-api';
import { projectRoot } from '../../src/paths.js';
import { slackClientOptions } from '../../src/slack-client.js';
import { CALLS_PER_CHANNEL, channelOf, createSlackFetch, type SlackFetch } from '../../src/slack-fetch.js';
import { waitFor } from '../helpers/wait.js';

/** A loopback server whose behaviour each test sets; it records what it received. */
let handle: (req: IncomingMessage, body: string, res: ServerResponse) => void = (_req, _body, res) =>
  res.end();
const received: {
  method?: string;
  url?: string;
  headers: IncomingMessage['headers'];
  body: string;
  socket: unknown;
}[] = [];
let server: Server;
let base = '';
let slack: SlackFetch;

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk) => {
      body += chunk;
    });
    req.on('end', () => {
      received.push({ method: req.method, url: req.url, headers: req.headers, body, socket: req.socket });
      handle(req, body, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  slack?.close();
  received.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

/** Calls `listen` with the next request the client starts (node:http reports each on a diagnostics channel). */
function onNextRequest(listen: (request: ClientRequest, done: () => void) => void): Promise<void> {
  const channel = 'http.client.request.start';
  return new Promise((resolve) => {
    const onStart = (message: unknown) => {
      unsubscribe(channel, onStart);
      listen((message as { request: ClientRequest }).request, resolve);
    };
    subscribe(channel, onStart);
  });
}

/** Resolves when the next request is over and the agent has taken its connection back, to reuse it. */
const connectionFreed = () =>
  onNextRequest((request, done) => {
    const onSocket = (socket: Socket) => socket.once('free', done);
    if (request.socket) onSocket(request.socket);
    else request.once('socket', onSocket);
  });

/** Resolves when the next request has closed: nothing more comes from it or its connection. */
const requestClosed = () => onNextRequest((request, done) => request.once('close', done));

describe('channelOf', () => {
  it('reads the channel of a form body as URLSearchParams does, decoding nothing else', () => {
    const blocks = encodeURIComponent(
      JSON.stringify([{ type: 'section', text: { type: 'mrkdwn', text: 'a&b=c' } }]),
    );
    const bodies = [
      `channel=C0ABC12345&text=hi&blocks=${blocks}`,
      `token=x&thread_ts=1.2&channel=D0DM000001&blocks=${blocks}`,
      'text=no+channel&blocks=%5B%5D',
      'channel=&text=empty',
      'channel&text=bare',
      'channel=C1&channel=C2',
      'channel=%23general+room',
      '?channel=C0QUERY001',
      'xchannel=C1&channel=C2',
      '{"text":"a JSON body (respond()) has no channel field"}',
      '',
    ];
    for (const body of bodies)
      expect([body, channelOf(body)]).toEqual([body, new URLSearchParams(body).get('channel')]);
  });
});

describe('createSlackFetch', () => {
  it('sends the method, headers and body, and answers like fetch (status, headers, text, json)', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    handle = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'x-oauth-scopes': 'chat:write, commands' });
      res.end(JSON.stringify({ ok: true, ts: '1.2' }));
    };
    const response = await slack.fetch(`${base}/api/chat.postMessage`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: 'Bearer xoxb-1' },
      body: 'channel=C1&text=hi%20there',
    });
    expect(response.status).toBe(200);
    expect(response.ok).toBe(true);
    expect(response.headers.get('x-oauth-scopes')).toBe('chat:write, commands');
    expect(await response.json()).toEqual({ ok: true, ts: '1.2' });
    expect(received[0]).toMatchObject({
      method: 'POST',
      url: '/api/chat.postMessage',
      body: 'channel=C1&text=hi%20there',
    });
    expect(received[0]?.headers.authorization).toBe('Bearer xoxb-1');
    // Sent with its length, as fetch does, not chunked.
    expect(received[0]?.headers['content-length']).toBe(String('channel=C1&text=hi%20there'.length));
    expect(received[0]?.headers['transfer-encoding']).toBeUndefined();
  });

  it('passes error statuses through (fetch resolves on them), with an empty body where HTTP has none', async () => {
    // No Retry-After waited out here (that is the 429 tests' business): the 429 comes back at once, not after 6 s.
    slack = createSlackFetch({ timeoutMs: 2_000, rateLimitWaitMs: 0 });
    handle = (_req, _body, res) => {
      res.writeHead(429, { 'retry-after': '3' });
      res.end('slow down');
    };
    const limited = await slack.fetch(`${base}/api/chat.update`, { method: 'POST', body: 'a=1' });
    expect([limited.status, limited.ok, limited.headers.get('retry-after'), await limited.text()]).toEqual([
      429,
      false,
      '3',
      'slow down',
    ]);
    handle = (_req, _body, res) => {
      res.writeHead(204);
      res.end();
    };
    const empty = await slack.fetch(`${base}/respond`, { method: 'POST', body: '{}' });
    expect([empty.status, await empty.text()]).toEqual([204, '']);
  });

  it('reads headers as fetch does (any case, repeats joined), and the body as bytes too', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    handle = (_req, _body, res) => {
      res.setHeader('X-Slack-Req-Id', 'abc');
      res.setHeader('Vary', ['Accept-Encoding', 'Origin']);
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('{"ok":true}');
    };
    const url = `${base}/api/auth.test`;
    const response = await slack.fetch(url, { method: 'POST', body: '' });
    expect(response.url).toBe(url);
    expect(response.headers.get('x-slack-req-id')).toBe('abc');
    expect(response.headers.get('X-SLACK-REQ-ID')).toBe('abc');
    expect(response.headers.has('Content-Type')).toBe(true);
    expect(response.headers.get('retry-after')).toBeNull();
    const entries = Object.fromEntries(response.headers.entries());
    expect(entries).toMatchObject({ 'content-type': 'application/json', vary: 'Accept-Encoding, Origin' });
    expect(new TextDecoder().decode(await response.arrayBuffer())).toBe('{"ok":true}');
  });

  it("gives the Web API client an HTTP error's status, headers and body", async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    handle = (_req, _body, res) => res.writeHead(503, { 'x-slack-req-id': 'r1' }).end('upstream down');
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${base}/api/`,
      fetch: slack.fetch,
      retryConfig: { retries: 0 },
    });
    await expect(client.auth.test()).rejects.toMatchObject({
      code: 'slack_webapi_http_error',
      statusCode: 503,
      headers: { 'x-slack-req-id': 'r1' },
      body: 'upstream down',
    });
  });

  it('keeps connections alive and reuses them for calls one after another', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    handle = (_req, _body, res) => res.end('{"ok":true}');
    for (let call = 0; call < 5; call++) {
      const freed = connectionFreed();
      await (await slack.fetch(`${base}/api/a`, { method: 'POST', body: '' })).text();
      // The agent takes the connection back once the response has ended, a moment after the body was read.
      await freed;
    }
    expect(received).toHaveLength(5);
    expect(received.every((request) => request.headers.connection === 'keep-alive')).toBe(true);
    expect(new Set(received.map((request) => request.socket)).size).toBeLessThan(5);
  });

  it('closes a kept-alive connection left unused, and the next call opens a new one', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000, idleSocketMs: 100 });
    handle = (_req, _body, res) => res.end('{"ok":true}');
    await (await slack.fetch(`${base}/api/a`, { method: 'POST', body: '' })).text();
    const first = received[0]?.socket as Socket;
    await waitFor(() => first.destroyed, 2_000);
    await (await slack.fetch(`${base}/api/b`, { method: 'POST', body: '' })).text();
    expect(received[1]?.socket).not.toBe(first);
  });

  it('keeps a connection that waits for a slow answer longer than the idle limit', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000, idleSocketMs: 100 });
    handle = (_req, _body, res) => setTimeout(() => res.end('{"ok":"late"}'), 300);
    const response = await slack.fetch(`${base}/api/slow`, { method: 'POST', body: '' });
    expect(await response.json()).toEqual({ ok: 'late' });
  });

  it('gives up after the timeout, whether the server is silent or stops halfway through the body', async () => {
    slack = createSlackFetch({ timeoutMs: 150 });
    handle = () => undefined;
    await expect(slack.fetch(`${base}/api/silent`, { method: 'POST', body: 'a=1' })).rejects.toMatchObject({
      name: 'TimeoutError',
    });
    handle = (_req, _body, res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"ok":');
    };
    await expect(
      slack.fetch(`${base}/api/halfway`, { method: 'POST', body: 'a=1' }).then((response) => response.text()),
    ).rejects.toBeDefined();
  });

  it("stops when the caller's own signal aborts", async () => {
    slack = createSlackFetch({ timeoutMs: 5_000 });
    const controller = new AbortController();
    // The server never answers; the caller gives up once the request has reached it.
    handle = () => controller.abort(new Error('the caller gave up'));
    const pending = slack.fetch(`${base}/api/silent`, {
      method: 'POST',
      body: 'a=1',
      signal: controller.signal,
    });
    await expect(pending).rejects.toThrow('the caller gave up');
  });

  it('rejects on a refused connection, without an uncaught error on the side', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const uncaught: unknown[] = [];
    const record = (error: unknown) => uncaught.push(error);
    process.on('uncaughtException', record);
    try {
      const closed = requestClosed();
      await expect(
        slack.fetch(`http://127.0.0.1:${port}/api/x`, { method: 'POST', body: 'a=1' }),
      ).rejects.toMatchObject({
        code: 'ECONNREFUSED',
      });
      // An error nobody listens for would surface before the request closes.
      await closed;
    } finally {
      process.off('uncaughtException', record);
    }
    expect(uncaught).toEqual([]);
  });

  it("speaks TLS to https addresses and checks the server's certificate", async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    const tls = path.join(projectRoot, 'tests', 'fixtures', 'tls');
    const secure = createHttpsServer(
      {
        key: await readFile(path.join(tls, 'localhost-key.pem')),
        cert: await readFile(path.join(tls, 'localhost-cert.pem')),
      },
      (_req, res) => res.end('{"ok":true}'),
    );
    let handshakes = 0;
    secure.on('tlsClientError', () => handshakes++);
    await new Promise<void>((resolve) => secure.listen(0, '127.0.0.1', resolve));
    try {
      const port = (secure.address() as AddressInfo).port;
      // A self-signed certificate is refused, as Slack's would be if it were not signed by a trusted authority.
      await expect(
        slack.fetch(`https://127.0.0.1:${port}/api/auth.test`, { method: 'POST', body: '' }),
      ).rejects.toMatchObject({ code: 'DEPTH_ZERO_SELF_SIGNED_CERT' });
      // The server reports the refused handshake as the client hangs up: wait for that event.
      await waitFor(() => handshakes === 1);
    } finally {
      secure.closeAllConnections();
      await new Promise((resolve) => secure.close(resolve));
    }
  });

  it('hands bodies it does not stream itself (FormData) to the built-in fetch', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    handle = (_req, _body, res) => res.end('{"ok":true}');
    const form = new FormData();
    form.append('file', new Blob(['hello']), 'hello.txt');
    const response = await slack.fetch(`${base}/api/files.upload`, { method: 'POST', body: form });
    expect(response.status).toBe(200);
    expect(received[0]?.headers['content-type']).toMatch(/^multipart\/form-data; boundary=/);
    expect(received[0]?.body).toContain('hello');
  });

  it("carries the Web API client's calls, results and platform errors", async () => {
    slack = createSlackFetch({ timeoutMs: 2_000 });
    const client = new WebClient('xoxb-test', {
      slackApiUrl: `${base}/api/`,
      fetch: slack.fetch,
      retryConfig: { retries: 0 },
    });
    handle = (req, body, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const params = new URLSearchParams(body);
      res.end(
        req.url === '/api/chat.postMessage'
          ? JSON.stringify({
              ok: true,
              channel: params.get('channel'),
              ts: '1.5',
              blocks: params.get('blocks'),
            })
          : JSON.stringify({ ok: false, error: 'channel_not_found' }),
      );
    };
    const posted = await client.chat.postMessage({
      channel: 'D1',
      text: 'Question 1',
      blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'Question 1' } }],
    });
    expect(posted).toMatchObject({ ok: true, channel: 'D1', ts: '1.5' });
    expect(JSON.parse(new URLSearchParams(received[0]?.body).get('blocks') ?? '')).toEqual([
      { type: 'section', text: { type: 'mrkdwn', text: 'Question 1' } },
    ]);
    expect(received[0]?.headers.authorization).toBe('Bearer xoxb-test');
    await expect(client.chat.update({ channel: 'D1', ts: '1.5', text: 'x' })).rejects.toMatchObject({
      data: { error: 'channel_not_found' },
    });
  });

  it('waits out a short Retry-After itself and tries again; a long one goes to the caller at once', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000, rateLimitWaitMs: 3_000 });
    let calls = 0;
    handle = (_req, _body, res) => {
      calls++;
      if (calls === 1) res.writeHead(429, { 'retry-after': '0' }).end('{"ok":false,"error":"ratelimited"}');
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const retried = await slack.fetch(`${base}/api/chat.postMessage`, { method: 'POST', body: 'channel=C1' });
    expect(retried.status).toBe(200);
    expect(received.map((request) => request.body)).toEqual(['channel=C1', 'channel=C1']);

    received.length = 0;
    handle = (_req, _body, res) => res.writeHead(429, { 'retry-after': '20' }).end();
    const limited = await slack.fetch(`${base}/api/chat.postMessage`, { method: 'POST', body: 'channel=C2' });
    expect(limited.status).toBe(429);
    expect(received).toHaveLength(1);
  });

  it("keeps one channel's rate limit to its own calls: others are answered at once, the limited one fails", async () => {
    const options = slackClientOptions({
      slackApiUrl: `${base}/api/`,
      slackApiTimeoutMs: 2_000,
      slackApiRetries: 2,
    });
    slack = { fetch: options.clientOptions.fetch, close: options.close };
    handle = (_req, body, res) => {
      if (body.includes('C0LIMITED1')) res.writeHead(429, { 'retry-after': '20' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true,"ts":"1.2"}');
    };
    const client = new WebClient('xoxb-test', options.clientOptions);
    const limited = client.chat.postMessage({ channel: 'C0LIMITED1', text: 'hi' });
    // The limited call fails at once instead of waiting 20 s, and nothing else waits behind it.
    await expect(limited).rejects.toMatchObject({ code: 'slack_webapi_rate_limited_error', retryAfter: 20 });
    await expect(client.chat.postMessage({ channel: 'C0OTHER001', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
    expect(received.filter((request) => request.body.includes('C0LIMITED1'))).toHaveLength(1);
  });

  it('keeps a long Retry-After: until it has passed, that method for that channel is refused here, not sent', async () => {
    let clock = 1_000_000;
    slack = createSlackFetch({ timeoutMs: 2_000, rateLimitWaitMs: 3_000, now: () => clock });
    handle = (_req, body, res) => {
      if (body.includes('C0LIMITED1')) res.writeHead(429, { 'retry-after': '20' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const call = (method: string, channel: string) =>
      slack.fetch(`${base}/api/${method}`, { method: 'POST', body: `channel=${channel}&text=x` });
    expect((await call('chat.postMessage', 'C0LIMITED1')).status).toBe(429);
    expect(received).toHaveLength(1);

    clock += 5_000;
    const refused = await call('chat.postMessage', 'C0LIMITED1');
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('15');
    expect(await refused.json()).toEqual({ ok: false, error: 'ratelimited' });
    expect(received).toHaveLength(1);
    // Other channels, and other methods for the limited channel, are still called.
    expect((await call('chat.postMessage', 'C0OTHER001')).status).toBe(200);
    expect((await call('chat.update', 'C0LIMITED1')).status).toBe(429);
    expect(received.map((request) => request.url)).toEqual([
      '/api/chat.postMessage',
      '/api/chat.postMessage',
      '/api/chat.update',
    ]);

    // Once the Retry-After has passed, the next call goes to Slack again.
    clock += 15_000;
    handle = (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    expect((await call('chat.postMessage', 'C0LIMITED1')).status).toBe(200);
    expect(received).toHaveLength(4);
  });

  it('as a long Retry-After ends, one call finds out whether the limit is over while the others wait for it', async () => {
    let clock = 1_000_000;
    slack = createSlackFetch({ timeoutMs: 2_000, rateLimitWaitMs: 3_000, now: () => clock });
    handle = (_req, _body, res) => res.writeHead(429, { 'retry-after': '20' }).end();
    const call = () =>
      slack.fetch(`${base}/api/chat.postMessage`, { method: 'POST', body: 'channel=C0LIMITED1&text=x' });
    expect((await call()).status).toBe(429);

    // Still limited: the one call that tried is answered 429, and so are the four that waited for it, unsent.
    clock += 20_000;
    const still = await Promise.all(Array.from({ length: 5 }, call));
    expect(still.map((response) => response.status)).toEqual([429, 429, 429, 429, 429]);
    expect(received).toHaveLength(2);

    // Over: the one that tried gets through, and then the others are sent.
    clock += 20_000;
    handle = (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    const over = await Promise.all(Array.from({ length: 5 }, call));
    expect(over.map((response) => response.status)).toEqual([200, 200, 200, 200, 200]);
    expect(received).toHaveLength(7);
  });

  it('a call during a short Retry-After waits out what is left of it, then is sent', async () => {
    slack = createSlackFetch({ timeoutMs: 2_000, rateLimitWaitMs: 3_000 });
    // Slack's side: every call within the second after the first is answered 429 (Retry-After: 1).
    let limitedUntil: number | undefined;
    handle = (_req, _body, res) => {
      limitedUntil ??= Date.now() + 1_000;
      if (Date.now() < limitedUntil) res.writeHead(429, { 'retry-after': '1' }).end();
      else res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    };
    const firstAnswered = requestClosed();
    const first = slack.fetch(`${base}/api/chat.postMessage`, { method: 'POST', body: 'channel=C1' });
    // The first call has its 429 (and has read its Retry-After) before the second starts.
    await firstAnswered;
    await new Promise((resolve) => setImmediate(resolve));
    const second = slack.fetch(`${base}/api/chat.postMessage`, { method: 'POST', body: 'channel=C1' });
    expect((await first).status).toBe(200);
    expect((await second).status).toBe(200);
    // The second call was not sent into the limit (it would have been answered 429 and sent again).
    expect(received).toHaveLength(3);
  });

  it("keeps one channel's hung calls to that channel: a few at a time, and other channels are answered at once", async () => {
    const options = slackClientOptions({
      slackApiUrl: `${base}/api/`,
      slackApiTimeoutMs: 5_000,
      slackApiRetries: 0,
    });
    slack = { fetch: options.clientOptions.fetch, close: options.close };
    const hung: ServerResponse[] = [];
    let mostAtOnce = 0;
    handle = (_req, body, res) => {
      if (!body.includes('C0HUNG0001')) {
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
        return;
      }
      hung.push(res);
      mostAtOnce = Math.max(mostAtOnce, hung.filter((response) => !response.writableEnded).length);
    };
    const client = new WebClient('xoxb-test', options.clientOptions);
    let hungSettled = 0;
    const hangs = Array.from({ length: 120 }, () =>
      client.chat.postMessage({ channel: 'C0HUNG0001', text: 'x' }).finally(() => {
        hungSettled++;
      }),
    );
    await waitFor(() => hung.length === CALLS_PER_CHANNEL);
    // More than the client's queue would have let through before: the other channel is not behind them.
    await expect(client.chat.postMessage({ channel: 'C0OTHER001', text: 'hi' })).resolves.toMatchObject({
      ok: true,
    });
    expect(hungSettled).toBe(0);
    expect(mostAtOnce).toBe(CALLS_PER_CHANNEL);
    handle = (_req, _body, res) =>
      res.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    for (const response of hung)
      response.writeHead(200, { 'content-type': 'application/json' }).end('{"ok":true}');
    await Promise.all(hangs);
  }, 20_000);
});
