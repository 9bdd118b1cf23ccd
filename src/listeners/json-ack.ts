import type { Context, SlackCommandMiddlewareArgs } from '@slack/bolt';
import type { SlackMessage } from '../views/block-kit.js';

/**
 * The context key under which the HTTP receiver offers, for one request, to mark its response as JSON (app.ts
 * puts the request screen's marker there; Socket Mode and the local chat have none).
 */
export const JSON_RESPONSE = 'markJsonResponse';

/** Each message's acknowledgement as JSON text, serialised once per message object. */
const ephemeralJson = new WeakMap<SlackMessage, string>();

/**
 * JSON text with every character past ASCII written as a \u escape: the same JSON value, but a one-byte string,
 * which Node writes to a socket for about half the CPU of a two-byte one (the "·" of the source line made the whole
 * overview two-byte).
 */
function asciiJson(value: unknown): string {
  return JSON.stringify(value).replace(
    /[\u0080-\uffff]/g,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`,
  );
}

/**
 * Acknowledges a slash command with an ephemeral message.
 *
 * Over HTTP the message goes as JSON text serialised once per message: the views built from the knowledge alone
 * are cached, so the `/pm-compare` overview is serialised once, not by Bolt on every request (that was about a
 * tenth of a `/pm-compare`'s CPU; in-process, app/bare Bolt 1.22× → 1.05×). Bolt writes a string acknowledgement
 * as it is, with no content type, so the response is marked JSON first: Slack reads the same JSON message either
 * way. Elsewhere (Socket Mode, the local chat) the message goes as an object, as before.
 */
export async function ackEphemeral(
  { ack, context }: Pick<SlackCommandMiddlewareArgs, 'ack'> & { context: Context },
  message: SlackMessage,
): Promise<void> {
  const markJson = context[JSON_RESPONSE];
  if (typeof markJson !== 'function') {
    await ack({ response_type: 'ephemeral', ...message });
    return;
  }
  let json = ephemeralJson.get(message);
  if (json === undefined) {
    json = asciiJson({ response_type: 'ephemeral', ...message });
    ephemeralJson.set(message, json);
  }
  markJson();
  await ack(json);
}
