import { LOCAL_WORKSPACE, type SlackWorkspace } from '../src/local/slack-workspace.js';

/** The workspace of `npm run bench:questionnaire`: its people are `U0<run><n>`, each in their DM `D0<run><n>`. */
export const BENCH_WORKSPACE: SlackWorkspace = {
  ...LOCAL_WORKSPACE,
  teamId: 'T0BENCH001',
  teamDomain: 'bench',
  teamName: 'Bench workspace',
  appId: 'A0BENCH001',
};
