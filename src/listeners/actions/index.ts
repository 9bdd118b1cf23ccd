import type { App, BlockAction, BlockButtonAction, ConversationsSelectAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_PICK_ACTION,
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
import { ActionRouter } from './action-router.js';
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
  new ActionRouter()
    .on<BlockButtonAction>(COMPARE_DIMENSION_ACTION, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_OVERVIEW_ACTION, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_PICK_ACTION, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_HELP_ACTION, handleCompareHelp(deps))
    .on<BlockButtonAction>(COMPARE_SHARE_ACTION, handleCompareShare(deps))
    .on<BlockButtonAction>(QA_RELATED_ACTION, handleRelatedTopic(deps))
    .on<BlockButtonAction>(QA_HELPFUL_ACTION, handleFeedbackVote(deps, 'helpful'))
    .on<BlockButtonAction>(QA_NOT_HELPFUL_ACTION, handleFeedbackVote(deps, 'not_helpful'))
    .on<BlockButtonAction>(QA_REASON_ACTION, handleFeedbackReason(deps))
    .on<BlockButtonAction>(QUIZ_ANSWER_ACTION, handleQuizAnswer(deps))
    .on<BlockButtonAction>(QUIZ_CONTROL_ACTION, handleQuizControl(deps))
    .on<BlockButtonAction>(QUIZ_START_ACTION, handleQuizStart(deps))
    .on<BlockAction<ConversationsSelectAction>>(QUIZ_SHARE_ACTION, handleQuizShare(deps))
    .on<BlockButtonAction>(FORGET_CONFIRM_ACTION, handleForgetConfirm(deps))
    .on<BlockButtonAction>(FORGET_CANCEL_ACTION, handleForgetCancel(deps))
    .register(app);
}
