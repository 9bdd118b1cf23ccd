import path from 'node:path';
import { KnowledgeIndex } from '../src/advisor/knowledge-index.js';
import { answerQuestion, fitPart } from '../src/advisor/qa.js';
import { splitQuestion } from '../src/advisor/question-frame.js';
import { loadKnowledge } from '../src/knowledge/loader.js';
import { projectRoot } from '../src/paths.js';

/** `node dist/bench/qa-explain.js "<question>"`: how Q&A reads a question, part by part, for tuning. */
const knowledge = await loadKnowledge(path.join(projectRoot, 'knowledge'));
const index = new KnowledgeIndex(knowledge);
for (const question of process.argv.slice(2)) {
  const split = splitQuestion(question);
  console.log(`\n${question}\n  context: ${JSON.stringify(split.context)}`);
  const context = index.frame(split.context.join(' '));
  for (const part of split.parts) {
    const frame = index.frame(part.text);
    console.log(
      `  part [${part.kind}] "${part.text}"\n    topic ${frame.topic.map((t) => `${t}:${index.termWeight(t).toFixed(1)}`).join(' ')} roles ${[...frame.roles]} subjects ${[...frame.subjects]}`,
    );
    for (const fit of fitPart(index, part, frame, context).slice(0, 4)) {
      console.log(
        `      ${fit.entry.id.padEnd(34)} anchor ${fit.anchor.toFixed(2)} explained ${fit.explained.toFixed(2)} subject ${fit.subjectFits} score ${fit.score.toFixed(1)}`,
      );
    }
  }
  const outcome = answerQuestion(index, knowledge, question);
  console.log(
    `  → ${outcome.kind} ${outcome.kind === 'answer' ? outcome.entries.map((e) => e.id).join(' + ') : ''}`,
  );
}
