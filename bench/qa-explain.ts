import path from 'node:path';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { analyseQuestion, answerQuestion } from '../src/advisor/qa.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';

/** `node dist/bench/qa-explain.js "<question>" …`: how Q&A reads a question, part by part, for tuning. */
const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const index = new KnowledgeIndex(knowledge);
for (const question of process.argv.slice(2)) {
  console.log(`\n${question}`);
  for (const { part, frame, fits } of analyseQuestion(index, question).parts) {
    const topic = frame.topic.map((term) => `${term}:${index.termWeight(term).toFixed(1)}`).join(' ');
    console.log(`  part [${part.kind}] "${part.text}"`);
    console.log(
      `    topic ${topic} · roles ${[...frame.roles].join(',')} · subjects ${[...frame.subjects].join(',')}`,
    );
    for (const fit of fits.slice(0, 4)) {
      const figures = `anchor ${fit.anchor.toFixed(2)} explained ${fit.explained.toFixed(2)}`;
      console.log(
        `      ${fit.entry.id.padEnd(34)} ${figures} subject ${fit.subjectFits} score ${fit.score.toFixed(1)}`,
      );
    }
  }
  const outcome = answerQuestion(index, knowledge, question);
  const shown = outcome.kind === 'answer' ? outcome.entries.map((entry) => entry.id).join(' + ') : '';
  console.log(`  → ${outcome.kind} ${shown}`);
}
