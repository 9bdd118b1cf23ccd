import { reasonsLine, summarizeForCurators } from './advisor/curation.js';
import type { Knowledge } from './knowledge/knowledge.js';
import type { StoredData } from './store/qa-log.js';

/** The curators' report: unanswered questions (recent and frequent) and feedback per knowledge entry. Slack-free. */
export function buildCuratorReport(data: StoredData, knowledge: Knowledge | undefined, limit = 15): string {
  const summary = summarizeForCurators(data, { limit });
  const lines: string[] = [];
  lines.push(`Unanswered questions: ${summary.unansweredCount}`);
  if (summary.unansweredCount > 0) {
    lines.push('', 'Most recent:');
    for (const question of summary.recent)
      lines.push(`  ${question.at.slice(0, 16).replace('T', ' ')}  ${question.question}`);
    lines.push('', 'Most frequent:');
    for (const { question, count } of summary.frequent)
      lines.push(`  ${String(count).padStart(4)}×  ${question}`);
  }

  lines.push('', `Feedback per entry (${summary.answerCount} answers given):`);
  if (summary.entries.length === 0) lines.push('  (no answers yet)');
  for (const stats of summary.entries) {
    const title = knowledge
      ? (knowledge.entriesById.get(stats.entryId)?.title ?? '(no longer in the knowledge)')
      : '(knowledge not loaded)';
    const reasons = reasonsLine(stats);
    lines.push(
      `  ${stats.entryId} — ${title}: shown ${stats.shown}, helpful ${stats.helpful}, not helpful ${stats.notHelpful}${reasons ? ` (${reasons})` : ''}`,
    );
  }
  return lines.join('\n');
}
