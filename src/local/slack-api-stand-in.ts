import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { decodeSlackBody, SlackWebApi, type WebApiResult } from './slack-web-api.js';
import { LOCAL_WORKSPACE, type SlackWorkspace } from './slack-workspace.js';

const API_PREFIX = '/api/';
const RESPONSE_PREFIX = '/response/';
/** Slack's authorize page, beside the Web API as slack.com has it (what config.ts derives from SLACK_API_URL). */
const AUTHORIZE_PATH = '/oauth/v2/authorize';

/**
 * The Slack side (SlackWebApi) on 127.0.0.1: its Web API methods under /api/ and its response_urls. The app
 * reaches it through clientOptions.slackApiUrl, exactly as it reaches Slack.
 */
export class SlackApiStandIn {
  readonly api: SlackWebApi;
  private readonly waiters: Array<() => void> = [];
  private pending = 0;
  /**
   * Where the authorize page sends the installer back when the install URL names no redirect_uri (Slack uses the
   * app's configured redirect URL): the app's /slack/oauth_redirect.
   */
  oauthRedirectUri: string | undefined;

  private constructor(
    private readonly server: Server,
    readonly baseUrl: string,
    workspace: SlackWorkspace,
  ) {
    this.api = new SlackWebApi(workspace, `${baseUrl}${RESPONSE_PREFIX}`);
  }

  /** Starts listening on a random loopback port. */
  static async start(workspace: SlackWorkspace = LOCAL_WORKSPACE): Promise<SlackApiStandIn> {
    let standIn: SlackApiStandIn | undefined;
    const server = createServer((req, res) => {
      if (standIn) standIn.handle(req, res);
      else res.writeHead(503).end();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    standIn = new SlackApiStandIn(server, `http://127.0.0.1:${port}`, workspace);
    return standIn;
  }

  /** The Web API base URL, for clientOptions.slackApiUrl. */
  get apiUrl(): string {
    return `${this.baseUrl}${API_PREFIX}`;
  }

  /** Slack's authorize page here (the app's authorizationUrl). */
  get authorizationUrl(): string {
    return `${this.baseUrl}${AUTHORIZE_PATH}`;
  }

  /** Requests received and not answered yet. */
  get pendingRequests(): number {
    return this.pending;
  }

  /** Resolves when every request received so far has been answered. */
  settled(): Promise<void> {
    if (this.pending === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  async close(): Promise<void> {
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    this.pending++;
    res.on('close', () => {
      this.pending--;
      if (this.pending === 0) for (const wake of this.waiters.splice(0)) wake();
    });
    if (req.method === 'GET' && (req.url ?? '').split('?')[0] === AUTHORIZE_PATH) {
      this.authorize(req, res);
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = req.url ?? '';
      let status = 200;
      let headers: Record<string, string> = {};
      let body: WebApiResult;
      try {
        const params = decodeSlackBody(Buffer.concat(chunks).toString('utf8'), req.headers['content-type']);
        if (req.method === 'POST' && url.startsWith(API_PREFIX)) {
          ({ status, headers, body } = this.api.answer(
            url.slice(API_PREFIX.length).split('?')[0] ?? '',
            params,
            req.headers.authorization?.replace(/^Bearer /, ''),
          ));
        } else if (req.method === 'POST' && url.startsWith(RESPONSE_PREFIX)) {
          ({ status, body } = this.api.respond(`${this.baseUrl}${url}`, params));
        } else {
          status = 404;
          body = { ok: false, error: 'not_found' };
        }
      } catch {
        status = 400;
        body = { ok: false, error: 'invalid_request' };
      }
      res.writeHead(status, { ...headers, 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    });
  }

  /** The authorize page, as if the person clicked "Allow" at once: back to the redirect with a code and the state. */
  private authorize(req: IncomingMessage, res: ServerResponse): void {
    const query = new URL(req.url ?? '', this.baseUrl).searchParams;
    const redirect = query.get('redirect_uri') ?? this.oauthRedirectUri;
    if (!redirect || !query.get('client_id')) {
      res.writeHead(400, { 'content-type': 'text/plain' }).end('client_id and a redirect URI are needed');
      return;
    }
    const back = new URL(redirect);
    back.searchParams.set('code', this.api.issueInstallCode(query.get('scope') ?? ''));
    const state = query.get('state');
    if (state) back.searchParams.set('state', state);
    res.writeHead(302, { location: back.href }).end();
  }
}
