import { groupSources, type Knowledge } from '../knowledge/knowledge.js';
import { escapeMrkdwn } from './block-kit.js';

/**
 * One short source line: each source's title once (linked when its URL is known), then the sections used.
 * "Source: <url|IT Product Management vs Product Management…> · Defining IT Product Management; Skill Set Variations"
 */
export function buildSourceLine(
  knowledge: Pick<Knowledge, 'sectionsById'>,
  sectionIds: readonly string[],
): string {
  const groups = groupSources(knowledge, sectionIds);
  if (groups.length === 0) return '';
  const parts = groups.map(({ source, sections }) => {
    const title = escapeMrkdwn(source.title);
    const named = source.url ? `<${source.url}|${title}>` : `_${title}_`;
    const by = source.publisher ? ` (${escapeMrkdwn(source.publisher)})` : '';
    return `${named}${by} · ${escapeMrkdwn(sections.join('; '))}`;
  });
  return `Source: ${parts.join(' — ')}`;
}
