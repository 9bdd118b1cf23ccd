/**
 * Every name Slack carries back to the app: the slash command, action_ids, block_ids and the values buttons hold.
 * Views build them, listeners route on them, tests, the bench and the manifest check use them; so this module sits
 * below all of those and imports nothing. The strings are wire values: messages already posted in Slack carry
 * them, so they keep their old spelling (quiz_*) even where the code now says "questionnaire".
 */

export const PM_COMPARE_COMMAND = '/pm-compare';

/** An id with a fixed prefix and a variable part Slack hands back: `compare_dimension:skills`. */
export class PrefixedId {
  /** Matches every id with this prefix (for routing). */
  readonly pattern: RegExp;

  constructor(readonly prefix: string) {
    this.pattern = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`);
  }

  /** The id for one variable part. */
  with(part: string | number): string {
    return `${this.prefix}${part}`;
  }

  /** Not an id by itself: `${id}` would put "[object Object]" on a button. Use `with()` or `prefix`. */
  toString(): string {
    throw new Error(`PrefixedId ${this.prefix} used as a string; call .with(part) or read .prefix`);
  }

  /** The variable part of an id; '' when the id does not carry this prefix. */
  partOf(id: string): string {
    return id.startsWith(this.prefix) ? id.slice(this.prefix.length) : '';
  }
}

const VALUE_SEPARATOR = '|';

/** A button value of several fields: `joinValue('s1', 'goal')` → `s1|goal`. */
export function joinValue(...fields: string[]): string {
  return fields.join(VALUE_SEPARATOR);
}

/** The fields of a button value (missing ones are absent). */
export function splitValue(value: string | undefined): string[] {
  return (value ?? '').split(VALUE_SEPARATOR);
}

/** Opens one dimension in depth; the dimension id follows the prefix (action_ids are unique within a block). */
export const COMPARE_DIMENSION_ACTION = new PrefixedId('compare_dimension:');
export const COMPARE_OVERVIEW_ACTION = 'compare_overview';
/** A comparison picked after an ambiguous title; its index follows the prefix. */
export const COMPARE_PICK_ACTION = new PrefixedId('compare_pick:');
export const COMPARE_HELP_ACTION = 'compare_help';
/** Posts the comparison publicly. */
export const COMPARE_SHARE_ACTION = 'compare_share';

/** What a compare button's value names: a dimension (or the overview) and, since roles can be chosen, two roles. */
export interface CompareValue {
  dimensionId?: string;
  roleIds?: [string, string];
}

/** What a compare button's value holds instead of a dimension id for the overview. */
export const OVERVIEW_VALUE = 'overview';

/** A comparison as a button value: `<dimension id or "overview">|<role id>|<role id>`. */
export function encodeCompareValue(value: CompareValue): string {
  return joinValue(value.dimensionId ?? OVERVIEW_VALUE, ...(value.roleIds ?? []));
}

/**
 * The comparison a button value names. A bare dimension id or "overview" (buttons posted before roles could be
 * chosen) names no roles; a value with one role id, or more than two, names a broken pair (`roleIds` of '').
 */
export function decodeCompareValue(value: string | undefined): CompareValue {
  const [what = OVERVIEW_VALUE, ...roleIds] = splitValue(value ?? OVERVIEW_VALUE);
  const dimensionId = what === OVERVIEW_VALUE ? undefined : what;
  const roles: [string, string] | undefined =
    roleIds.length === 0 ? undefined : roleIds.length === 2 ? [roleIds[0] ?? '', roleIds[1] ?? ''] : ['', ''];
  return { ...(dimensionId !== undefined ? { dimensionId } : {}), ...(roles ? { roleIds: roles } : {}) };
}

/** Shows a related knowledge entry to the clicker; the entry id follows the prefix. */
export const QA_RELATED_ACTION = new PrefixedId('qa_related:');
/** Feedback on an answer; the value is the stored answer's id. */
export const QA_HELPFUL_ACTION = 'qa_helpful';
export const QA_NOT_HELPFUL_ACTION = 'qa_not_helpful';
/** The optional reason after "Not helpful"; the reason follows the prefix, the value is the answer id. */
export const QA_REASON_ACTION = new PrefixedId('qa_reason:');

/** "Share in channel" under a private answer to `/pm-compare <question>`; the value is the question as read. */
export const QA_SHARE_CHANNEL_ACTION = 'qa_share_channel';
/** "Share in thread" under a private answer to a message (the shortcut); the value is `joinValue(threadTs, question)`. */
export const QA_SHARE_THREAD_ACTION = 'qa_share_thread';
/** The message shortcut "Ask the advisor" (its callback_id in manifest.yml). */
export const ASK_ADVISOR_SHORTCUT = 'ask_advisor';

/** A questionnaire answer button; the option id follows the prefix, the value is `joinValue(sessionId, factorId)`. */
export const QUESTIONNAIRE_ANSWER_ACTION = new PrefixedId('quiz_answer:');
/** back / restart / cancel buttons under a question; the control follows the prefix, the value is the session id. */
export const QUESTIONNAIRE_CONTROL_ACTION = new PrefixedId('quiz_control:');
/**
 * "Yes, drop my N answers", under the confirmation that `cancel` or `restart` asks for; the control follows the
 * prefix, the value is `joinValue(sessionId, revision)` (the questionnaire as it was when asked).
 */
export const QUESTIONNAIRE_DROP_ACTION = new PrefixedId('quiz_drop:');
/** "Keep going", beside it; the value is the session id. */
export const QUESTIONNAIRE_KEEP_ACTION = 'quiz_keep';
/** "Find my path" (on /pm-compare and answers) and "Retake": starts the questionnaire in a DM. */
export const QUESTIONNAIRE_START_ACTION = 'quiz_start';
/** The channel picker under a result; the result id follows the prefix in the block_id. */
export const QUESTIONNAIRE_SHARE_ACTION = 'quiz_share';
export const QUESTIONNAIRE_SHARE_BLOCK = new PrefixedId('quiz-share:');
export const FORGET_CONFIRM_ACTION = 'forget_confirm';
export const FORGET_CANCEL_ACTION = 'forget_cancel';
/** Opens a past result in full in the person's DM ("my results", the Home tab); the value is the result id. */
export const RESULT_OPEN_ACTION = 'result_open';

/** Home tab buttons (a Home tab has no response_url: they answer in the DM, or publish the Home tab again). */
/** Starts the questionnaire, or asks again the question an open one waits on. */
export const HOME_QUESTIONNAIRE_ACTION = 'home_questionnaire';
/** Posts the overview comparison to the person's DM. */
export const HOME_COMPARE_ACTION = 'home_compare';
/** "Forget me" on the Home tab: shows the same confirmation as in DMs (forget_confirm / forget_cancel). */
export const HOME_FORGET_ACTION = 'home_forget';

/** The bot scopes the app asks for when a workspace installs it; tests/unit/manifest.test.ts keeps manifest.yml the same. */
export const BOT_SCOPES = [
  'commands',
  'chat:write',
  'app_mentions:read',
  'im:history',
  'im:read',
  'im:write',
  'assistant:write',
  'channels:history',
  'groups:history',
] as const;
