import type { Knowledge } from '../knowledge/knowledge.js';

/**
 * Views built from the knowledge alone (the `/pm-compare` overview, a topic, the help texts), built once per
 * knowledge and key instead of on every request: the knowledge never changes once loaded, so neither do they.
 * Building the overview was a fifth of the app's CPU per `/pm-compare` in `npm run bench:ack`.
 *
 * A cached view is shared by every request, so it is frozen: a caller that tried to change one would throw
 * instead of changing what everyone is shown. Callers copy (`{ ...view, text }`, `[...view.blocks]`) as they
 * always did. The keys are bounded by the knowledge (its roles, topics, entries).
 */
const cache = new WeakMap<Knowledge, Map<string, unknown>>();

export function cachedView<V extends object>(knowledge: Knowledge, key: string, build: () => V): V {
  let views = cache.get(knowledge);
  if (!views) {
    views = new Map();
    cache.set(knowledge, views);
  }
  const cached = views.get(key) as V | undefined;
  if (cached) return cached;
  const view = deepFreeze(build());
  views.set(key, view);
  return view;
}

function deepFreeze<T>(value: T): T {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  for (const inner of Object.values(value)) deepFreeze(inner);
  return Object.freeze(value);
}
