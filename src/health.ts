import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Config } from './config.js';
import type { Knowledge } from './knowledge/knowledge.js';

export const HEALTH_PATH = '/healthz';

/**
 * `GET /healthz` in HTTP mode: up, which version, which mode, how much knowledge (for load balancers and admins);
 * 503 with the reason while the data cannot be written (`writeProblem`).
 */
export function healthRoute(
  config: Pick<Config, 'mode'>,
  knowledge: Knowledge,
  version: string,
  writeProblem: () => string | undefined,
) {
  return {
    path: HEALTH_PATH,
    method: ['GET'],
    handler: (_req: IncomingMessage, res: ServerResponse) => {
      const problem = writeProblem();
      const body = JSON.stringify({
        status: problem ? 'degraded' : 'ok',
        ...(problem ? { problem } : {}),
        version,
        mode: config.mode,
        knowledge: { entries: knowledge.entries.length, dimensions: knowledge.dimensions.length },
      });
      res.writeHead(problem ? 503 : 200, { 'content-type': 'application/json' });
      res.end(body);
    },
  };
}
