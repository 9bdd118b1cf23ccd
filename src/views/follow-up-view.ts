import type { SlackMessage } from './block-kit.js';
import { BLOCK_KIT_LIMITS, context, echo, section } from './block-kit.js';

/** An answer in a thread to a follow-up, saying which question it answers when that was filled in from the thread. */
export function buildFollowUpView(reply: SlackMessage, readAs?: string): SlackMessage {
  if (!readAs) return reply;
  return {
    text: reply.text,
    blocks: [
      context(`Taking this as: “${echo(readAs)}”`),
      ...reply.blocks.slice(0, BLOCK_KIT_LIMITS.blocksPerMessage - 1),
    ],
  };
}

/** A follow-up that leans on the thread in a way the advisor cannot fill in: said honestly, with what helps. */
export function buildUnclearFollowUpView(): SlackMessage {
  const text =
    "I can't answer that: I'm not sure which question you mean. Ask it in full (who and what, for example “what does a general PM earn?”) and I'll look it up.";
  return { text, blocks: [section(text)] };
}
