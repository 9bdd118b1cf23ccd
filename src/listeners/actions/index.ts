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
  HOME_COMPARE_ACTION,
  HOME_FORGET_ACTION,
  HOME_QUESTIONNAIRE_ACTION,
  QA_HELPFUL_ACTION,
  QA_NOT_HELPFUL_ACTION,
  QA_REASON_ACTION,
  QA_RELATED_ACTION,
  QA_SHARE_CHANNEL_ACTION,
  QA_SHARE_THREAD_ACTION,
  QUESTIONNAIRE_ANSWER_ACTION,
  QUESTIONNAIRE_CONTROL_ACTION,
  QUESTIONNAIRE_DROP_ACTION,
  QUESTIONNAIRE_KEEP_ACTION,
  QUESTIONNAIRE_SHARE_ACTION,
  QUESTIONNAIRE_START_ACTION,
  RESULT_OPEN_ACTION,
} from '../../slack-ids.js';
import { ActionRouter } from './action-router.js';
import { handleCompareHelp, handleCompareNavigation, handleCompareShare } from './compare-buttons.js';
import {
  handleHomeCompare,
  handleHomeForget,
  handleHomeQuestionnaire,
  handleResultOpen,
} from './home-buttons.js';
import { handleFeedbackReason, handleFeedbackVote, handleRelatedTopic } from './qa-buttons.js';
import { handleShareInChannel, handleShareInThread } from './qa-share.js';
import {
  handleForgetCancel,
  handleForgetConfirm,
  handleQuestionnaireAnswer,
  handleQuestionnaireControl,
  handleQuestionnaireDrop,
  handleQuestionnaireKeep,
  handleQuestionnaireShare,
  handleQuestionnaireStart,
} from './questionnaire-buttons.js';

export function register(app: App, deps: Deps): void {
  new ActionRouter()
    .on<BlockButtonAction>(COMPARE_DIMENSION_ACTION.pattern, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_OVERVIEW_ACTION, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_PICK_ACTION.pattern, handleCompareNavigation(deps))
    .on<BlockButtonAction>(COMPARE_HELP_ACTION, handleCompareHelp(deps))
    .on<BlockButtonAction>(COMPARE_SHARE_ACTION, handleCompareShare(deps))
    .on<BlockButtonAction>(QA_RELATED_ACTION.pattern, handleRelatedTopic(deps))
    .on<BlockButtonAction>(QA_HELPFUL_ACTION, handleFeedbackVote(deps, 'helpful'))
    .on<BlockButtonAction>(QA_NOT_HELPFUL_ACTION, handleFeedbackVote(deps, 'not_helpful'))
    .on<BlockButtonAction>(QA_REASON_ACTION.pattern, handleFeedbackReason(deps))
    .on<BlockButtonAction>(QA_SHARE_CHANNEL_ACTION, handleShareInChannel(deps))
    .on<BlockButtonAction>(QA_SHARE_THREAD_ACTION, handleShareInThread(deps))
    .on<BlockButtonAction>(QUESTIONNAIRE_ANSWER_ACTION.pattern, handleQuestionnaireAnswer(deps))
    .on<BlockButtonAction>(QUESTIONNAIRE_CONTROL_ACTION.pattern, handleQuestionnaireControl(deps))
    .on<BlockButtonAction>(QUESTIONNAIRE_DROP_ACTION.pattern, handleQuestionnaireDrop(deps))
    .on<BlockButtonAction>(QUESTIONNAIRE_KEEP_ACTION, handleQuestionnaireKeep(deps))
    .on<BlockButtonAction>(QUESTIONNAIRE_START_ACTION, handleQuestionnaireStart(deps))
    .on<BlockAction<ConversationsSelectAction>>(QUESTIONNAIRE_SHARE_ACTION, handleQuestionnaireShare(deps))
    .on<BlockButtonAction>(FORGET_CONFIRM_ACTION, handleForgetConfirm(deps))
    .on<BlockButtonAction>(FORGET_CANCEL_ACTION, handleForgetCancel(deps))
    .on<BlockButtonAction>(RESULT_OPEN_ACTION, handleResultOpen(deps))
    .on<BlockButtonAction>(HOME_QUESTIONNAIRE_ACTION, handleHomeQuestionnaire(deps))
    .on<BlockButtonAction>(HOME_COMPARE_ACTION, handleHomeCompare(deps))
    .on<BlockButtonAction>(HOME_FORGET_ACTION, handleHomeForget(deps))
    .register(app);
}
