import type { AllMiddlewareArgs, BlockButtonAction, SlackActionMiddlewareArgs } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import { confirmForgetOnHome, postComparisonToDm, startOrResumeFromHome } from '../../flows/home-actions.js';
import { openResult } from '../../flows/results.js';
import { ackThen } from './ack-then.js';
import { clickerOf } from './clicker.js';

type ButtonArgs = AllMiddlewareArgs & SlackActionMiddlewareArgs<BlockButtonAction>;

// Home tab buttons answer in the person's DM, or by publishing the Home tab again: a Home tab has no response_url.

/** "Start", "Resume" or "Retake the questionnaire". */
export function handleHomeQuestionnaire(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'home questionnaire', args, () =>
      startOrResumeFromHome(deps, args.client, clickerOf(args.body)),
    );
}

/** "Compare the roles": the overview in the DM. */
export function handleHomeCompare(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'home compare', args, () => postComparisonToDm(deps, args.client, clickerOf(args.body)));
}

/** "Forget me": the confirmation, in the Home tab (its buttons are the DM's: forget_confirm, forget_cancel). */
export function handleHomeForget(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'home forget', args, () => confirmForgetOnHome(deps, args.client, clickerOf(args.body)));
}

/** "Open" on a past result (the Home tab or "my results"): the result in full, in the DM. */
export function handleResultOpen(deps: Deps) {
  return (args: ButtonArgs) =>
    ackThen(deps, 'open result', args, () =>
      openResult(deps, args.client, clickerOf(args.body), args.action.value ?? ''),
    );
}
