import { readFileSync } from 'node:fs';
import path from 'node:path';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { ANSWER_THRESHOLDS, analyseQuestion, answerQuestion } from '../src/advisor/qa.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';
import { judge, type LabelledQuestion, presentedEntries } from './qa-scoring.js';

/**
 * `node dist/bench/qa-diagnose.js <labelled set.json> …`: every question a set's labels say was not answered
 * right, with why: the outcome, and where the wanted entry ranked and which threshold it missed.
 */
const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const index = new KnowledgeIndex(knowledge);
const reasons = new Map<string, number>();
let right = 0;
let total = 0;
for (const file of process.argv.slice(2)) {
  const { questions } = JSON.parse(readFileSync(file, 'utf8')) as { questions: LabelledQuestion[] };
  for (const label of questions) {
    total++;
    const outcome = answerQuestion(index, knowledge, label.q);
    const verdict = judge(label, outcome);
    if (verdict === 'right' || (verdict === 'out-of-scope' && label.expect === 'out-of-scope')) {
      right++;
      continue;
    }
    let why: string = verdict;
    if (Array.isArray(label.expect)) {
      const expected = label.expect;
      why = `${verdict}: wanted not among candidates`;
      for (const { part, fits } of analyseQuestion(index, label.q).parts) {
        const rank = fits.findIndex((fit) => expected.includes(fit.entry.id));
        const fit = fits[rank];
        if (!fit) continue;
        const missed = [
          fit.anchor < ANSWER_THRESHOLDS.anchor ? `anchor ${fit.anchor.toFixed(2)}` : '',
          fit.explained < ANSWER_THRESHOLDS.explained ? `explained ${fit.explained.toFixed(2)}` : '',
          fit.subjectFits ? '' : 'subject',
        ].filter(Boolean);
        why = `${verdict}: ${fit.entry.id} ranked ${rank + 1} in [${part.kind}] part, missed ${missed.join(', ') || 'nothing'}`;
        break;
      }
    }
    const shown = presentedEntries(outcome).join(' + ') || outcome.kind;
    reasons.set(why.split(':')[0] ?? why, (reasons.get(why.split(':')[0] ?? why) ?? 0) + 1);
    console.log(`${label.q.slice(0, 160)}\n    want ${label.expect} · got ${shown} · ${why}`);
  }
}
console.log(`\n${right} of ${total} right;`, Object.fromEntries(reasons));
