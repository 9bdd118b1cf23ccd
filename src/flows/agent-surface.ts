import type { AllMiddlewareArgs, Logger } from '@slack/bolt';
import type { Knowledge } from '../knowledge/knowledge.js';
import { buildSuggestedPrompts, LOOKING_IT_UP_STATUS } from '../views/agent-view.js';
import { slackErrorCode } from './failure.js';

type Client = AllMiddlewareArgs['client'];

/** The agent-surface methods the app calls; each is an enhancement, never needed for an answer. */
export type AgentMethod = 'assistant.threads.setSuggestedPrompts' | 'assistant.threads.setStatus';

/**
 * Slack errors that say the method cannot work in this workspace (a free plan without the agent surface, an
 * install from before `assistant:write` was asked for, an app without `agent_view`): the method is not called
 * there again for a while. Other failures (a bad thread, a rate limit, the network) are only logged.
 */
export const UNAVAILABLE_ERRORS: ReadonlySet<string> = new Set([
  'not_allowed',
  'not_allowed_token_type',
  'missing_scope',
  'feature_not_enabled',
  'team_not_allowed',
  'access_denied',
  'unknown_method',
  'method_deprecated',
]);

export const AGENT_SURFACE_LIMITS = {
  /** Workspaces remembered at most (the oldest forgotten first): the memory stays bounded. */
  workspaces: 10_000,
  /** How long a method found unavailable is skipped: a reinstall with the scope, or a new plan, is noticed after it. */
  unavailableForMs: 6 * 60 * 60 * 1000,
} as const;

/**
 * The agent surface (the Messages tab's suggested prompts, the "looking that up…" status), used where it works and
 * quietly skipped where it does not. A call's failure never reaches the caller: it is logged at debug level, and
 * a failure that says the method is unavailable in the workspace is remembered, per workspace and method, so the
 * app stops calling it there. Per process: another replica learns it with one failed call of its own.
 */
export class AgentSurface {
  /** `team method` → until when the method is skipped there; oldest first. */
  private readonly unavailable = new Map<string, number>();

  constructor(
    private readonly logger: Pick<Logger, 'debug'>,
    private readonly now: () => number = Date.now,
    private readonly limits: { workspaces: number; unavailableForMs: number } = AGENT_SURFACE_LIMITS,
  ) {}

  /** Whether the method is worth calling in the workspace (it has not failed there as unavailable lately). */
  available(teamId: string, method: AgentMethod): boolean {
    const key = `${teamId} ${method}`;
    const until = this.unavailable.get(key);
    if (until === undefined) return true;
    if (until > this.now()) return false;
    this.unavailable.delete(key);
    return true;
  }

  /** Runs one call unless the method is known to be unavailable there; true when it was made and succeeded. */
  async call(teamId: string, method: AgentMethod, run: () => Promise<unknown>): Promise<boolean> {
    if (!this.available(teamId, method)) return false;
    try {
      await run();
      return true;
    } catch (error) {
      const code = slackErrorCode(error);
      const unavailable = code !== undefined && UNAVAILABLE_ERRORS.has(code);
      if (unavailable) this.remember(`${teamId} ${method}`);
      this.logger.debug(
        `${method} failed in ${teamId} (${code ?? (error as Error).message})${unavailable ? ': not called there for a while' : ''}`,
      );
      return false;
    }
  }

  private remember(key: string): void {
    this.unavailable.delete(key);
    this.unavailable.set(key, this.now() + this.limits.unavailableForMs);
    while (this.unavailable.size > this.limits.workspaces) {
      const oldest = this.unavailable.keys().next().value;
      if (oldest === undefined) break;
      this.unavailable.delete(oldest);
    }
  }
}

/** Where a person is in the Messages tab: their DM with the app. */
export interface MessagesTab {
  teamId: string;
  channelId: string;
}

/**
 * The Messages tab was opened: suggested prompts above the composer. Without `thread_ts`: in the agent messaging
 * experience (`agent_view`) a call with it silently fails (Slack's setSuggestedPrompts reference).
 */
export async function offerSuggestedPrompts(
  deps: { knowledge: Knowledge; agentSurface: AgentSurface },
  client: Client,
  tab: MessagesTab,
): Promise<boolean> {
  const { title, prompts } = buildSuggestedPrompts(deps.knowledge);
  return deps.agentSurface.call(tab.teamId, 'assistant.threads.setSuggestedPrompts', () =>
    client.assistant.threads.setSuggestedPrompts({ channel_id: tab.channelId, title, prompts }),
  );
}

/** A message being answered in a DM: the status goes on its thread (the message's own ts when it has none). */
export interface StatusPlace {
  teamId: string;
  channelId: string;
  threadTs: string;
}

/**
 * Shows "is looking that up…" while `work` answers, then clears it (Slack clears it itself when the app replies in
 * that thread, or after two minutes; a reply outside the thread may not). setStatus requires a thread_ts; Bolt's
 * own `setStatus` uses the message's thread_ts, else its ts, and so does this. Neither call can fail the work.
 */
export async function withStatus<T>(
  deps: { agentSurface: AgentSurface },
  client: Client,
  place: StatusPlace | undefined,
  work: () => Promise<T>,
): Promise<T> {
  if (!place) return work();
  const set = (status: string) =>
    deps.agentSurface.call(place.teamId, 'assistant.threads.setStatus', () =>
      client.assistant.threads.setStatus({ channel_id: place.channelId, thread_ts: place.threadTs, status }),
    );
  // The status goes up while the answer is worked out, not before it: the answer never waits for it.
  const shown = set(LOOKING_IT_UP_STATUS);
  try {
    return await work();
  } finally {
    if (await shown) await set('');
  }
}
