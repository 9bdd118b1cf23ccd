/**
 * Slack's text format, in one place: the entity codec (Slack escapes &, < and > in what people write, and
 * mrkdwn treats them as control characters in what we post), and the conversion of a person's message into
 * plain text. Listeners convert once, at the edge; everything below them sees plain text only.
 */

/** Escapes the three characters mrkdwn treats as control characters, so user text can never ping or link. */
export function escapeMrkdwn(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The inverse of escapeMrkdwn: the characters a person typed. */
export function decodeEntities(text: string): string {
  return text.replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');
}

/**
 * The most of a person's message the app reads: Slack's own limit on a message's text, so no real message is cut.
 * A longer one (a forged or future payload: a signed request may be 4 MB) is cut to it before anything reads it,
 * so what follows (markup, entities, normalisation, the question analysis) costs at most this much.
 */
export const SLACK_TEXT_LIMIT = 40_000;

/** A person's text as Slack sent it, cut to SLACK_TEXT_LIMIT characters. */
export function capSlackText(text: string): string {
  return text.length <= SLACK_TEXT_LIMIT ? text : text.slice(0, SLACK_TEXT_LIMIT);
}

/**
 * A message as a person wrote it: mentions, broadcasts (`<!channel>`) and channel links removed, links keep their
 * label, and entities decoded, so a literal "&lt;b&gt;" reads "<b>" (and is never taken for markup again). Only
 * its first SLACK_TEXT_LIMIT characters are read, cut before the markup is: markup cut open stays as typed.
 */
export function slackToPlainText(text: string): string {
  return decodeEntities(
    // [^<>]: an unclosed "<<<<…" is scanned once, not once per "<".
    capSlackText(text).replace(/<([^<>|]*)(?:\|([^<>]*))?>/g, (_match, target: string, label?: string) => {
      if (target.startsWith('@') || target.startsWith('!') || target.startsWith('#')) return ' ';
      return label ?? ' ';
    }),
  );
}
