import {
  answeredCount,
  type QuestionnaireSession,
  questionPosition,
  revisionOf,
} from '../advisor/questionnaire.js';
import { joinValue, QUESTIONNAIRE_DROP_ACTION, QUESTIONNAIRE_KEEP_ACTION } from '../slack-ids.js';
import { actions, buildNote, button, echo, type SlackMessage, section } from './block-kit.js';

/**
 * What a person sees while steering a questionnaire in progress: the line that leads a question shown again
 * (resumed, status, scrolled far away), the one-line pointer to the question still waiting, and the confirmation
 * asked before answers are dropped.
 */

/** What `cancel` and `restart` drop, and so confirm first. */
export type DropControl = 'cancel' | 'restart';

function answers(count: number): string {
  return `${count} answer${count === 1 ? '' : 's'}`;
}

/** "You're on question 3 of 8": leads the question when a start finds the questionnaire in progress. */
export function resumeLead(session: QuestionnaireSession): string {
  const { number, of } = questionPosition(session);
  const count = answeredCount(session);
  const kept = count > 0 ? ` — your ${answers(count)} so far ${count === 1 ? 'is' : 'are'} kept` : '';
  return `You're on question ${number} of ${of}${kept}. Pick up where you left off, or tap *Start over*.`;
}

/** `status`: where the person is, leading the question itself. */
export function statusLead(session: QuestionnaireSession): string {
  const { number, of } = questionPosition(session);
  return `You're on question ${number} of ${of} (${answeredCount(session)} answered).`;
}

/** Leads the question posted again because it scrolled far up; with what matched no option, quoted back. */
export function repostLead(session: QuestionnaireSession, unmatched?: string): string {
  const again = `Here is question ${questionPosition(session).number} again:`;
  return unmatched ? `${couldNotMatch(unmatched)} ${again}` : again;
}

function couldNotMatch(reply: string): string {
  return `Sorry, I couldn't match “${echo(reply)}” to one of the answers.`;
}

function pointerText(session: QuestionnaireSession): string {
  return `Your question ${questionPosition(session).number} is still waiting above — tap an option or type its number.`;
}

/**
 * One line pointing back at the question that waits (after a side question, or a reply that matched no option),
 * instead of the whole question again.
 */
export function buildQuestionPointerView(session: QuestionnaireSession, unmatched?: string): SlackMessage {
  return buildNote(unmatched ? `${couldNotMatch(unmatched)} ${pointerText(session)}` : pointerText(session));
}

/** `cancel` or `restart` with answers given: nothing is dropped until the person confirms. */
export function buildDropConfirmView(session: QuestionnaireSession, control: DropControl): SlackMessage {
  const count = answeredCount(session);
  const text =
    control === 'cancel'
      ? `Stop the questionnaire? That drops your ${answers(count)} so far, and cannot be undone.`
      : `Start over from question 1? That drops your ${answers(count)} so far, and cannot be undone.`;
  return {
    text,
    blocks: [
      section(text),
      ...actions(
        [
          button(
            `Yes, drop my ${answers(count)}`,
            QUESTIONNAIRE_DROP_ACTION.with(control),
            joinValue(session.id, String(revisionOf(session))),
            'danger',
          ),
          button('Keep going', QUESTIONNAIRE_KEEP_ACTION, session.id, 'primary'),
        ],
        'questionnaire-drop',
      ),
    ],
  };
}

/** A typed "ok" to the confirmation that is also an answer to the question: which one is meant is asked. */
export function buildAmbiguousConfirmationView(): SlackMessage {
  return buildNote(
    'I dropped nothing: that could answer the question as well as the one above it. Tap *Yes, drop* or *Keep going* above, or tap an option of the question.',
  );
}

/** The confirmation, once confirmed (it loses its buttons). */
export function buildDroppedView(count: number, control: DropControl): SlackMessage {
  return buildNote(
    control === 'cancel'
      ? `Stopped: I dropped your ${answers(count)}. Say *start* whenever you want to try again.`
      : `Starting over: I dropped your ${answers(count)}. Here is question 1 again.`,
  );
}

/** `cancel` with nothing answered yet: there is nothing to confirm. */
export function buildStoppedView(): SlackMessage {
  return buildNote('Stopped: nothing was answered yet. Say *start* whenever you want to try again.');
}

/** The confirmation after "Keep going": nothing dropped, and where the question is (or that it follows below). */
export function buildKeptView(session: QuestionnaireSession, questionFollows: boolean): SlackMessage {
  const kept = `OK, I kept your ${answers(answeredCount(session))}.`;
  return buildNote(questionFollows ? kept : `${kept} ${pointerText(session)}`);
}

/** A drop confirmation or "Keep going" clicked after its questionnaire moved on or ended: nothing changed. */
export function buildStaleDropView(outcome: 'moved-on' | 'ended'): SlackMessage {
  return buildNote(
    outcome === 'moved-on'
      ? 'Your answers changed since I asked, so I dropped nothing. Type *cancel* or *restart* again if you still want to.'
      : 'That questionnaire has already ended, so nothing changed.',
  );
}
