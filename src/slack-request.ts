import { createHmac } from 'node:crypto';

/** The headers Slack signs a request with: `v0=` HMAC-SHA256 of `v0:{timestamp}:{body}` under the signing secret. */
export type SlackSignatureHeaders = {
  'x-slack-request-timestamp': string;
  'x-slack-signature': string;
};

/** Signs a request body as Slack does (what Bolt's receivers verify); `timestamp` is in seconds. */
export function signSlackRequest(
  secret: string,
  body: string,
  timestamp = Math.floor(Date.now() / 1000),
): SlackSignatureHeaders {
  const signature = createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex');
  return { 'x-slack-request-timestamp': String(timestamp), 'x-slack-signature': `v0=${signature}` };
}

/** Form bodies must carry exactly this content type: Bolt's HTTP receiver parses a form for no other. */
const FORM = 'application/x-www-form-urlencoded';

/**
 * A request body as Slack encodes it: an interaction (`type: 'block_actions'`…) as a form with one `payload`
 * field of JSON, an Events API envelope (`type: 'event_callback'`) as JSON, a slash command (no `type`) as form fields.
 */
export function encodeSlackRequest(request: object): { body: string; contentType: string } {
  const { type } = request as { type?: unknown };
  if (type === 'event_callback' || type === 'url_verification')
    return { body: JSON.stringify(request), contentType: 'application/json' };
  if (typeof type === 'string')
    return { body: new URLSearchParams({ payload: JSON.stringify(request) }).toString(), contentType: FORM };
  const fields = Object.entries(request).flatMap(([name, value]) =>
    value === undefined ? [] : [[name, String(value)] as [string, string]],
  );
  return { body: new URLSearchParams(fields).toString(), contentType: FORM };
}

/** A request as Slack sends it to the app: the encoded body, and headers with its content type and signature. */
export function signedSlackRequest(
  secret: string,
  request: object,
  timestamp?: number,
): { body: string; headers: Record<string, string> } {
  const { body, contentType } = encodeSlackRequest(request);
  return { body, headers: { 'content-type': contentType, ...signSlackRequest(secret, body, timestamp) } };
}

/** True when body[from, to) holds a "%" or "+": a form field name written encoded. */
function encodedBetween(body: string, from: number, to: number): boolean {
  for (let index = from; index < to; index++) {
    const char = body.charCodeAt(index);
    if (char === 37 /* % */ || char === 43 /* + */) return true;
  }
  return false;
}

/**
 * The first value of a form field, exactly as `new URLSearchParams(body).get(name)` reads it, but decoding only
 * that field (when no field name before it is written encoded, as in every body Slack and the Web API client
 * send): the rest of a body, its blocks or its payload, is most of it. `name` is a plain name (no "%", "+", "&").
 */
export function formField(body: string, name: string): string | null {
  // URLSearchParams skips a leading "?".
  for (let start = body.startsWith('?') ? 1 : 0; start < body.length; ) {
    const amp = body.indexOf('&', start);
    const end = amp === -1 ? body.length : amp;
    const equals = body.indexOf('=', start);
    const nameEnd = equals === -1 || equals > end ? end : equals;
    if (encodedBetween(body, start, nameEnd)) return new URLSearchParams(body).get(name);
    if (nameEnd - start === name.length && body.startsWith(name, start))
      return new URLSearchParams(body.slice(start, end)).get(name);
    start = end + 1;
  }
  return null;
}

/** Whether a form body has any field, exactly as `new URLSearchParams(body).size > 0` says, decoding nothing. */
export function hasFormFields(body: string): boolean {
  for (let index = body.startsWith('?') ? 1 : 0; index < body.length; index++)
    if (body.charCodeAt(index) !== 38 /* & */) return true;
  return false;
}
