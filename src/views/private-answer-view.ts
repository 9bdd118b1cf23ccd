import type { KnownBlock } from '@slack/types';
import {
  BLOCK_KIT_LIMITS,
  button,
  context,
  echo,
  type SlackMessage,
  section,
  truncate,
} from './block-kit.js';

/** The button that posts a private answer for everyone: its label, action_id and value. */
export interface ShareButton {
  label: string;
  actionId: string;
  value: string;
}

/** A button value holds at most this much of the question (Slack: 2,000 characters, the thread ts included). */
export const SHARED_QUESTION_LIMIT = 1_900;

/** Leaves room at the end of a message for `extra` blocks. */
function roomFor(blocks: readonly KnownBlock[], extra: number): KnownBlock[] {
  return blocks.slice(0, BLOCK_KIT_LIMITS.blocksPerMessage - extra);
}

/**
 * An answer only the asker sees, with how their words were read when that was not as they wrote them, and a button
 * that shares it (none when there is nothing worth sharing, such as "I can't answer that").
 */
export function buildPrivateAnswerView(
  reply: SlackMessage,
  options: { readAs?: string; share?: ShareButton } = {},
): SlackMessage {
  const lead: KnownBlock[] = options.readAs ? [context(`Taking this as: “${echo(options.readAs)}”`)] : [];
  const share: KnownBlock[] = options.share
    ? [
        {
          type: 'actions',
          block_id: 'qa-share',
          elements: [button(options.share.label, options.share.actionId, options.share.value, 'primary')],
        },
      ]
    : [];
  const note = context('Only you can see this.');
  return {
    text: reply.text,
    blocks: [...lead, ...roomFor(reply.blocks, lead.length + share.length + 1), note, ...share],
  };
}

/**
 * A privately given answer, posted for everyone, saying who shared it and what was asked: their own words
 * (`/pm-compare <question>`), or, for an answer to someone else's message (the shortcut, shared in that message's
 * thread), only that they asked about it, never crediting them with the author's words.
 */
export function buildSharedAnswerView(
  reply: SlackMessage,
  sharedBy: string,
  asked: { question: string } | { aboutMessage: true },
): SlackMessage {
  const credit = context(
    'question' in asked
      ? `<@${sharedBy}> asked the advisor: “${echo(asked.question)}”`
      : `<@${sharedBy}> asked the advisor about this message.`,
  );
  return {
    text: truncate(reply.text, BLOCK_KIT_LIMITS.messageText),
    blocks: [credit, ...roomFor(reply.blocks, 1)],
  };
}

/** When an answer could not be given where the person asked: said in the DM it goes to instead. */
export function buildMovedToDmNote(channelId: string): SlackMessage {
  const text = `I couldn't answer you privately in <#${channelId}>, so here it is.`;
  return { text, blocks: [section(text)] };
}
