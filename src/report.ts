import type { Knowledge } from './knowledge/knowledge.js';
import type { StoredData } from './store/qa-log.js';

/** The curators' report: unanswered questions (recent and frequent) and feedback per knowledge entry. Slack-free. */
export function buildCuratorReport(data: StoredData, knowledge: Knowledge | undefined, limit = 15): string {
  const lines: string[] = [];
  const unanswered = data.unanswered;
  lines.push(`Unanswered questions: ${unanswered.length}`);
  if (unanswered.length > 0) {
    lines.push('', 'Most recent:');
    for (const question of unanswered.slice(-limit).reverse()) {
      lines.push(`  ${question.at.slice(0, 16).replace('T', ' ')}  ${question.question}`);
    }
    const counts = new Map<string, { text: string; count: number }>();
    for (const question of unanswered) {
      const key = question.question
        .toLowerCase()
        .replace(/[^\p{L}\p{N}]+/gu, ' ')
        .trim();
      const entry = counts.get(key) ?? { text: question.question, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    lines.push('', 'Most frequent:');
    for (const { text, count } of [...counts.values()].sort((a, b) => b.count - a.count).slice(0, limit)) {
      lines.push(`  ${String(count).padStart(4)}×  ${text}`);
    }
  }

  const perEntry = new Map<
    string,
    { shown: number; helpful: number; notHelpful: number; reasons: Map<string, number> }
  >();
  for (const answer of Object.values(data.answers)) {
    for (const entryId of answer.entryIds) {
      const stats = perEntry.get(entryId) ?? { shown: 0, helpful: 0, notHelpful: 0, reasons: new Map() };
      stats.shown++;
      for (const vote of Object.values(answer.votes)) {
        if (vote.vote === 'helpful') stats.helpful++;
        else stats.notHelpful++;
        if (vote.reason) stats.reasons.set(vote.reason, (stats.reasons.get(vote.reason) ?? 0) + 1);
      }
      perEntry.set(entryId, stats);
    }
  }
  lines.push('', `Feedback per entry (${Object.keys(data.answers).length} answers given):`);
  if (perEntry.size === 0) lines.push('  (no answers yet)');
  const sorted = [...perEntry.entries()].sort(
    (a, b) => b[1].notHelpful - a[1].notHelpful || b[1].shown - a[1].shown,
  );
  for (const [entryId, stats] of sorted) {
    const title = knowledge
      ? (knowledge.entriesById.get(entryId)?.title ?? '(no longer in the knowledge)')
      : '(knowledge not loaded)';
    const reasons = [...stats.reasons.entries()].map(([reason, count]) => `${reason} ${count}`).join(', ');
    lines.push(
      `  ${entryId} — ${title}: shown ${stats.shown}, helpful ${stats.helpful}, not helpful ${stats.notHelpful}${reasons ? ` (${reasons})` : ''}`,
    );
  }
  return lines.join('\n');
}
