import type { App, BlockButtonAction } from '@slack/bolt';
import type { Deps } from '../../deps.js';
import {
  COMPARE_DIMENSION_ACTION,
  COMPARE_HELP_ACTION,
  COMPARE_OVERVIEW_ACTION,
  COMPARE_SHARE_ACTION,
} from '../ids.js';
import { handleCompareHelp, handleCompareNavigation, handleCompareShare } from './compare-buttons.js';

export function register(app: App, deps: Deps): void {
  app.action<BlockButtonAction>(COMPARE_DIMENSION_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_OVERVIEW_ACTION, handleCompareNavigation(deps));
  app.action<BlockButtonAction>(COMPARE_HELP_ACTION, handleCompareHelp(deps));
  app.action<BlockButtonAction>(COMPARE_SHARE_ACTION, handleCompareShare(deps));
}
