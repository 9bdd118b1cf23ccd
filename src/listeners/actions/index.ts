import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_SHARE_ACTION,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
} from '../ids.js';
import { handleCompareHelp, handleCompareNavigation, handleCompareShare } from './compare-buttons.js';
import { handleFeedbackReason, handleFeedbackVote, handleRelatedTopic } from './qa-buttons.js';

export function register(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(COMPARE_DIMENSION_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_OVERVIEW_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_HELP_ACTION, handleCompareHelp(deps));
  app.action<BlockButtonAction>(COMPARE_SHARE_ACTION, handleCompareShare(deps));
  app.action<BlockButtonAction>(QA_RELATED_ACTION, handleRelatedTopic(deps));
  app.action<BlockButtonAction>(QA_HELPFUL_ACTION, handleFeedbackVote(deps, 'helpful'));
  app.action<BlockButtonAction>(QA_NOT_HELPFUL_ACTION, handleFeedbackVote(deps, 'not_helpful'));
  app.action<BlockButtonAction>(QA_REASON_ACTION, handleFeedbackReason(deps));
}
