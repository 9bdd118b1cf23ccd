import { test } from '@jest/globals';
import path from 'node:path';
import { parseCompareRequest } from '../../src/advisor/compare-request.js';
import { loadKnowledge } from '../../src/knowledge/loader.js';
import { projectRoot } from '../../src/paths.js';
test('probe', async () => {
  const k = await loadKnowledge(path.join(projectRoot, 'knowledge'));
  const out: string[] = [];
  for (const t of ['', '  ', 'overview', 'all', 'Overview', 'both', 'everything', 'summary', 'help', 'HELP', '?', 'usage', 'skill', 'industries', 'show me the skills please', '  SKILLS  ', 'skils', 'responsibilites', 'industy', 'banana', '<!channel>', 'roles', 'the roles', 'compare roles', 'pm', 'it pm vs pm', 'what is it', 'day to day', 'skill-set', 'Skill Set', 'kpis', 'choosing', 'metric', 'teams', 'focus and scope', 'who you work with', 'measuring success', 'industry influence', 'how to choose', 'sectors', 'helpful', 'helping', 'skillz', 'tems', 'xyz', 'a'.repeat(4000), 'skills '.repeat(600), '!!!', '...', 'how to choose help']) {
    const r = parseCompareRequest(t, k);
    out.push(`${JSON.stringify(t.slice(0,40))} -> ${r.kind} ${r.kind === 'dimension' ? r.dimension.id : r.kind === 'unknown' ? `sugg=${r.suggestion?.id}` : ''}`);
  }
  console.log(out.join('\n'));
});
