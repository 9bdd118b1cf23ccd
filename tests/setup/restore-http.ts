import { afterAll, beforeAll } from '@jest/globals';
import nock from 'nock';

/**
 * Jest runs several test files in one process, and node:http is shared between them. nock patches it as soon as
 * it is imported, and a file that leaves it patched sends the next file's plain HTTP through its interceptor
 * (or through two layered ones). So every file starts and ends with node:http unpatched; the files that mock
 * Slack turn nock on themselves (closeNetwork() in tests/helpers/slack.ts).
 */
function unpatchHttp(): void {
  nock.cleanAll();
  nock.enableNetConnect();
  nock.restore();
}
beforeAll(unpatchHttp);
afterAll(unpatchHttp);
