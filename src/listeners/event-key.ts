import type { Deps } from '../deps.js';
import { isStoreWriteError } from '../flows/failure.js';

/**
 * The key an event is answered once under: Slack's event_id, or, for a delivery without one (Slack always
 * sends it; a hand-made or broken request may not), the workspace, channel and timestamp of the message, so
 * two different id-less events never share a key.
 */
export function eventKey(
  body: { event_id?: string; team_id?: string },
  event: { channel?: string; ts?: string; event_ts?: string },
): string {
  if (body.event_id) return body.event_id;
  return `no-event-id:${body.team_id ?? ''}:${event.channel ?? ''}:${event.event_ts ?? event.ts ?? ''}`;
}

/**
 * True the first time an event is seen. When the disk refuses the claim, the event is still answered: the claim
 * holds in memory (a retry now is refused) and is written once the disk takes it.
 */
export async function claimOnce(deps: Pick<Deps, 'handledEvents'>, key: string): Promise<boolean> {
  try {
    return await deps.handledEvents.claim(key);
  } catch (error) {
    if (isStoreWriteError(error)) return true;
    throw error;
  }
}
