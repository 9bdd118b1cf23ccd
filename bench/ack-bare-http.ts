import { createHmac, timingSafeEqual } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';

/**
 * The floor of `npm run bench:ack`: a plain node:http server that checks Slack's signature as Bolt does (HMAC-SHA256
 * of `v0:{timestamp}:{body}`, at most 5 minutes old) and answers 200. An app_mention is answered as the bare Bolt
 * app answers it, with one `chat.postMessage` thread reply, so the mention's figures have a floor too.
 * Settings from the environment (SLACK_SIGNING_SECRET, SLACK_API_URL, PORT).
 */
const secret = process.env.SLACK_SIGNING_SECRET ?? '';
const apiUrl = process.env.SLACK_API_URL ?? 'https://slack.com/api/';
const token = process.env.SLACK_BOT_TOKEN ?? 'xoxb-bench';
// Idle connections closed before the stand-in's own 5 s keep-alive limit could close one under a new request.
const agent = new Agent({ keepAlive: true, timeout: 4_000 });

function signed(body: string, timestamp: string | undefined, signature: string | undefined): boolean {
  const seconds = Number(timestamp);
  if (!Number.isFinite(seconds) || Math.abs(Date.now() / 1000 - seconds) > 300 || !signature) return false;
  const expected = Buffer.from(
    `v0=${createHmac('sha256', secret).update(`v0:${timestamp}:${body}`).digest('hex')}`,
  );
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

function reply(event: { channel?: string; ts?: string; thread_ts?: string }, attempt = 1): void {
  const body = new URLSearchParams({
    channel: event.channel ?? '',
    thread_ts: event.thread_ts ?? event.ts ?? '',
    text: 'Thanks for asking.',
  }).toString();
  const outgoing = request(`${apiUrl}chat.postMessage`, {
    method: 'POST',
    agent,
    headers: {
      authorization: `Bearer ${token}`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
    },
  });
  outgoing.on('response', (response) => response.resume());
  // A kept-alive connection closed under the request: once more, on a new one.
  outgoing.on('error', () => attempt < 3 && reply(event, attempt + 1));
  outgoing.end(body);
}

const server = createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const timestamp = req.headers['x-slack-request-timestamp'];
    const signature = req.headers['x-slack-signature'];
    if (!signed(body, String(timestamp), typeof signature === 'string' ? signature : undefined)) {
      res.writeHead(401).end();
      return;
    }
    res.writeHead(200).end();
    if (req.headers['content-type']?.startsWith('application/json')) {
      const envelope = JSON.parse(body) as {
        event?: { type?: string; channel?: string; ts?: string; thread_ts?: string };
      };
      if (envelope.event?.type === 'app_mention') reply(envelope.event);
    }
  });
});
server.listen(Number(process.env.PORT ?? 3000), '127.0.0.1');
