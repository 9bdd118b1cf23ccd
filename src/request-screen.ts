import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { isValidSlackRequest } from '@slack/bolt';
import { formField, hasFormFields } from './slack-request.js';

/** Bolt's own limit for a request body. */
const BODY_LIMIT = 4 * 1024 * 1024;

/** What a signed request must look like for Bolt to handle it: an object, and a block action with its user. */
function isWellFormed(body: string, contentType: string | undefined): boolean {
  try {
    const form = contentType?.split(';')[0]?.trim() === 'application/x-www-form-urlencoded';
    // Read as URLSearchParams would, decoding only the payload (a command's fields are not decoded at all).
    const payload = form ? formField(body, 'payload') : null;
    if (form && payload === null) return hasFormFields(body);
    const parsed: unknown = JSON.parse(payload ?? body);
    if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return false;
    const { type, user } = parsed as { type?: unknown; user?: { id?: unknown } };
    if (type === 'block_actions' || type === 'view_submission' || type === 'shortcut')
      return typeof user?.id === 'string';
    return true;
  } catch {
    return false;
  }
}

/**
 * The whole body, or undefined once it is past the limit (the rest then goes unkept: the connection stays open
 * for the 413, as it did when a `for await` over the request was left early). Listened to with 'data' and 'end',
 * not read with `for await`: the async iterator cost more than the signature check on every request.
 */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size <= BODY_LIMIT) {
        chunks.push(chunk);
        return;
      }
      chunks.length = 0;
      req.off('data', onData);
      req.resume();
      resolve(undefined);
    };
    req.on('data', onData);
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/** A request the screen lets through to Bolt. */
export type ScreenedRequest = IncomingMessage & {
  /** The body, already read (Bolt uses it as it is). */
  rawBody?: Buffer;
  /**
   * Marks the response as JSON before Bolt writes it: Bolt writes an acknowledgement given as a string as it is,
   * with no content type (listeners/json-ack.ts gives it JSON text it serialised once).
   */
  markJsonResponse?: () => void;
};

/**
 * Screens POSTs to Slack's endpoint before Bolt reads them: a correctly signed body that is not a Slack payload
 * (`null`, a list, a block action without a user) gets a clear 400. Bolt itself throws on some of them outside its
 * error handling, and the request is then never answered. The body is handed to Bolt already read (`rawBody`,
 * which Bolt uses as it is), so everything else goes through as before.
 */
export function screenRequests(
  next: RequestListener,
  options: { signingSecret: string; endpoint: string },
): RequestListener {
  return (req: IncomingMessage, res: ServerResponse) => {
    if (req.method !== 'POST' || req.url?.split('?')[0] !== options.endpoint) {
      next(req, res);
      return;
    }
    void readBody(req)
      .then((raw) => {
        if (!raw) {
          res.writeHead(413).end();
          return;
        }
        const body = raw.toString('utf8');
        // Only a malformed body has its signature checked here (Bolt checks every other one): signed, it gets the
        // 400; unsigned, Bolt's 401. Checking every body here too doubled the signature work of every request.
        const signed = () =>
          isValidSlackRequest({
            signingSecret: options.signingSecret,
            body,
            headers: {
              'x-slack-signature': String(req.headers['x-slack-signature'] ?? ''),
              'x-slack-request-timestamp': Number(req.headers['x-slack-request-timestamp']),
            },
          });
        if (!isWellFormed(body, req.headers['content-type']) && signed()) {
          res.writeHead(400, { 'content-type': 'text/plain' }).end('not a Slack request payload');
          return;
        }
        const screened = req as ScreenedRequest;
        screened.rawBody = raw;
        screened.markJsonResponse = () => {
          if (!res.headersSent) res.setHeader('content-type', 'application/json');
        };
        next(req, res);
      })
      .catch(() => {
        if (!res.headersSent) res.writeHead(400).end();
      });
  };
}
