import { describe, expect, it } from '@jest/globals';
import { AgentSurface } from '../../../src/flows/agent-surface.js';
import { manualClock, T0 } from '../../helpers/clock.js';

/** A Web API failure as @slack/web-api throws it for `{ ok: false, error }`. */
function slackError(error: string): Error {
  return Object.assign(new Error(`An API error occurred: ${error}`), {
    code: 'slack_webapi_platform_error',
    data: { ok: false, error },
  });
}

function surface(limits = { workspaces: 3, unavailableForMs: 60_000 }) {
  const clock = manualClock(T0);
  const debug: string[] = [];
  const agent = new AgentSurface(
    { debug: (line: string) => void debug.push(line) },
    () => clock.now().getTime(),
    limits,
  );
  return { agent, clock, debug };
}

const PROMPTS = 'assistant.threads.setSuggestedPrompts' as const;
const STATUS = 'assistant.threads.setStatus' as const;

describe('AgentSurface', () => {
  it('makes the call and says it worked', async () => {
    const { agent } = surface();
    let calls = 0;
    expect(await agent.call('T1', PROMPTS, async () => calls++)).toBe(true);
    expect(calls).toBe(1);
  });

  it.each(['not_allowed', 'missing_scope', 'feature_not_enabled'])(
    'swallows %s, logs it at debug level, and stops calling that method in that workspace only',
    async (code) => {
      const { agent, debug } = surface();
      let calls = 0;
      const failing = async () => {
        calls++;
        throw slackError(code);
      };
      expect(await agent.call('T1', PROMPTS, failing)).toBe(false);
      expect(await agent.call('T1', PROMPTS, failing)).toBe(false);
      expect(calls).toBe(1);
      expect(debug.join('\n')).toContain(code);
      // Another method, another workspace: still called.
      expect(await agent.call('T1', STATUS, async () => calls++)).toBe(true);
      expect(await agent.call('T2', PROMPTS, async () => calls++)).toBe(true);
      expect(calls).toBe(3);
    },
  );

  it('keeps calling after a failure that is about one call (a bad thread, a rate limit, the network)', async () => {
    const { agent } = surface();
    let calls = 0;
    for (const failure of [
      slackError('invalid_arguments'),
      slackError('ratelimited'),
      new Error('socket hang up'),
    ]) {
      expect(
        await agent.call('T1', STATUS, async () => {
          calls++;
          throw failure;
        }),
      ).toBe(false);
    }
    expect(calls).toBe(3);
    expect(agent.available('T1', STATUS)).toBe(true);
  });

  it('tries an unavailable method again once the waiting time has passed (a reinstall with the scope)', async () => {
    const { agent, clock } = surface();
    await agent.call('T1', PROMPTS, async () => {
      throw slackError('missing_scope');
    });
    clock.advance(59_999);
    expect(agent.available('T1', PROMPTS)).toBe(false);
    clock.advance(1);
    expect(agent.available('T1', PROMPTS)).toBe(true);
  });

  it('remembers at most its limit of workspaces, forgetting the oldest first', async () => {
    const { agent } = surface({ workspaces: 3, unavailableForMs: 60_000 });
    for (const team of ['T1', 'T2', 'T3', 'T4'])
      await agent.call(team, PROMPTS, async () => {
        throw slackError('not_allowed');
      });
    expect(['T1', 'T2', 'T3', 'T4'].map((team) => agent.available(team, PROMPTS))).toEqual([
      true,
      false,
      false,
      false,
    ]);
  });
});
