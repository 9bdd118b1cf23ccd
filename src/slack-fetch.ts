import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { formField } from './slack-request.js';

/**
 * An unused kept-alive connection is closed after this long, before the server's own idle limit could close it
 * under a new request (the built-in fetch does the same, with the same 4 s). Node's agent would otherwise keep
 * it forever and ignore the server's Keep-Alive hint. A request in progress is not affected.
 */
const IDLE_SOCKET_MS = 4_000;

/** The longest `Retry-After` a call waits out itself (Slack's per-method limits reset within a minute). */
export const RATE_LIMIT_WAIT_MS = 3_000;
/** Calls in flight at once for one channel; the rest of that channel's calls wait their turn. */
export const CALLS_PER_CHANNEL = 8;
/** How many times one call is retried after a 429 it waited out. */
const RATE_LIMIT_RETRIES = 2;
/** A rate limit is forgotten this long after it ended when no call came to find out that it had. */
const HOLD_KEPT_MS = 60_000;

/** `Retry-After: <seconds>` in milliseconds; undefined when absent or not a number of seconds. */
function retryAfterMs(header: string | null): number | undefined {
  if (header === null || !/^\s*\d+\s*$/.test(header)) return undefined;
  return Number(header) * 1000;
}

/** Statuses whose responses have no body. */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

/**
 * The `channel` field of a form body, as `new URLSearchParams(body).get('channel')` reads it, decoding only that
 * field: the rest is mostly the blocks, and decoding them all cost more than the call's own HTTP request.
 */
export function channelOf(body: string): string | null {
  return formField(body, 'channel');
}

export interface SlackFetch {
  fetch: typeof fetch;
  /** Closes the kept-alive connections (on shutdown). */
  close(): void;
}

/** The request headers as a plain object, with a content-length for a body (as fetch sends; no chunked body). */
function requestHeaders(init: RequestInit, body: string | Uint8Array | undefined): Record<string, string> {
  const given = init.headers;
  const headers: Record<string, string> =
    given instanceof Headers || Array.isArray(given)
      ? Object.fromEntries(new Headers(given))
      : { ...(given as Record<string, string> | undefined) };
  const hasLength = Object.keys(headers).some((name) => name.toLowerCase() === 'content-length');
  if (body !== undefined && !hasLength) headers['content-length'] = String(Buffer.byteLength(body));
  return headers;
}

function isLeanBody(body: RequestInit['body']): body is string | Uint8Array | null | undefined {
  return body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
}

/**
 * The headers of an answer, read as `Headers` reads them (names in any case; repeated headers joined with ", "),
 * straight from what node:http parsed, instead of copied into a `Headers`.
 */
class AnswerHeaders {
  constructor(private readonly parsed: IncomingMessage['headers']) {}

  get(name: string): string | null {
    const value = this.parsed[name.toLowerCase()];
    if (value === undefined) return null;
    return Array.isArray(value) ? value.join(', ') : value;
  }

  has(name: string): boolean {
    return this.parsed[name.toLowerCase()] !== undefined;
  }

  *entries(): IterableIterator<[string, string]> {
    for (const name of Object.keys(this.parsed).sort()) {
      const value = this.get(name);
      if (value !== null) yield [name, value];
    }
  }

  keys(): IterableIterator<string> {
    return Array.from(this.entries(), ([name]) => name)[Symbol.iterator]();
  }

  values(): IterableIterator<string> {
    return Array.from(this.entries(), ([, value]) => value)[Symbol.iterator]();
  }

  forEach(callback: (value: string, name: string, headers: AnswerHeaders) => void): void {
    for (const [name, value] of this.entries()) callback(value, name, this);
  }

  [Symbol.iterator](): IterableIterator<[string, string]> {
    return this.entries();
  }
}

/**
 * A finished answer in the shape of a fetch `Response`: what the Web API client and Bolt's respond() read (status,
 * ok, statusText, url, headers, text(), json(), arrayBuffer()). A real `Response` with a real `Headers` cost about
 * a tenth of the CPU of a questionnaire click (web streams for a body that is already whole).
 */
function toResponse(url: URL, response: IncomingMessage, received: Buffer) {
  const status = response.statusCode ?? 0;
  const body = NULL_BODY_STATUSES.has(status) ? Buffer.alloc(0) : received;
  let bodyUsed = false;
  const read = () => {
    bodyUsed = true;
    return Promise.resolve(body);
  };
  const answer = {
    status,
    ok: status >= 200 && status <= 299,
    statusText: response.statusMessage ?? '',
    url: url.href,
    redirected: false,
    type: 'basic' as const,
    headers: new AnswerHeaders(response.headers),
    body: null,
    get bodyUsed() {
      return bodyUsed;
    },
    text: () => read().then((bytes) => bytes.toString('utf8')),
    json: () => read().then((bytes) => JSON.parse(bytes.toString('utf8')) as unknown),
    arrayBuffer: () =>
      read().then((bytes) => bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)),
    bytes: () => read().then((bytes) => new Uint8Array(bytes)),
    blob: () => read().then((bytes) => new Blob([bytes])),
    clone: () => toResponse(url, response, received),
  };
  return answer as unknown as Response;
}

/**
 * The `fetch` given to Bolt and its Web API client: every call to Slack (Web API and response_url) goes through it.
 *
 * - Bounded: a request gives up after `timeoutMs` (the client's own default is to wait forever).
 * - Lean: string and byte bodies, which is every Web API call and every respond(), go over node:http(s) with
 *   kept-alive connections. Node's built-in fetch costs about twice the CPU per call (web streams, its own
 *   dispatcher) and was the largest single cost of an answer click in `npm run bench:questionnaire`.
 *   Anything else (a FormData upload, a Request object) goes to the built-in fetch, with the same timeout.
 */
export function createSlackFetch({
  timeoutMs,
  idleSocketMs = IDLE_SOCKET_MS,
  rateLimitWaitMs = RATE_LIMIT_WAIT_MS,
  now = Date.now,
}: {
  timeoutMs: number;
  /** How long an unused kept-alive connection is kept (tests shorten it). */
  idleSocketMs?: number;
  /** The longest `Retry-After` one call waits out itself before giving the 429 to its caller. */
  rateLimitWaitMs?: number;
  /** The clock rate limits are kept by (tests move it). */
  now?: () => number;
}): SlackFetch {
  // No cap on sockets here: the Web API client already runs at most 100 calls at once (its request queue), and a
  // cap would make calls wait for a free socket inside the timeout meant for Slack's answer.
  const agents = {
    'http:': new http.Agent({ keepAlive: true, timeout: idleSocketMs }),
    'https:': new https.Agent({ keepAlive: true, timeout: idleSocketMs }),
  };

  const slackFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const body = init.body;
    const url = input instanceof Request ? undefined : new URL(input);
    const agent =
      url && (url.protocol === 'http:' || url.protocol === 'https:') ? agents[url.protocol] : undefined;
    if (!url || !agent || !isLeanBody(body)) {
      const timeout = AbortSignal.timeout(timeoutMs);
      return globalThis.fetch(input, {
        ...init,
        signal: init.signal ? AbortSignal.any([init.signal, timeout]) : timeout,
      });
    }

    return new Promise<Response>((resolve, reject) => {
      const callerSignal = init.signal ?? undefined;
      if (callerSignal?.aborted) {
        reject(callerSignal.reason);
        return;
      }
      // Looked up on the module at call time, so interceptors such as nock (in tests) see the request.
      const send = url.protocol === 'https:' ? https.request : http.request;
      const outgoing = send(url, {
        method: init.method ?? 'GET',
        headers: requestHeaders(init, body ?? undefined),
        agent,
      });
      // A plain timer and a listener removed once settled, not AbortSignal.timeout(): that keeps the whole request
      // (sockets, buffers, response) reachable until the timeout would have fired, seconds after it finished,
      // which promoted every request to the old generation and made garbage collection the app's longest pauses.
      const abort = (reason: unknown) =>
        outgoing.destroy(reason instanceof Error ? reason : new Error(String(reason)));
      const onCallerAbort = () => abort(callerSignal?.reason);
      const timer = setTimeout(
        () =>
          abort(
            Object.assign(new Error(`no answer from Slack within ${timeoutMs} ms`), { name: 'TimeoutError' }),
          ),
        timeoutMs,
      );
      callerSignal?.addEventListener('abort', onCallerAbort, { once: true });
      const settle = () => {
        clearTimeout(timer);
        callerSignal?.removeEventListener('abort', onCallerAbort);
      };
      outgoing.on('response', (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', (error) => {
          settle();
          reject(error);
        });
        response.on('end', () => {
          settle();
          try {
            resolve(toResponse(url, response, Buffer.concat(chunks)));
          } catch (error) {
            reject(error);
          }
        });
      });
      outgoing.on('error', (error) => {
        settle();
        reject(error);
      });
      outgoing.end(body ?? undefined);
    });
  };

  /**
   * Rate limits Slack answered, by `<path> <channel>`: until when (ms, `now()`) it asked not to be called, and
   * the one call finding out whether the limit is over once that time has passed. The entry stays until a call
   * gets through (or long after it expired), so the calls that come as a limit ends wait for that one answer
   * instead of all trying at once.
   */
  const holds = new Map<string, { until: number; probe?: Promise<void> }>();
  const hold = (key: string, until: number) => {
    const stale = now() - HOLD_KEPT_MS;
    for (const [other, entry] of holds) if (entry.until < stale && !entry.probe) holds.delete(other);
    const entry = holds.get(key);
    if (entry) entry.until = Math.max(entry.until, until);
    else holds.set(key, { until });
  };
  /** The answer Slack would give a call made while it is still rate-limited (the client reads it as Slack's). */
  const refusedHere = (waitMs: number) =>
    new Response(JSON.stringify({ ok: false, error: 'ratelimited' }), {
      status: 429,
      headers: { 'content-type': 'application/json', 'retry-after': String(Math.ceil(waitMs / 1000)) },
    });
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

  /**
   * A 429 is this call's business: it waits out a short `Retry-After` and tries again (a few times at most), and
   * hands a longer one to its caller at once. The Web API client is set to reject rate-limited calls
   * (`rejectRateLimitedCalls`) rather than pause its one queue, which held every person's replies for the whole
   * `Retry-After` of one channel's limit.
   *
   * The `Retry-After` is kept, per method and channel (`chat.postMessage` is limited per channel): until it has
   * passed, that method's next calls for that channel are answered 429 here, without reaching Slack (or, in its
   * last seconds, wait for it), and then one call tries while the others wait for its answer. A limited channel
   * gets about one call per `Retry-After`, however many people talk there, not one per message.
   */
  const rateLimitedFetch = async (
    input: string | URL | Request,
    init: RequestInit,
    holdKey: string | undefined,
  ): Promise<Response> => {
    let heldUntil = 0;
    // However the limits come and go, one call waits for them no longer than its own retries would.
    const waitUntil = now() + rateLimitWaitMs * (RATE_LIMIT_RETRIES + 1);
    for (let attempt = 0; ; ) {
      const held = holdKey === undefined ? undefined : holds.get(holdKey);
      const waitMs = Math.max(heldUntil, held?.until ?? 0) - now();
      if (waitMs > rateLimitWaitMs || (waitMs > 0 && now() + waitMs > waitUntil)) return refusedHere(waitMs);
      if (waitMs > 0) {
        await sleep(waitMs);
        continue;
      }
      if (held?.probe !== undefined) {
        await held.probe;
        continue;
      }
      let probed = () => {};
      if (held) held.probe = new Promise<void>((resolve) => (probed = resolve));
      let response: Response;
      let retryMs: number | undefined;
      try {
        response = await slackFetch(input, init);
        attempt++;
        if (response.status !== 429 || !isLeanBody(init.body)) {
          if (held && holdKey !== undefined && holds.get(holdKey) === held) holds.delete(holdKey);
          return response;
        }
        retryMs = retryAfterMs(response.headers.get('retry-after'));
        if (retryMs === undefined) return response;
        heldUntil = now() + retryMs;
        if (holdKey !== undefined) hold(holdKey, heldUntil);
      } finally {
        // Those waiting for this answer look again only once the limit it brought is kept.
        if (held) held.probe = undefined;
        probed();
      }
      if (attempt > RATE_LIMIT_RETRIES || retryMs > rateLimitWaitMs) return response;
    }
  };

  /**
   * At most a few calls at once per channel; more wait their turn here. One channel whose calls hang (until the
   * timeout) can then hold only its own replies, not the client's queue for everyone (see slack-client.ts).
   */
  const perChannel = new Map<string, { running: number; waiting: (() => void)[] }>();
  /** Waiting counts toward the call's timeout: a call still waiting when it is up fails like a silent Slack. */
  const waitForTurn = (lane: { waiting: (() => void)[] }) =>
    new Promise<void>((resolve, reject) => {
      const turn = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        lane.waiting.splice(lane.waiting.indexOf(turn), 1);
        reject(
          Object.assign(new Error(`no turn to call Slack within ${timeoutMs} ms`), { name: 'TimeoutError' }),
        );
      }, timeoutMs);
      lane.waiting.push(turn);
    });
  const channelFetch = async (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const channel = typeof init.body === 'string' ? channelOf(init.body) : null;
    if (!channel) return rateLimitedFetch(input, init, undefined);
    const holdKey = input instanceof Request ? undefined : `${new URL(input).pathname} ${channel}`;
    const lane = perChannel.get(channel) ?? { running: 0, waiting: [] };
    perChannel.set(channel, lane);
    if (lane.running >= CALLS_PER_CHANNEL) await waitForTurn(lane);
    lane.running++;
    try {
      return await rateLimitedFetch(input, init, holdKey);
    } finally {
      lane.running--;
      const nextInLine = lane.waiting.shift();
      if (nextInLine) nextInLine();
      else if (lane.running === 0) perChannel.delete(channel);
    }
  };

  return {
    fetch: channelFetch as typeof fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
