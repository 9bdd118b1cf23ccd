/** One answer per factor of the project's knowledge, each the undecided middle option: a balanced result. */
export const MIDDLE_OF_THE_ROAD: Record<string, string> = {
  'tech-inclination': 'tech-inclination-some',
  industries: 'industries-open',
  strengths: 'strengths-mix',
  'team-preference': 'team-preference-no-preference',
  'tech-pace': 'tech-pace-fine',
  'career-goals': 'career-goals-undecided',
  'market-research': 'market-research-not-yet',
  background: 'background-other',
};
