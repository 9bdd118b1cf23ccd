import type { Deps } from '../../deps.js';
import type { EventRouter } from '../event-router.js';
import { handleChannelMessage } from './channel-message.js';
import { handleDirectMessage } from './direct-message.js';

/**
 * The message subscriptions in manifest.yml, by the channel_type their events carry: direct messages to the bot,
 * and messages in the public and private channels it is in (for follow-ups in threads it answered).
 */
export const MESSAGE_SUBSCRIPTIONS = {
  im: 'message.im',
  channel: 'message.channels',
  group: 'message.groups',
} as const;

export function register(events: EventRouter, deps: Deps): void {
  const direct = handleDirectMessage(deps);
  const inChannel = handleChannelMessage(deps);
  events.on('message', async (args) => {
    const type = args.event.channel_type;
    if (type === 'im') await direct(args);
    else if (type === 'channel' || type === 'group') await inChannel(args);
  });
}
