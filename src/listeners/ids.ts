/** Slash commands, action_ids and block_ids the app registers; views, tests and the manifest check share them. */
export const PM_COMPARE_COMMAND = '/pm-compare';

/** Opens one dimension in depth; the dimension id follows the prefix (action_ids are unique within a block). */
export const COMPARE_DIMENSION_ACTION_PREFIX = 'compare_dimension:';
export const COMPARE_DIMENSION_ACTION = /^compare_dimension:/;
export const COMPARE_OVERVIEW_ACTION = 'compare_overview';
export const COMPARE_HELP_ACTION = 'compare_help';
/** Posts the comparison publicly; its value is "overview" or a dimension id. */
export const COMPARE_SHARE_ACTION = 'compare_share';
export const OVERVIEW_VALUE = 'overview';
