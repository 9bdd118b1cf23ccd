import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';

/** Statuses whose responses have no body (the Response constructor refuses one). */
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);
/** Kept-alive connections per origin: enough for bursts of Slack calls, bounded so a burst cannot open hundreds. */
const MAX_SOCKETS_PER_ORIGIN = 64;

export interface SlackFetch {
  fetch: typeof fetch;
  /** Closes the kept-alive connections (on shutdown). */
  close(): void;
}

function timeoutSignal(timeoutMs: number, callerSignal: AbortSignal | null | undefined): AbortSignal {
  const timeout = AbortSignal.timeout(timeoutMs);
  return callerSignal ? AbortSignal.any([callerSignal, timeout]) : timeout;
}

function plainHeaders(headers: RequestInit['headers']): Record<string, string> {
  if (!headers) return {};
  if (headers instanceof Headers || Array.isArray(headers)) return Object.fromEntries(new Headers(headers));
  return headers as Record<string, string>;
}

function toResponse(response: IncomingMessage, body: Buffer): Response {
  const status = response.statusCode ?? 0;
  const headers = new Headers();
  const raw = response.rawHeaders;
  for (let index = 0; index + 1 < raw.length; index += 2)
    headers.append(raw[index] ?? '', raw[index + 1] ?? '');
  return new Response(NULL_BODY_STATUSES.has(status) ? null : body, {
    status,
    statusText: response.statusMessage ?? '',
    headers,
  });
}

/**
 * The `fetch` given to Bolt and its Web API client: every call to Slack (Web API and response_url) goes through it.
 *
 * - Bounded: a request gives up after `timeoutMs` (the client's own default is to wait forever).
 * - Lean: string and byte bodies, which is every Web API call and every respond(), go over node:http(s) with
 *   kept-alive connections. Node's built-in fetch costs about twice the CPU per call (web streams, its own
 *   dispatcher) and was the largest single cost of an answer click in `npm run bench:quiz`.
 *   Anything else (a FormData upload, a Request object) goes to the built-in fetch, with the same timeout.
 */
export function createSlackFetch({ timeoutMs }: { timeoutMs: number }): SlackFetch {
  const agents = {
    'http:': new http.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
    'https:': new https.Agent({ keepAlive: true, maxSockets: MAX_SOCKETS_PER_ORIGIN }),
  };

  const slackFetch = (input: string | URL | Request, init: RequestInit = {}): Promise<Response> => {
    const signal = timeoutSignal(timeoutMs, init.signal);
    const body = init.body;
    const url = input instanceof Request ? undefined : new URL(input);
    const agent =
      url && (url.protocol === 'http:' || url.protocol === 'https:') ? agents[url.protocol] : undefined;
    const leanBody =
      body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
    if (!url || !agent || !leanBody) return globalThis.fetch(input, { ...init, signal });

    return new Promise<Response>((resolve, reject) => {
      // Looked up on the module at call time, so interceptors such as nock (in tests) see the request.
      const send = url.protocol === 'https:' ? https.request : http.request;
      const outgoing = send(
        url,
        { method: init.method ?? 'GET', headers: plainHeaders(init.headers), agent, signal },
        (response) => {
          const chunks: Buffer[] = [];
          response.on('data', (chunk: Buffer) => chunks.push(chunk));
          response.on('error', reject);
          response.on('end', () => {
            try {
              resolve(toResponse(response, Buffer.concat(chunks)));
            } catch (error) {
              reject(error);
            }
          });
        },
      );
      outgoing.on('error', (error) => reject(signal.aborted ? (signal.reason ?? error) : error));
      outgoing.end(body ?? undefined);
    });
  };

  return {
    fetch: slackFetch as typeof fetch,
    close() {
      agents['http:'].destroy();
      agents['https:'].destroy();
    },
  };
}
