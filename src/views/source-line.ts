import { groupSources, type Knowledge } from '../knowledge/knowledge.js';
import { escapeMrkdwn } from '../slack-text.js';
import { BLOCK_KIT_LIMITS } from './block-kit.js';

/**
 * One short source line: each source's title once (linked when its URL is known), then the sections used.
 * "Source: <url|IT Product Management vs Product Management…> · Defining IT Product Management; Skill Set Variations"
 */
export function buildSourceLine(
  knowledge: Pick<Knowledge, 'sectionsById'>,
  sectionIds: readonly string[],
  limit: number = BLOCK_KIT_LIMITS.contextText,
): string {
  const groups = groupSources(knowledge, sectionIds);
  if (groups.length === 0) return '';
  const named = groups.map(({ source }) => {
    const title = escapeMrkdwn(source.title);
    const link = source.url ? `<${source.url}|${title}>` : `_${title}_`;
    return `${link}${source.publisher ? ` (${escapeMrkdwn(source.publisher)})` : ''}`;
  });
  const withSections = named.map(
    (name, i) => `${name} · ${escapeMrkdwn(groups[i]?.sections.join('; ') ?? '')}`,
  );
  const line = (parts: string[]) => `${parts.length > 1 ? 'Sources' : 'Source'}: ${parts.join(' — ')}`;
  const full = line(withSections);
  if (full.length <= limit) return full;
  // Too many to list in full (a comparison of nearby roles cites many pages): the titles alone, then as many as fit.
  const titles = line(named);
  if (titles.length <= limit) return titles;
  const kept: string[] = [];
  for (const name of named) {
    const more = ` — and ${named.length - kept.length - 1} more`;
    if (line([...kept, name]).length + more.length > limit) break;
    kept.push(name);
  }
  return `${line(kept)} — and ${named.length - kept.length} more`;
}
