/** Slash commands, action_ids and block_ids the app registers; views, tests and the manifest check share them. */
export const PM_COMPARE_COMMAND = '/pm-compare';

/** Opens one dimension in depth; the dimension id follows the prefix (action_ids are unique within a block). */
export const COMPARE_DIMENSION_ACTION_PREFIX = 'compare_dimension:';
export const COMPARE_DIMENSION_ACTION = /^compare_dimension:/;
export const COMPARE_OVERVIEW_ACTION = 'compare_overview';
export const COMPARE_PICK_ACTION_PREFIX = 'compare_pick:';
export const COMPARE_PICK_ACTION = /^compare_pick:/;
export const COMPARE_HELP_ACTION = 'compare_help';
/** Posts the comparison publicly. Compare buttons' values name a comparison (`encodeCompareTarget`). */
export const COMPARE_SHARE_ACTION = 'compare_share';
export { OVERVIEW_VALUE } from '../advisor/compare-request.js';

/** Shows a related knowledge entry to the clicker; the entry id follows the prefix. */
export const QA_RELATED_ACTION_PREFIX = 'qa_related:';
export const QA_RELATED_ACTION = /^qa_related:/;
/** Feedback on an answer; the value is the stored answer's id. */
export const QA_HELPFUL_ACTION = 'qa_helpful';
export const QA_NOT_HELPFUL_ACTION = 'qa_not_helpful';
/** The optional reason after "Not helpful"; the reason follows the prefix, the value is the answer id. */
export const QA_REASON_ACTION_PREFIX = 'qa_reason:';
export const QA_REASON_ACTION = /^qa_reason:/;

/** A questionnaire answer button; the option id follows the prefix, the value is "<sessionId>|<factorId>". */
export const QUIZ_ANSWER_ACTION_PREFIX = 'quiz_answer:';
export const QUIZ_ANSWER_ACTION = /^quiz_answer:/;
/** back / restart / cancel buttons under a question; the control follows the prefix, the value is the session id. */
export const QUIZ_CONTROL_ACTION_PREFIX = 'quiz_control:';
export const QUIZ_CONTROL_ACTION = /^quiz_control:/;
/** "Find my path" (on /pm-compare) and "Retake": starts the conversation in a DM. */
export const QUIZ_START_ACTION = 'quiz_start';
/** The channel picker under a result; the result id follows this prefix in the block_id. */
export const QUIZ_SHARE_ACTION = 'quiz_share';
export const QUIZ_SHARE_BLOCK_PREFIX = 'quiz-share:';
export const FORGET_CONFIRM_ACTION = 'forget_confirm';
export const FORGET_CANCEL_ACTION = 'forget_cancel';
