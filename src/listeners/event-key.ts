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
