import { describe, expect, it } from '@jest/globals';
import { eventKey } from '../../../src/listeners/event-key.js';

describe('eventKey', () => {
  it("is Slack's event_id when there is one", () => {
    expect(eventKey({ event_id: 'Ev0A1B2C3D', team_id: 'T0TEST0001' }, { channel: 'D0X', ts: '1.2' })).toBe(
      'Ev0A1B2C3D',
    );
  });

  it('tells two events without an event_id apart by workspace, channel and timestamp', () => {
    const first = eventKey({ team_id: 'T0TEST0001' }, { channel: 'D0PERSON001', ts: '1700000000.000100' });
    const second = eventKey({ team_id: 'T0TEST0001' }, { channel: 'D0PERSON001', ts: '1700000000.000200' });
    const elsewhere = eventKey(
      { team_id: 'T0OTHER001' },
      { channel: 'D0PERSON001', ts: '1700000000.000100' },
    );
    expect(new Set([first, second, elsewhere]).size).toBe(3);
    // A redelivery of the same id-less event keeps its key.
    expect(eventKey({ team_id: 'T0TEST0001' }, { channel: 'D0PERSON001', ts: '1700000000.000100' })).toBe(
      first,
    );
  });
});
