import type { App, BlockAction, BlockButtonAction, ConversationsSelectAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_SHARE_ACTION,
  FORGET_CANCEL_ACTION,
  FORGET_CONFIRM_ACTION,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
  QUIZ_ANSWER_ACTION,
  QUIZ_CONTROL_ACTION,
  QUIZ_SHARE_ACTION,
  QUIZ_START_ACTION,
} from '../ids.js';
import { handleCompareHelp, handleCompareNavigation, handleCompareShare } from './compare-buttons.js';
import { handleFeedbackReason, handleFeedbackVote, handleRelatedTopic } from './qa-buttons.js';
import {
  handleForgetCancel,
  handleForgetConfirm,
  handleQuizAnswer,
  handleQuizControl,
  handleQuizShare,
  handleQuizStart,
} from './quiz-buttons.js';

export function register(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(COMPARE_DIMENSION_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_OVERVIEW_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_HELP_ACTION, handleCompareHelp(deps));
  app.action<BlockButtonAction>(COMPARE_SHARE_ACTION, handleCompareShare(deps));
  app.action<BlockButtonAction>(QA_RELATED_ACTION, handleRelatedTopic(deps));
  app.action<BlockButtonAction>(QA_HELPFUL_ACTION, handleFeedbackVote(deps, 'helpful'));
  app.action<BlockButtonAction>(QA_NOT_HELPFUL_ACTION, handleFeedbackVote(deps, 'not_helpful'));
  app.action<BlockButtonAction>(QA_REASON_ACTION, handleFeedbackReason(deps));
  app.action<BlockButtonAction>(QUIZ_ANSWER_ACTION, handleQuizAnswer(deps));
  app.action<BlockButtonAction>(QUIZ_CONTROL_ACTION, handleQuizControl(deps));
  app.action<BlockButtonAction>(QUIZ_START_ACTION, handleQuizStart(deps));
  app.action<BlockAction<ConversationsSelectAction>>(QUIZ_SHARE_ACTION, handleQuizShare(deps));
  app.action<BlockButtonAction>(FORGET_CONFIRM_ACTION, handleForgetConfirm(deps));
  app.action<BlockButtonAction>(FORGET_CANCEL_ACTION, handleForgetCancel(deps));
}
