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
